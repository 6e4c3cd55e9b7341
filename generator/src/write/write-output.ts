/**
 * Writes one output directory so that it holds exactly the generated files: changed files are
 * rewritten, unchanged ones left alone (their mtimes too), orphans from an earlier run removed.
 */

import { mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { RenderedFile } from "./render.js";

export interface WriteReport {
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  readonly removed: readonly string[];
}

export async function writeOutput(outDir: string, files: readonly RenderedFile[]): Promise<WriteReport> {
  await mkdir(outDir, { recursive: true });
  const wanted = new Map(files.map((f) => [f.path, f.text]));
  const written: string[] = [];
  const unchanged: string[] = [];
  const removed: string[] = [];
  for (const existing of await readdir(outDir, { recursive: true, withFileTypes: true })) {
    if (!existing.isFile()) continue;
    const relative = path.relative(outDir, path.join(existing.parentPath, existing.name)).split(path.sep).join("/");
    if (!wanted.has(relative)) {
      await rm(path.join(outDir, relative));
      removed.push(relative);
    }
  }
  for (const [relative, text] of wanted) {
    const target = path.join(outDir, relative);
    const current = await readFile(target, "utf8").catch(() => undefined);
    if (current === text) {
      unchanged.push(relative);
      continue;
    }
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, text);
    written.push(relative);
  }
  return { written, unchanged, removed: removed.sort() };
}
