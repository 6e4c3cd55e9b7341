/**
 * Writes a package directory all at once: the files are written to a staging folder beside it, which
 * then replaces it with two renames, so a failed run leaves the previous package as it was and never
 * a half-written one. The generator owns the directory: `.hookline-manifest.json` lists what it
 * wrote, and a directory holding any other file is refused, since replacing it would delete that file.
 */

import { mkdtemp, readFile, readdir, rename, rm, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import type { RenderedFile } from "./render.js";

export const MANIFEST = ".hookline-manifest.json";

/** A package that cannot be built or written as configured; the message names the fix. */
export class PackError extends Error {
  override readonly name = "PackError";
}

export async function writePackage(outDir: string, files: readonly RenderedFile[]): Promise<void> {
  await assertOwned(outDir);
  const parent = path.dirname(outDir);
  await mkdir(parent, { recursive: true });
  const staging = await mkdtemp(path.join(parent, `.${path.basename(outDir)}.staging-`));
  try {
    for (const file of files) {
      const target = path.join(staging, file.path);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, file.text);
    }
    const manifest = { generatedBy: "hookline pack", files: files.map((f) => f.path).sort() };
    await writeFile(path.join(staging, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    const previous = `${staging}.previous`;
    const hadPrevious = await rename(outDir, previous).then(
      () => true,
      (error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? false : Promise.reject(error)),
    );
    await rename(staging, outDir);
    if (hadPrevious) await rm(previous, { recursive: true, force: true });
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Throws unless `outDir` is missing, empty, or holds only files its manifest lists. */
async function assertOwned(outDir: string): Promise<void> {
  const entries = await readdir(outDir, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) =>
    error.code === "ENOENT" ? [] : Promise.reject(error),
  );
  const present = entries
    .filter((e) => !e.isDirectory())
    .map((e) => path.relative(outDir, path.join(e.parentPath, e.name)).split(path.sep).join("/"));
  if (present.length === 0) return;
  const listed = await readFile(path.join(outDir, MANIFEST), "utf8").then(
    (text) => new Set<string>((JSON.parse(text) as { files?: string[] }).files ?? []),
    () => undefined,
  );
  const foreign = present.filter((f) => f !== MANIFEST && !listed?.has(f)).sort();
  if (foreign.length > 0) {
    const shown = foreign.length > 5 ? `${foreign.slice(0, 5).join(", ")} and ${foreign.length - 5} more` : foreign.join(", ");
    throw new PackError(
      `${outDir} holds files hookline pack did not write (${shown}); it replaces the whole directory. Point package.outDir at a directory of its own, e.g. "dist/sdk", or empty this one.`,
    );
  }
}
