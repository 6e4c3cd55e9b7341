/**
 * `hookline docs`: renders the static catalog site (pure: model in, files out) and writes it.
 * Layout: `index.html`, `events/<type>.html`, `definitions/<Name>.html`, `assets/style.css`,
 * `assets/search.js`, `assets/favicon.svg`, `search-index.json`. Links are relative, so the folder works from any prefix
 * (`/docs/` on the server) and from the file system (search needs HTTP: browsers do not fetch file:// URLs).
 */

import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { CatalogModel } from "../model/catalog-model.js";
import { FAVICON, SEARCH_SCRIPT, STYLESHEET } from "./assets.js";
import { definitionPath, eventPath } from "./html.js";
import { page } from "./layout.js";
import { definitionPageBody, definitionUsers } from "./render-definition.js";
import { eventPageBody } from "./render-event.js";
import { eventTypes, indexPageBody, searchIndex } from "./render-index.js";
import { DEFAULT_SDK_MODULES, type SdkModules } from "./sdk-snippets.js";

export interface DocsOptions {
  /** Heading and `<title>` suffix; default "Webhook events". */
  readonly title?: string;
  readonly sdk?: SdkModules;
}

/** Every file of the site by relative path (`/` separators). Same model and options, same bytes. */
export function renderDocs(model: CatalogModel, options: DocsOptions = {}): Map<string, string> {
  const siteTitle = options.title ?? "Webhook events";
  const sdk = options.sdk ?? DEFAULT_SDK_MODULES;
  const files = new Map<string, string>();
  files.set("index.html", page({ title: "All events", root: "", siteTitle, body: indexPageBody(model, siteTitle) }));
  for (const [type, versions] of eventTypes(model)) {
    const newest = versions[versions.length - 1];
    files.set(
      eventPath(type),
      page({ title: type, root: "../", siteTitle, description: newest?.description, body: eventPageBody(model, versions, sdk) }),
    );
  }
  const users = definitionUsers(model);
  for (const definition of model.definitions) {
    files.set(
      definitionPath(definition.typeName),
      page({
        title: definition.typeName,
        root: "../",
        siteTitle,
        description: definition.description,
        body: definitionPageBody(model, definition, users.get(definition.uri)),
      }),
    );
  }
  files.set("assets/style.css", STYLESHEET);
  files.set("assets/search.js", SEARCH_SCRIPT);
  files.set("assets/favicon.svg", FAVICON);
  files.set("search-index.json", `${JSON.stringify(searchIndex(model))}\n`);
  return files;
}

/** The output folder holds something other than an earlier build of the site, which writing would delete. */
export class DocsOutputError extends Error {
  override readonly name = "DocsOutputError";
}

/** Replaces `outDir` (missing, empty, or an earlier build: it holds `search-index.json`) with the site; returns the relative paths written. */
export async function writeDocs(outDir: string, files: ReadonlyMap<string, string>): Promise<string[]> {
  const existing: string[] = await readdir(outDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  if (existing.length > 0 && !existing.includes("search-index.json")) {
    throw new DocsOutputError(
      `hookline docs: ${outDir} is not empty and is not a site built by hookline docs (no search-index.json), so it was left alone. Choose a new or empty folder with --out.`,
    );
  }
  await rm(outDir, { recursive: true, force: true });
  for (const [relative, content] of files) {
    const target = path.join(outDir, ...relative.split("/"));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
  return [...files.keys()];
}
