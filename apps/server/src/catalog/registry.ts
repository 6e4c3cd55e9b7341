/**
 * The catalog the server serves right now, and its reload.
 *
 * `current()` returns the live `CatalogView`. A reload loads the catalog directory afresh
 * (catalog-loader.ts), self-checks it (catalog-check.ts), refuses it when it drops a version that
 * endpoints are pinned to (domain/catalog-reload.ts), and only then swaps it in with one assignment.
 * Nothing is ever half-swapped: a request or a delivery reads `current()` once when it starts and
 * keeps that view until it ends, so in-flight work finishes with the catalog it started with and the
 * next request sees the new one. A refused reload changes nothing: the previous catalog keeps serving.
 * Reloads run one at a time (a signal, an API call and the watcher may ask together).
 */
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import {
  type CatalogProblem,
  carriedVersions,
  catalogChanges,
  type PinnedVersionCount,
  removedPinnedVersions,
  type TypeVersion,
} from "../domain/catalog-reload.js";
import { checkCatalogModules } from "./catalog-check.js";
import { importCatalogCopy, readCatalogDirectory } from "./catalog-loader.js";
import type { CatalogView } from "./catalog-view.js";

/** The live catalog and where it came from. */
export interface LoadedCatalog {
  readonly view: CatalogView;
  /** Hash of the module files (16 hex digits); `fixed` for a catalog given in code. */
  readonly fingerprint: string;
  /** Epoch ms. */
  readonly loadedAt: number;
  /** The directory it was loaded from; undefined for a catalog given in code. */
  readonly directory: string | undefined;
}

export type ReloadTrigger = "start" | "api" | "SIGHUP" | "watch";

export type ReloadResult =
  | {
      readonly applied: true;
      /** The directory's modules are the ones already serving: nothing was loaded. */
      readonly unchanged: boolean;
      readonly fingerprint: string;
      readonly previousFingerprint: string;
      readonly loadedAt: number;
      readonly types: number;
      readonly versions: number;
      readonly added: readonly TypeVersion[];
      readonly removed: readonly TypeVersion[];
    }
  | {
      readonly applied: false;
      /** `invalid`: the catalog failed its self-check or did not load; `pinned`: it drops pinned versions; `fixed`: no directory to load from. */
      readonly reason: "invalid" | "pinned" | "fixed";
      /** Of the refused catalog's files, when they could be read. */
      readonly fingerprint: string | undefined;
      readonly problems: readonly CatalogProblem[];
    };

export interface CatalogRegistryOptions {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly now: () => number;
  /** How many endpoints are pinned to each type and version; without it pins are not checked. */
  readonly pinnedVersionCounts?: (() => Promise<readonly PinnedVersionCount[]>) | undefined;
}

/** A catalog that cannot be served at start: every problem, one per line. */
export class CatalogLoadError extends Error {
  override readonly name = "CatalogLoadError";
  readonly problems: readonly CatalogProblem[];
  constructor(directory: string, problems: readonly CatalogProblem[]) {
    super(`The event catalog in ${directory} cannot be served:\n${problems.map((p) => `  - ${p.message}`).join("\n")}`);
    this.problems = problems;
  }
}

export class CatalogRegistry {
  #loaded: LoadedCatalog;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #options: CatalogRegistryOptions;
  readonly #listeners: ((loaded: LoadedCatalog) => void)[] = [];

  private constructor(loaded: LoadedCatalog, options: CatalogRegistryOptions) {
    this.#loaded = loaded;
    this.#options = options;
    this.#record(loaded);
  }

  /** Loads `directory` for the start; throws `CatalogLoadError` listing every problem when it cannot serve. */
  static async open(directory: string, options: CatalogRegistryOptions): Promise<CatalogRegistry> {
    const outcome = await load(directory, undefined, options);
    if (!outcome.ok) throw new CatalogLoadError(directory, outcome.problems);
    if (outcome.view === undefined) throw new Error("a first load always loads");
    const loaded: LoadedCatalog = { view: outcome.view, fingerprint: outcome.fingerprint, loadedAt: options.now(), directory };
    const registry = new CatalogRegistry(loaded, options);
    options.logger.info(
      { catalogDir: directory, fingerprint: loaded.fingerprint, types: loaded.view.types.length },
      "event catalog loaded",
    );
    return registry;
  }

  /** A catalog given in code (tests): served as is; reloads are refused. */
  static fixed(view: CatalogView, options: CatalogRegistryOptions): CatalogRegistry {
    return new CatalogRegistry({ view, fingerprint: "fixed", loadedAt: options.now(), directory: undefined }, options);
  }

  /** The view to use for one request or one delivery, from start to end. */
  current(): CatalogView {
    return this.#loaded.view;
  }

  /** The view with its fingerprint, load time and directory (one read: always consistent). */
  loaded(): LoadedCatalog {
    return this.#loaded;
  }

  /** Called after every applied reload that changed the catalog (for work that follows a new catalog, such as pins for new types). */
  onApplied(listener: (loaded: LoadedCatalog) => void): void {
    this.#listeners.push(listener);
  }

  /** Loads the directory again and serves it if it passes every check; logs and counts the outcome. */
  reload(trigger: ReloadTrigger): Promise<ReloadResult> {
    const next = this.#queue.then(() => this.#reload(trigger));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #reload(trigger: ReloadTrigger): Promise<ReloadResult> {
    const { logger, metrics, now } = this.#options;
    const previous = this.#loaded;
    if (previous.directory === undefined) {
      const problems = [
        { code: "catalog_fixed", message: "This server was given its catalog in code: there is no catalog directory to reload from." },
      ];
      return this.#refused(trigger, { applied: false, reason: "fixed", fingerprint: undefined, problems });
    }
    const outcome = await load(previous.directory, previous.fingerprint, this.#options);
    if (!outcome.ok) {
      const reason = outcome.problems.some((p) => p.code !== "pinned_version_removed") ? "invalid" : "pinned";
      return this.#refused(trigger, { applied: false, reason, fingerprint: outcome.fingerprint, problems: outcome.problems });
    }
    const count = (view: CatalogView): number => carriedVersions(view).length;
    const view = outcome.view;
    if (view === undefined) {
      metrics.catalogReloads.inc({ result: "applied" });
      // The watcher sees every write of a build, most of which change nothing that runs.
      const level = trigger === "watch" ? "debug" : "info";
      logger[level]({ trigger, fingerprint: previous.fingerprint }, "event catalog reload: unchanged");
      return {
        applied: true,
        unchanged: true,
        fingerprint: previous.fingerprint,
        previousFingerprint: previous.fingerprint,
        loadedAt: previous.loadedAt,
        types: previous.view.types.length,
        versions: count(previous.view),
        added: [],
        removed: [],
      };
    }
    const loaded: LoadedCatalog = { view, fingerprint: outcome.fingerprint, loadedAt: now(), directory: previous.directory };
    // The swap: one assignment. Work that already read the previous view keeps it.
    this.#loaded = loaded;
    this.#record(loaded);
    const { added, removed } = catalogChanges(previous.view, loaded.view);
    metrics.catalogReloads.inc({ result: "applied" });
    logger.info(
      { trigger, fingerprint: loaded.fingerprint, previousFingerprint: previous.fingerprint, added: names(added), removed: names(removed) },
      "event catalog reloaded",
    );
    for (const listener of this.#listeners) listener(loaded);
    return {
      applied: true,
      unchanged: false,
      fingerprint: loaded.fingerprint,
      previousFingerprint: previous.fingerprint,
      loadedAt: loaded.loadedAt,
      types: loaded.view.types.length,
      versions: count(loaded.view),
      added,
      removed,
    };
  }

  #refused(trigger: ReloadTrigger, result: Extract<ReloadResult, { applied: false }>): ReloadResult {
    this.#options.metrics.catalogReloads.inc({ result: "refused" });
    this.#options.logger.warn(
      {
        trigger,
        reason: result.reason,
        fingerprint: result.fingerprint,
        serving: this.#loaded.fingerprint,
        problems: result.problems.map((p) => p.message),
      },
      "event catalog reload refused; the previous catalog keeps serving",
    );
    return result;
  }

  #record(loaded: LoadedCatalog): void {
    this.#options.metrics.catalogInfo.reset();
    this.#options.metrics.catalogInfo.set({ fingerprint: loaded.fingerprint }, 1);
  }
}

type LoadOutcome =
  | { readonly ok: true; readonly fingerprint: string; readonly view: CatalogView | undefined }
  | { readonly ok: false; readonly fingerprint: string | undefined; readonly problems: CatalogProblem[] };

/** Reads, imports, checks; `view` is undefined when the files are the ones with fingerprint `serving`. */
async function load(directory: string, serving: string | undefined, options: CatalogRegistryOptions): Promise<LoadOutcome> {
  const read = await readCatalogDirectory(directory);
  if (!read.ok) return { ok: false, fingerprint: undefined, problems: read.problems };
  const { fingerprint } = read;
  if (fingerprint === serving) return { ok: true, fingerprint, view: undefined };
  const imported = await importCatalogCopy(directory, read.files);
  if (!imported.ok) return { ok: false, fingerprint, problems: imported.problems };
  const checked = checkCatalogModules(imported.catalogModule, imported.schemasModule);
  if (!checked.ok) return { ok: false, fingerprint, problems: checked.problems };
  if (options.pinnedVersionCounts !== undefined) {
    const pinned = removedPinnedVersions(checked.view, await options.pinnedVersionCounts());
    if (pinned.length > 0) return { ok: false, fingerprint, problems: pinned };
  }
  return { ok: true, fingerprint, view: checked.view };
}

function names(list: readonly TypeVersion[]): string[] {
  return list.map((tv) => `${tv.type} v${tv.version}`);
}
