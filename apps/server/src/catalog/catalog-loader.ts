/**
 * Loads the compiled catalog modules (`catalog.js` and `schemas.js`, the generated output of an SDK)
 * from a directory, afresh each time.
 *
 * Node's ESM loader caches every module by URL for the life of the process, so importing the same
 * file again returns the old catalog. Each load therefore reads the directory's files once (the
 * fingerprint is computed from exactly the bytes that are imported), writes them to a new temporary
 * directory, imports them from there, and removes the copy. The generated modules import only each
 * other by relative path (catalog.js → validators.js → validator-runtime.js; schemas.js imports
 * nothing), so the copy is complete; a module that imports a package is refused with a message,
 * since packages cannot be resolved from the temporary directory. A loaded module graph stays in
 * memory (ESM cannot unload it): once per distinct catalog, see `imported`.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import type { CatalogProblem } from "../domain/catalog-reload.js";
import { CATALOG_MODULE, SCHEMAS_MODULE } from "./catalog-check.js";

/** The default catalog: `@hookline/sender`'s compiled generated modules, found through the package. */
export function defaultCatalogDirectory(): string {
  const manifest = createRequire(import.meta.url).resolve("@hookline/sender/package.json");
  return join(dirname(manifest), "dist", "generated");
}

export interface CatalogFile {
  /** Path relative to the catalog directory, `/`-separated. */
  readonly path: string;
  readonly bytes: Buffer;
}

export type ReadCatalog =
  | { readonly ok: true; readonly files: readonly CatalogFile[]; readonly fingerprint: string }
  | { readonly ok: false; readonly problems: CatalogProblem[] };

const HOW_TO_POINT = "HOOKLINE_CATALOG_DIR must name the compiled generated output of an SDK (for example packages/sender/dist/generated).";

/** Reads every file of `directory` (recursively) and fingerprints the modules among them. */
export async function readCatalogDirectory(directory: string): Promise<ReadCatalog> {
  let names: string[];
  try {
    names = (await readdir(directory, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name).slice(directory.length + 1))
      .sort();
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : `cannot be read (${errorText(error)})`;
    return {
      ok: false,
      problems: [{ code: "catalog_unreadable", message: `The catalog directory ${directory} ${reason}. ${HOW_TO_POINT}` }],
    };
  }
  const missing = [CATALOG_MODULE, SCHEMAS_MODULE].filter((name) => !names.includes(name));
  if (missing.length > 0) {
    const problems = missing.map((name) => ({
      code: "catalog_unreadable",
      file: name,
      message: `The catalog directory ${directory} has no ${name}. Run npm run generate (or npm run build); ${HOW_TO_POINT}`,
    }));
    return { ok: false, problems };
  }
  const files = await Promise.all(
    names.map(async (name) => ({ path: name.split(sep).join("/"), bytes: await readFile(join(directory, name)) })),
  );
  return { ok: true, files, fingerprint: fingerprintOf(files) };
}

/** Whether a file of the catalog directory can change what runs (type declarations and source maps cannot). */
export function affectsRuntime(path: string): boolean {
  return !/\.d\.(m|c)?ts$|\.map$/.test(path);
}

/** SHA-256 over the paths and bytes of the files that can change what runs, first 16 hex digits. */
export function fingerprintOf(files: readonly CatalogFile[]): string {
  const hash = createHash("sha256");
  for (const file of files) {
    if (!affectsRuntime(file.path)) continue;
    hash.update(file.path).update("\u0000").update(file.bytes).update("\u0000");
  }
  return hash.digest("hex").slice(0, 16);
}

export type ImportedCatalog =
  | { readonly ok: true; readonly catalogModule: Record<string, unknown>; readonly schemasModule: Record<string, unknown> }
  | { readonly ok: false; readonly problems: CatalogProblem[] };

/**
 * Module graphs already imported, by fingerprint. ESM never unloads a module, so importing the same
 * bytes again would only add another copy: a reload back to an earlier catalog, or another server
 * instance in the same process (tests), reuses the graph. The generated modules are pure values.
 */
const imported = new Map<string, Extract<ImportedCatalog, { ok: true }>>();

/** Writes `files` to a new temporary directory, imports catalog.js and schemas.js from it, and removes it. */
export async function importCatalogCopy(directory: string, files: readonly CatalogFile[]): Promise<ImportedCatalog> {
  const fingerprint = fingerprintOf(files);
  const known = imported.get(fingerprint);
  if (known !== undefined) return known;
  const copy = await mkdtemp(join(tmpdir(), "hookline-catalog-"));
  try {
    for (const file of files) {
      const target = join(copy, ...file.path.split("/"));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, file.bytes);
    }
    // The generated modules are ESM: say so, as their package does, unless the directory says it itself.
    if (!files.some((file) => file.path === "package.json")) await writeFile(join(copy, "package.json"), '{"type":"module"}\n');
    const problems: CatalogProblem[] = [];
    const load = async (name: string): Promise<Record<string, unknown> | undefined> => {
      try {
        return (await import(pathToFileURL(join(copy, name)).href)) as Record<string, unknown>;
      } catch (error) {
        const located = error instanceof SyntaxError ? await locateSyntaxError(copy, files) : undefined;
        problems.push(loadProblem(error, name, copy, directory, located));
        return undefined;
      }
    };
    const [catalogModule, schemasModule] = await Promise.all([load(CATALOG_MODULE), load(SCHEMAS_MODULE)]);
    if (catalogModule === undefined || schemasModule === undefined) return { ok: false, problems };
    const result = { ok: true, catalogModule, schemasModule } as const;
    imported.set(fingerprint, result);
    return result;
  } finally {
    // Everything is imported (the generated modules have no lazy imports): the copy is no longer needed.
    await rm(copy, { recursive: true, force: true });
  }
}

/** An import failure as a problem naming the original files, not the temporary copy. */
function loadProblem(error: unknown, name: string, copy: string, directory: string, located: string | undefined): CatalogProblem {
  const original = (text: string): string =>
    text.replaceAll(pathToFileURL(copy).href, pathToFileURL(directory).href).replaceAll(copy, directory);
  const code = (error as { code?: unknown } | null)?.code;
  const message = original(errorText(error));
  const importer = /imported from (\S+)/.exec(message)?.[1];
  const bare = /Cannot find package '([^']+)'/.exec(message)?.[1];
  if (code === "ERR_MODULE_NOT_FOUND" && bare !== undefined) {
    return {
      code: "module_failed",
      file: name,
      message:
        `${importer ?? name} imports the package "${bare}", which a catalog module cannot use: the catalog is loaded from a fresh ` +
        `copy of ${directory} (so a reload never gets a cached module), where only relative imports between its own files and ` +
        `Node built-ins resolve. ${HOW_TO_POINT}`,
    };
  }
  const missing = /Cannot find module '([^']+)'/.exec(message)?.[1];
  if (code === "ERR_MODULE_NOT_FOUND" && missing !== undefined) {
    return {
      code: "module_failed",
      file: name,
      message: `${importer ?? name} imports ${missing}, which is not in the catalog directory ${directory}: its modules may import only each other.`,
    };
  }
  const at = located === undefined ? "" : ` (${original(located)})`;
  return { code: "module_failed", file: name, message: `${join(directory, name)} failed to load: ${message}${at}` };
}

/**
 * Where a syntax error is. Node's import error does not say which file or line, so each module is
 * checked with `node --check` (only after an import failed with a SyntaxError): "file:line: source".
 */
async function locateSyntaxError(copy: string, files: readonly CatalogFile[]): Promise<string | undefined> {
  for (const file of files) {
    if (!/\.(m|c)?js$/.test(file.path)) continue;
    const path = join(copy, ...file.path.split("/"));
    try {
      await promisify(execFile)(process.execPath, ["--check", path], { timeout: 10_000 });
    } catch (error) {
      const lines = String((error as { stderr?: unknown }).stderr ?? "").split("\n");
      const where = lines[0]?.startsWith(path) === true ? lines[0] : undefined;
      if (where === undefined) continue;
      return `${where}: ${(lines[1] ?? "").trim().slice(0, 200)}`;
    }
  }
  return undefined;
}

function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name === "Error" ? "" : `${error.name}: `}${error.message}`;
  return String(error);
}
