/**
 * The golden fixture cases, shared by the golden, typecheck and determinism tests, and how their
 * expected files are stored: test/fixtures/<case>/expected/<file> when every target renders the
 * same bytes, test/fixtures/<case>/expected/<target>/<file> when they differ (index.ts).
 */

import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Target } from "../../src/config.js";
import type { RenderedFile } from "../../src/index.js";

/** The two large cases, then one small catalog per feature; each has a hand-written usage.ts next to its catalog. */
export const GOLDEN_CASES = [
  "features",
  "minimal",
  "refs",
  "one-of",
  "nullable",
  "recursion",
  "pattern-properties",
  "versions",
  "pinned-versions",
  "enums-with-quotes",
  "all-of-and-tuples",
] as const;
export const TARGETS: readonly Target[] = ["sender", "receiver"];
/** The banner's source: what a config file's `"catalog": "./catalog"` would show. */
export const GOLDEN_SOURCE = "./catalog";
export const RUNTIME = "@hookline/core";

/**
 * The output options a case renders with: `{ target, runtime }`, plus the `versions` option when the
 * case has an `output.json` next to its catalog (`{"versions": {"user.signed_up": [1]}}`).
 */
export async function goldenOutput(
  caseDir: string,
  target: Target,
): Promise<{ target: Target; runtime: string; versions?: Readonly<Record<string, readonly number[]>> }> {
  const text = await readFile(path.join(caseDir, "output.json"), "utf8").catch(() => undefined);
  if (text === undefined) return { target, runtime: RUNTIME };
  const { versions } = JSON.parse(text) as { versions: Record<string, number[]> };
  return { target, runtime: RUNTIME, versions };
}

/** Stored path (relative to expected/) → text: each file once when all targets render it alike, else once per target. */
export function storedLayout(byTarget: ReadonlyMap<Target, readonly RenderedFile[]>): Map<string, string> {
  const stored = new Map<string, string>();
  const paths = new Set([...byTarget.values()].flatMap((files) => files.map((f) => f.path)));
  for (const file of [...paths].sort()) {
    const texts = [...byTarget].map(([target, files]) => [target, files.find((f) => f.path === file)?.text] as const);
    const first = texts[0]?.[1];
    if (texts.every(([, text]) => text === first) && first !== undefined) stored.set(file, first);
    else for (const [target, text] of texts) if (text !== undefined) stored.set(`${target}/${file}`, text);
  }
  return stored;
}

/** Every file under `dir`, relative and `/`-separated, sorted; empty when `dir` does not exist. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .sort();
}

/** The files of one target as generated (file name → text), put back together from the stored layout. */
export async function readTargetGoldens(expectedDir: string, target: Target): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const file of await listFiles(expectedDir)) {
    // A target's own files sit under <target>/; anything else (converters/… too) is shared.
    const [first = "", ...rest] = file.split("/");
    if (!(TARGETS as readonly string[]).includes(first)) files.set(file, await readFile(path.join(expectedDir, file), "utf8"));
    else if (first === target) files.set(rest.join("/"), await readFile(path.join(expectedDir, file), "utf8"));
  }
  return files;
}
