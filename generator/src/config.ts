/**
 * Generator configuration: where the catalog is and which SDK sources to write where.
 *
 * Read from `hookline.config.json`, or the `"hookline"` field of `package.json`, in the working
 * directory (or the file given with --config). Paths are relative to the file that holds them.
 */

import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { FORMATS, type Format } from "./write/prettier.js";

export type Target = "sender" | "receiver";
export const TARGETS: readonly Target[] = ["sender", "receiver"];

export interface OutputConfig {
  /** Which SDK to emit: `sender` (producer side) or `receiver` (consumer side). */
  readonly target: Target;
  /** Directory that will hold exactly the generated files (it is cleaned of orphans). */
  readonly outDir: string;
  /** npm name of the hand-written runtime the generated code imports. Default `@hookline/core`. */
  readonly runtime: string;
}

export interface GeneratorConfig {
  /** Catalog folder: a path, or an npm package name whose folder holds the catalog. */
  readonly catalog: string;
  readonly catalogDir: string;
  readonly outputs: readonly OutputConfig[];
  /**
   * Layout of the generated files. `"none"` (default): the TypeScript printer's, stable for a
   * generator version and fast on large catalogs. `"prettier"`: that text formatted by prettier,
   * which must then be installed; the bytes then also depend on its version.
   */
  readonly format?: Format;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

const CONFIG_FILE = "hookline.config.json";
const DEFAULT_RUNTIME = "@hookline/core";

export async function loadConfig(cwd: string, configPath?: string): Promise<GeneratorConfig> {
  if (configPath !== undefined) {
    const file = path.resolve(cwd, configPath);
    const raw = await readJson(file).catch((error: NodeJS.ErrnoException) =>
      Promise.reject(
        error.code === "ENOENT"
          ? new ConfigError(
              `${file} does not exist: pass the path of a hookline.config.json with --config, or omit --config to use ./${CONFIG_FILE}.`,
            )
          : error,
      ),
    );
    return parseConfig(raw, file);
  }
  const own = path.join(cwd, CONFIG_FILE);
  const direct = await readJson(own).catch((error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? undefined : Promise.reject(error)));
  if (direct !== undefined) return parseConfig(direct, own);
  const pkgFile = path.join(cwd, "package.json");
  const pkg = await readJson(pkgFile).catch(() => undefined);
  if (isRecord(pkg) && pkg.hookline !== undefined) return parseConfig(pkg.hookline, `${pkgFile}#hookline`);
  throw new ConfigError(
    `No generator configuration in ${cwd}: add ${CONFIG_FILE} (or a "hookline" field in package.json), e.g. {"catalog": "./catalog", "outputs": [{"target": "receiver", "outDir": "src/generated"}]}, or pass --config <file>.`,
  );
}

/** Validates a configuration object; `where` names the file (and field) for messages. */
export function parseConfig(raw: unknown, where: string): GeneratorConfig {
  const fail = (message: string): never => {
    throw new ConfigError(`${where}: ${message}`);
  };
  if (!isRecord(raw)) return fail("the configuration must be a JSON object");
  const base = path.dirname(where.replace(/#hookline$/, ""));
  for (const key of Object.keys(raw))
    if (!["$schema", "catalog", "outputs", "format"].includes(key)) fail(`unknown field "${key}" (allowed: catalog, outputs, format)`);
  if (typeof raw.catalog !== "string" || raw.catalog === "")
    return fail('"catalog" must be a folder path or a package name, e.g. "./catalog"');
  if (!Array.isArray(raw.outputs) || raw.outputs.length === 0) return fail('"outputs" must list at least one {"target", "outDir"}');
  const outputs = raw.outputs.map((output: unknown, i: number): OutputConfig => {
    const at = `outputs[${i}]`;
    if (!isRecord(output)) return fail(`${at} must be an object`);
    for (const key of Object.keys(output))
      if (!["target", "outDir", "runtime"].includes(key)) fail(`${at}: unknown field "${key}" (allowed: target, outDir, runtime)`);
    if (!TARGETS.includes(output.target as Target)) fail(`${at}.target must be one of ${TARGETS.map((t) => `"${t}"`).join(", ")}`);
    if (typeof output.outDir !== "string" || output.outDir === "") fail(`${at}.outDir must be a directory path, e.g. "src/generated"`);
    if (output.runtime !== undefined && (typeof output.runtime !== "string" || output.runtime === ""))
      fail(`${at}.runtime must be an npm package name`);
    return {
      target: output.target as Target,
      outDir: path.resolve(base, output.outDir as string),
      runtime: (output.runtime as string | undefined) ?? DEFAULT_RUNTIME,
    };
  });
  if (raw.format !== undefined && !FORMATS.includes(raw.format as Format))
    fail(
      `"format" must be ${FORMATS.map((f) => `"${f}"`).join(" or ")} (default "none": no formatter; "prettier" needs prettier installed)`,
    );
  // Each output directory is cleaned of files it did not render, so two outputs must never overlap.
  outputs.forEach((output, i) => {
    const clash = outputs.findIndex(
      (other, j) => j < i && (isSameOrInside(output.outDir, other.outDir) || isSameOrInside(other.outDir, output.outDir)),
    );
    if (clash !== -1) fail(`outputs[${i}].outDir overlaps outputs[${clash}].outDir; give every output its own directory`);
  });
  const format = (raw.format as Format | undefined) ?? "none";
  return { catalog: raw.catalog, catalogDir: resolveCatalogDir(raw.catalog, base, fail), outputs, format };
}

/** `./catalog` is a path; `@acme/catalog` is a package resolved from the config's folder. */
function resolveCatalogDir(catalog: string, base: string, fail: (m: string) => never): string {
  if (catalog.startsWith(".") || path.isAbsolute(catalog)) return path.resolve(base, catalog);
  try {
    const require = createRequire(path.join(base, "noop.js"));
    return path.dirname(require.resolve(`${catalog}/package.json`));
  } catch {
    return fail(`"catalog": package "${catalog}" is not installed here; install it, or give a path starting with "./"`);
  }
}

async function readJson(file: string): Promise<unknown> {
  const text = await readFile(file, "utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

function isSameOrInside(dir: string, other: string): boolean {
  const relative = path.relative(other, dir);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
