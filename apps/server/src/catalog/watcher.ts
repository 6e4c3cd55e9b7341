/**
 * Development: reload the catalog when its module files change (`HOOKLINE_CATALOG_WATCH=true`,
 * on for `npm start`). `npm run generate` rewrites several files one after the other, so the
 * reload waits until the directory has been quiet for `debounceMs`. A directory that disappears
 * (a clean build) is watched again once it is back. The registry logs each reload's outcome.
 */
import { existsSync, type FSWatcher, watch } from "node:fs";
import type { Logger } from "../logger.js";
import { affectsRuntime } from "./catalog-loader.js";
import type { CatalogRegistry } from "./registry.js";

export interface CatalogWatcher {
  close(): void;
}

export function watchCatalog(
  directory: string,
  registry: Pick<CatalogRegistry, "reload">,
  logger: Logger,
  options: { debounceMs?: number; rewatchMs?: number } = {},
): CatalogWatcher {
  const debounceMs = options.debounceMs ?? 300;
  const rewatchMs = options.rewatchMs ?? 1000;
  let watcher: FSWatcher | undefined;
  let debounce: NodeJS.Timeout | undefined;
  let rewatch: NodeJS.Timeout | undefined;
  let closed = false;

  const lost = (): void => {
    // The directory was removed or replaced (a clean build): watch the new one when it is there, and reload then.
    watcher?.close();
    watcher = undefined;
    if (closed) return;
    rewatch = setTimeout(() => start(true), rewatchMs);
    rewatch.unref();
  };
  const changed = (filename: string | null): void => {
    if (watcher !== undefined && !existsSync(directory)) {
      lost();
      return;
    }
    if (filename !== null && !affectsRuntime(filename)) return;
    clearTimeout(debounce);
    debounce = setTimeout(() => {
      void registry.reload("watch").catch((error: unknown) => logger.error({ err: error }, "event catalog reload failed"));
    }, debounceMs);
    debounce.unref();
  };
  /** `reload`: the directory came back, so its files changed while nobody watched. */
  const start = (reload = false): void => {
    if (closed) return;
    if (!existsSync(directory)) {
      rewatch = setTimeout(() => start(reload), rewatchMs);
      rewatch.unref();
      return;
    }
    try {
      watcher = watch(directory, { persistent: false }, (_event, filename) => changed(filename));
    } catch (error) {
      logger.warn({ err: error, catalogDir: directory }, "cannot watch the event catalog directory; retrying");
      rewatch = setTimeout(() => start(reload), rewatchMs);
      rewatch.unref();
      return;
    }
    watcher.on("error", lost);
    if (reload) changed(null);
  };
  start();
  logger.info({ catalogDir: directory }, "watching the event catalog for changes (HOOKLINE_CATALOG_WATCH)");
  return {
    close() {
      closed = true;
      clearTimeout(debounce);
      clearTimeout(rewatch);
      watcher?.close();
    },
  };
}
