/** Test helpers: tiny catalogs written to temp dirs, and the schemas they are made of. */

import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));
/** The repository's real catalog, relative to this file (never an absolute path). */
export const REAL_CATALOG = fileURLToPath(new URL("../../../catalog/", import.meta.url));

export const DIALECT = "https://json-schema.org/draft/2020-12/schema";
export const BASE = "https://hookline.dev/catalog/";

/** Catalog-relative path → file content (an object is written as 2-space JSON, a string verbatim). */
export type CatalogFiles = Readonly<Record<string, unknown>>;

const tempDirs: string[] = [];

/** A fresh directory under the OS temp dir; removed by `removeTempDirs` (call it in `afterAll`). */
export async function tempDir(prefix = "hookline-test-"): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Writes `files` (in the given order) into `dir`, or into a new temp dir; returns the directory. */
export async function writeCatalog(files: CatalogFiles, dir?: string): Promise<string> {
  const root = dir ?? (await tempDir());
  for (const [file, content] of Object.entries(files)) {
    const target = path.join(root, ...file.split("/"));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, typeof content === "string" ? content : `${JSON.stringify(content, null, 2)}\n`);
  }
  return root;
}

/** Every file under `dir` as catalog-relative path → text, sorted by path. */
export async function readTree(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .sort();
  const out: Record<string, string> = {};
  for (const file of files) out[file] = await readFile(path.join(dir, file), "utf8");
  return out;
}

/**
 * A valid event schema at `events/<domain>/<type>.v<version>.json` with one string property
 * `orderId`; `overrides` replace top-level keys (a value of `undefined` removes the key).
 */
export function eventSchema(file: string, overrides: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  const match = /^events\/[^/]+\/(.+)\.v(\d+)\.json$/.exec(file);
  if (match === null) throw new Error(`not an event file name: ${file}`);
  const [, type = "", version = "1"] = match;
  const schema: Record<string, unknown> = {
    $schema: DIALECT,
    $id: BASE + file,
    title: pascal(type),
    description: `Sent when ${type} happens.`,
    "x-hookline": { type, version: Number(version) },
    type: "object",
    additionalProperties: false,
    required: ["orderId"],
    properties: { orderId: { description: "Order id.", type: "string" } },
    examples: [{ orderId: "ord_1" }],
  };
  return applyOverrides(schema, overrides);
}

/** A valid definitions schema at `defs/<name>.json`: `{ amount: integer, currency: string }`. */
export function defSchema(file: string, overrides: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  const name = /^defs\/(.+)\.json$/.exec(file)?.[1];
  if (name === undefined) throw new Error(`not a defs file name: ${file}`);
  const schema: Record<string, unknown> = {
    $schema: DIALECT,
    $id: BASE + file,
    title: pascal(name),
    description: `A ${name}.`,
    type: "object",
    additionalProperties: false,
    required: ["amount", "currency"],
    properties: {
      amount: { description: "Minor units.", type: "integer" },
      currency: { description: "ISO 4217 code.", type: "string" },
    },
  };
  return applyOverrides(schema, overrides);
}

function applyOverrides(schema: Record<string, unknown>, overrides: Readonly<Record<string, unknown>>): Record<string, unknown> {
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete schema[key];
    else schema[key] = value;
  }
  return schema;
}

function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}
