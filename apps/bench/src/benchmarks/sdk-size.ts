/**
 * Issue 12, item 3: how many bytes the generated SDK code is, and how long the receiver package
 * takes to import. Bytes of the real catalog's generated files (as `renderOutput` renders them, and
 * as built in `packages/receiver/dist`), per package and per event type, against the figures of the
 * generator before issue 12 (measured at commit acb8402, the same catalog); the import time of
 * `@hookline/receiver` in a fresh Node process, median of several.
 */

import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { loadCatalog, renderOutput } from "@hookline/generator";
import { meets, type Metric, type Target } from "../harness/results.js";
import { median } from "../harness/stats.js";
import type { Benchmark } from "./types.js";

const exec = promisify(execFile);

/**
 * Before issue 12 (commit acb8402, 20 event types): validators.ts 352,137 B + catalog.ts 200,662 B
 * always loaded; built, validators.js 546,294 B + catalog.js 278,249 B.
 */
export const BEFORE = { alwaysLoadedSource: 352_137 + 200_662, alwaysLoadedDist: 546_294 + 278_249 } as const;

/** Issue 12: validators and catalog metadata at most a third of the bytes before. */
const TARGET: Target = { op: "<=", value: 100 / 3, unit: "%" };

/** The modules importing the SDK loads (catalog metadata, validators and their helpers); schemas.* and types.* are not among them. */
const ALWAYS_LOADED = new Set(["catalog", "validators", "validator-runtime"]);

const stem = (file: string) => file.replace(/\.(d\.ts|ts|js)$/, "");

function bytesOf(files: ReadonlyArray<{ readonly path: string; readonly bytes: number }>, keep: (stem: string) => boolean): number {
  return files.filter((f) => keep(stem(f.path))).reduce((sum, f) => sum + f.bytes, 0);
}

/** One cold import of the receiver package: a fresh Node process, timed around the `import()` alone. */
async function importMs(cwd: string): Promise<number> {
  const script = 'const t = performance.now(); await import("@hookline/receiver"); console.log(performance.now() - t);';
  const { stdout } = await exec(process.execPath, ["--input-type=module", "-e", script], { cwd });
  return Number(stdout.trim());
}

export const sdkSize: Benchmark = {
  id: "sdk-size",
  group: "generator",
  summary:
    "bytes of the generated SDK code for the real catalog (source and dist, per package and per event type) and the receiver's import time",
  async run(ctx) {
    const model = await loadCatalog(path.join(ctx.repoRoot, "catalog"));
    const eventTypes = model.events.filter((e) => e.latest).length;
    const source = (await renderOutput(model, { target: "receiver", runtime: "@hookline/core" }, "@hookline/catalog")).map((f) => ({
      path: f.path,
      bytes: Buffer.byteLength(f.text),
    }));
    const distDir = path.join(ctx.repoRoot, "packages", "receiver", "dist", "generated");
    const distNames = await readdir(distDir).catch(() => {
      throw new Error(`${distDir} is missing: build first (npm run bench builds the receiver and what it needs)`);
    });
    const dist = await Promise.all(
      distNames
        .filter((name) => !name.endsWith(".map"))
        .map(async (name) => ({ path: name, bytes: (await readFile(path.join(distDir, name))).byteLength })),
    );
    const alwaysSource = bytesOf(source, (s) => ALWAYS_LOADED.has(s));
    const alwaysDist = bytesOf(
      dist.filter((f) => f.path.endsWith(".js")),
      (s) => ALWAYS_LOADED.has(s),
    );
    const schemasSource = bytesOf(source, (s) => s === "schemas");

    const runs = ctx.mode === "quick" ? 5 : 11;
    const benchDir = path.join(ctx.repoRoot, "apps", "bench");
    await importMs(benchDir); // the first one fills the OS file cache
    const imports: number[] = [];
    for (let i = 0; i < runs; i++) imports.push(await importMs(benchDir));
    ctx.log(`sdk-size: always-loaded ${alwaysSource} B source, ${alwaysDist} B dist; import ${median(imports).toFixed(1)} ms`);

    const sourcePercent = (100 * alwaysSource) / BEFORE.alwaysLoadedSource;
    const distPercent = (100 * alwaysDist) / BEFORE.alwaysLoadedDist;
    const kib = (bytes: number) => bytes / 1024;
    const metrics: Metric[] = [
      {
        name: "validators + catalog metadata, source (% of before)",
        value: sourcePercent,
        unit: "%",
        target: TARGET,
        met: meets(sourcePercent, TARGET),
      },
      {
        name: "validators + catalog metadata, dist .js (% of before)",
        value: distPercent,
        unit: "%",
        target: TARGET,
        met: meets(distPercent, TARGET),
      },
      { name: "validators + catalog metadata, source", value: kib(alwaysSource), unit: "KiB" },
      { name: "validators + catalog metadata, dist .js", value: kib(alwaysDist), unit: "KiB" },
      { name: "same, per event type (source)", value: kib(alwaysSource / eventTypes), unit: "KiB" },
      { name: "schemas + examples (loaded on demand), source, per event type", value: kib(schemasSource / eventTypes), unit: "KiB" },
      { name: "all generated source per package", value: kib(bytesOf(source, () => true)), unit: "KiB" },
      { name: "all generated dist per package (.js + .d.ts, no maps)", value: kib(bytesOf(dist, () => true)), unit: "KiB" },
      { name: "import @hookline/receiver, fresh process (median)", value: median(imports), unit: "ms" },
    ];
    const perFile = (files: ReadonlyArray<{ readonly path: string; readonly bytes: number }>, prefix: string) =>
      Object.fromEntries(files.map((f) => [`${prefix}${f.path}`, f.bytes]));
    return [
      {
        kind: "metrics",
        id: "sdk-size",
        group: "generator",
        title: "SDK size",
        description: `\`renderOutput\` of the receiver target for \`catalog/\` (the sender's files are the same but for index.ts), and \`packages/receiver/dist/generated\` as built; "validators + catalog metadata" is what importing the package loads (catalog, validators, validator-runtime), against ${BEFORE.alwaysLoadedSource.toLocaleString("en-US")} B source and ${BEFORE.alwaysLoadedDist.toLocaleString("en-US")} B dist before issue 12. Import time: \`await import("@hookline/receiver")\` in a fresh \`node\`, timed inside the process, median of ${runs} after one untimed run.`,
        metrics,
        details: {
          eventTypes,
          ...perFile(source, "src:"),
          ...perFile(dist, "dist:"),
          importSamplesMs: imports.map((ms) => ms.toFixed(1)).join(" "),
        },
      },
    ];
  },
};
