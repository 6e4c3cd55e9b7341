/**
 * Writes a package directory all at once: the files are written to a staging folder beside it, which
 * then replaces it with two renames, so a failed run leaves the previous package as it was and never
 * a half-written one; what an interrupted run leaves beside it is removed by the next. The generator
 * owns the directory: `.hookline-manifest.json` lists what it wrote, and a directory holding any other
 * file is refused, since replacing it would delete that file, as are a file or a symbolic link.
 */

import { lstat, mkdir, mkdtemp, readFile, readdir, realpath, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { RenderedFile } from "./render.js";

export const MANIFEST = ".hookline-manifest.json";

/** A package that cannot be built or written as configured; the message names the fix. */
export class PackError extends Error {
  override readonly name = "PackError";
}

export async function writePackage(outDir: string, files: readonly RenderedFile[]): Promise<void> {
  await assertDirectory(outDir);
  await assertOwned(outDir);
  const parent = path.dirname(outDir);
  await mkdir(parent, { recursive: true }).catch((error: NodeJS.ErrnoException) =>
    Promise.reject(
      error.code === "ENOTDIR" || error.code === "EEXIST"
        ? new PackError(`${outDir} cannot be created: a folder above it is a file. Point package.outDir elsewhere, or remove that file.`)
        : error,
    ),
  );
  await removeStaleStaging(parent, outDir);
  const staging = await mkdtemp(path.join(parent, stagingPrefix(outDir)));
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

function stagingPrefix(outDir: string): string {
  return `.${path.basename(outDir)}.staging-`;
}

/**
 * Removes the staging folders (and set-aside previous packages) of runs that were interrupted, e.g.
 * by Ctrl-C, before they could clean up: they sit beside `outDir` under names only pack uses.
 */
async function removeStaleStaging(parent: string, outDir: string): Promise<void> {
  const prefix = stagingPrefix(outDir);
  const stale = (await readdir(parent)).filter((name) => name.startsWith(prefix));
  await Promise.all(stale.map((name) => rm(path.join(parent, name), { recursive: true, force: true })));
}

/**
 * Throws unless `outDir` is missing or a real directory. A symbolic link would be replaced by a
 * directory, leaving the folder it points at with the old package; a file would be deleted.
 */
async function assertDirectory(outDir: string): Promise<void> {
  const stats = await lstat(outDir).catch((error: NodeJS.ErrnoException) =>
    error.code === "ENOENT" || error.code === "ENOTDIR" ? undefined : Promise.reject(error),
  );
  if (stats === undefined || stats.isDirectory()) return;
  if (stats.isSymbolicLink()) {
    const target = await realpath(outDir).catch(() => undefined);
    throw new PackError(
      `${outDir} is a symbolic link${target === undefined ? " to nothing" : ` to ${target}`}; pack replaces the directory whole, so point package.outDir at a real directory${target === undefined ? "" : ` (e.g. ${target})`}.`,
    );
  }
  throw new PackError(
    `${outDir} is a file, not a directory; point package.outDir at a directory of its own, e.g. "dist/sdk", or remove the file.`,
  );
}

/** Throws unless `outDir` is missing, empty, or holds only files its manifest lists. */
async function assertOwned(outDir: string): Promise<void> {
  const entries = await readdir(outDir, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) =>
    error.code === "ENOENT" || error.code === "ENOTDIR" ? [] : Promise.reject(error),
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
