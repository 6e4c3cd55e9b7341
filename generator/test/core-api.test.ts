/**
 * Packed SDKs depend on `@hookline/core` at RUNTIME_RANGE. That range is only true while core's
 * public API stays what this generator's output was built against, so the API is pinned here, keyed
 * by core's version: the names its entry exports at run time and its public declarations (every
 * `.d.ts` reachable from dist/index.d.ts, comments left out). Changing the API without bumping
 * core's version fails; a new version needs its snapshot recorded and RUNTIME_RANGE reviewed.
 *
 * Record a new version's snapshot: HOOKLINE_RECORD_CORE_API=1 npx vitest run test/core-api.test.ts
 */

import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { ts } from "ts-morph";
import { expect, it } from "vitest";
import { RUNTIME_RANGE } from "../src/index.js";

const CORE = path.dirname(createRequire(import.meta.url).resolve("@hookline/core/package.json"));
const SNAPSHOTS = path.join(import.meta.dirname, "core-api");
const FIX =
  "bump packages/core's version (below 1.0.0 a breaking change bumps the minor), update RUNTIME_RANGE in generator/src/config.ts to the core versions the generated code works with, then record the new version's API with HOOKLINE_RECORD_CORE_API=1 npx vitest run test/core-api.test.ts";

interface ApiSnapshot {
  readonly version: string;
  /** Run-time exports of the package entry, sorted. */
  readonly exports: readonly string[];
  /** Public declaration file → sha256 of its text without comments. */
  readonly declarations: Readonly<Record<string, string>>;
}

async function currentApi(): Promise<ApiSnapshot> {
  const { version } = JSON.parse(await readFile(path.join(CORE, "package.json"), "utf8")) as { version: string };
  const exports = Object.keys(await import("@hookline/core")).sort();
  const declarations: Record<string, string> = {};
  const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });
  const pending = ["dist/index.d.ts"];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (declarations[file] !== undefined) continue;
    const text = await readFile(path.join(CORE, file), "utf8");
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    declarations[file] = createHash("sha256").update(printer.printFile(source)).digest("hex");
    for (const match of text.matchAll(/from "(\.{1,2}\/[^"]+)\.js"/g))
      pending.push(path.posix.join(path.posix.dirname(file), `${match[1]}.d.ts`));
  }
  return { version, exports, declarations: Object.fromEntries(Object.entries(declarations).sort(([a], [b]) => a.localeCompare(b))) };
}

it("core's public API is the one recorded for its version, and RUNTIME_RANGE includes that version", async () => {
  const current = await currentApi();
  const file = path.join(SNAPSHOTS, `hookline-core-${current.version}.json`);
  if (process.env.HOOKLINE_RECORD_CORE_API === "1" && !existsSync(file)) await writeFile(file, `${JSON.stringify(current, null, 2)}\n`);
  if (!existsSync(file))
    throw new Error(`No API snapshot for @hookline/core ${current.version} (${path.relative(process.cwd(), file)}): ${FIX}`);
  const recorded = JSON.parse(await readFile(file, "utf8")) as ApiSnapshot;
  const changed = [
    ...current.exports.filter((e) => !recorded.exports.includes(e)).map((e) => `+export ${e}`),
    ...recorded.exports.filter((e) => !current.exports.includes(e)).map((e) => `-export ${e}`),
    ...Object.keys({ ...recorded.declarations, ...current.declarations })
      .filter((d) => recorded.declarations[d] !== current.declarations[d])
      .map((d) => `~${d}`),
  ];
  expect(changed, `core's public API changed but its version is still ${current.version}: ${FIX}`).toEqual([]);
  expect(satisfiesCaret(current.version, RUNTIME_RANGE), `RUNTIME_RANGE ${RUNTIME_RANGE} excludes core ${current.version}: ${FIX}`).toBe(
    true,
  );
});

it("reads RUNTIME_RANGE with npm's caret rule", () => {
  expect(satisfiesCaret("0.1.3", "^0.1.0")).toBe(true);
  expect(satisfiesCaret("0.2.0", "^0.1.0")).toBe(false);
  expect(satisfiesCaret("1.4.0", "^1.2.0")).toBe(true);
  expect(satisfiesCaret("2.0.0", "^1.2.0")).toBe(false);
});

/** npm's caret rule, the form RUNTIME_RANGE is written in: same leftmost non-zero part, not lower. */
function satisfiesCaret(version: string, range: string): boolean {
  const match = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(range);
  if (match === null) throw new Error(`RUNTIME_RANGE ${range} is not a caret range; extend satisfiesCaret or write it as ^X.Y.Z`);
  const [major, minor, patch] = match.slice(1).map(Number) as [number, number, number];
  const [v1, v2, v3] = version.split(/[.-]/).map(Number) as [number, number, number];
  if (v1 !== major) return false;
  if (major === 0 && v2 !== minor) return false;
  return v2 > minor || (v2 === minor && v3 >= patch);
}
