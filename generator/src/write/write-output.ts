/**
 * Writes one output directory so that it holds exactly the generated files: changed files are
 * rewritten, unchanged ones left alone (their mtimes too), orphans from an earlier run removed.
 * A file without the generated banner is never deleted: the run stops and names it instead, since
 * an `outDir` that holds hand-written code is a configuration mistake.
 */

import { mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { GENERATED_MARKER, type RenderedFile } from "./render.js";

export class OutputDirectoryError extends Error {
  override readonly name = "OutputDirectoryError";
}

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
  const orphans: string[] = [];
  for (const existing of await readdir(outDir, { recursive: true, withFileTypes: true })) {
    if (!existing.isFile()) continue;
    const relative = path.relative(outDir, path.join(existing.parentPath, existing.name)).split(path.sep).join("/");
    if (!wanted.has(relative)) orphans.push(relative);
  }
  const foreign = [];
  for (const orphan of orphans) {
    const head = (await readFile(path.join(outDir, orphan), "utf8")).slice(0, 400);
    if (!head.includes(GENERATED_MARKER)) foreign.push(orphan);
  }
  if (foreign.length > 0) {
    throw new OutputDirectoryError(
      `${outDir} holds files hookline did not generate (${foreign.sort().join(", ")}); it would have to delete them. Point outDir at a directory of its own, e.g. src/generated.`,
    );
  }
  for (const orphan of orphans) {
    await rm(path.join(outDir, orphan));
    removed.push(orphan);
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
