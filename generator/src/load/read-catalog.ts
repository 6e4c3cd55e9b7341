/** Reads the catalog folder: every `*.json` under `events/` and `defs/`, in a fixed order. */

import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { compareCodeUnits } from "../schema/compare.js";
import type { CatalogIssue } from "../schema/issues.js";

export interface CatalogFile {
  /** Catalog-relative path, `/`-separated. */
  readonly file: string;
  readonly json: unknown;
}

export interface ReadResult {
  readonly files: readonly CatalogFile[];
  readonly issues: readonly CatalogIssue[];
}

const SOURCE_FOLDERS = ["defs", "events"] as const;

export async function readCatalog(catalogDir: string): Promise<ReadResult> {
  const files: CatalogFile[] = [];
  const issues: CatalogIssue[] = [];
  const paths: string[] = [];
  for (const folder of SOURCE_FOLDERS) paths.push(...(await listJsonFiles(catalogDir, folder)));
  // Reading one file at a time leaves the process idle between reads; parsing stays in order.
  const texts = await mapConcurrently(paths, READ_CONCURRENCY, (file) => readFile(path.join(catalogDir, file), "utf8"));
  paths.forEach((file, i) => {
    try {
      files.push({ file, json: JSON.parse(texts[i] as string) as unknown });
    } catch (error) {
      issues.push({
        file,
        pointer: "",
        message: `is not valid JSON (${(error as Error).message})`,
        fix: "correct the JSON syntax; every catalog file is one JSON Schema document",
      });
    }
  });
  if (!files.some((f) => f.file.startsWith("events/")) && issues.length === 0) {
    issues.push({
      file: "",
      pointer: "",
      message: `no event schemas found under ${path.join(catalogDir, "events")}`,
      fix: "point --catalog (or the `catalog` config field) at a folder with events/<domain>/<type>.v<N>.json files",
    });
  }
  return { files, issues };
}

/** Files read at once: enough to keep the disk and thread pool busy, few enough to stay far from the open-file limit. */
const READ_CONCURRENCY = 32;

/** `map` with an async function, at most `limit` calls in flight; results in input order. */
async function mapConcurrently<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Catalog-relative paths of JSON files below `folder`, sorted by code unit so order never depends on the file system. */
async function listJsonFiles(catalogDir: string, folder: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(path.join(catalogDir, folder), { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return entries
    .filter((entry) => entry.endsWith(".json"))
    .map((entry) => `${folder}/${entry.split(path.sep).join("/")}`)
    .sort(compareCodeUnits);
}
