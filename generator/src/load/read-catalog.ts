/** Reads the catalog folder: every `*.json` under `events/` and `defs/`, in a fixed order. */

import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { CatalogIssue } from "./issues.js";

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
  for (const folder of SOURCE_FOLDERS) {
    for (const file of await listJsonFiles(catalogDir, folder)) {
      const text = await readFile(path.join(catalogDir, file), "utf8");
      try {
        files.push({ file, json: JSON.parse(text) as unknown });
      } catch (error) {
        issues.push({
          file,
          pointer: "",
          message: `is not valid JSON (${(error as Error).message})`,
          fix: "correct the JSON syntax; every catalog file is one JSON Schema document",
        });
      }
    }
  }
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
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
