import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { skippedResult } from "../src/benchmarks/common.js";
import {
  formatTarget,
  meets,
  rowsOf,
  toConsoleTable,
  toMarkdown,
  writeResults,
  type BenchResult,
  type RunReport,
} from "../src/harness/results.js";
import { runBenchmarks } from "../src/run.js";

const side = (label: string, rate: number) => ({ label, medianOpsPerSecond: rate, opsPerSecond: [rate], totalOps: rate, checksum: 7 });

const RESULTS: BenchResult[] = [
  {
    kind: "pair",
    id: "receiver-path",
    group: "receiver",
    title: "Receiver path",
    description: "ours | theirs",
    unit: "ops/s",
    candidate: side("ours", 50_000),
    baseline: side("official", 20_000),
    ratio: { median: 2.5, min: 2.25, max: 2.75, perRound: [2.5] },
    target: { op: ">=", value: 2, unit: "×" },
    met: true,
    sliceMs: 250,
    rounds: [{ round: 0, warmup: false, first: "baseline", baselineOpsPerSecond: 20_000, candidateOpsPerSecond: 50_000 }],
  },
  {
    kind: "timing",
    id: "generator-1000",
    group: "generator",
    title: "Generator, 1,000 event types",
    description: "load + render",
    samplesMs: [12_000, 14_000],
    medianMs: 13_000,
    target: { op: "<=", value: 10_000, unit: "ms" },
    met: false,
  },
  {
    kind: "metrics",
    id: "e2e-sqlite",
    group: "e2e",
    title: "End to end, SQLite",
    description: "ingest to handler",
    metrics: [
      { name: "events/s", value: 5200, unit: "events/s", target: { op: ">=", value: 5000, unit: "events/s" }, met: true },
      { name: "p99 latency", value: 12.5, unit: "ms" },
    ],
  },
];

const REPORT: RunReport = {
  format: "hookline-bench/1",
  mode: "quick",
  startedAt: "2025-01-01T00:00:00.000Z",
  durationMs: 61_000,
  machine: {
    cpuModel: "Test CPU",
    cores: 2,
    totalMemoryBytes: 8 * 1024 ** 3,
    platform: "linux",
    arch: "x64",
    osRelease: "6.0",
    node: "v20.0.0",
    v8: "11.3",
    loadAverage1m: 0.5,
  },
  settings: { sliceMs: 150, rounds: 8, warmupRounds: 2 },
  results: RESULTS,
  failures: [{ id: "e2e-postgres", error: "DATABASE_URL is not set" }],
};

describe("results writer", () => {
  let dir = "";
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "bench-results-test-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes latest.json that parses back to the report", async () => {
    const files = await writeResults(path.join(dir, "nested"), REPORT);
    expect(path.basename(files.json)).toBe("latest.json");
    expect(JSON.parse(await readFile(files.json, "utf8"))).toEqual(REPORT);
  });

  it("writes a Markdown table with one row per figure and the issue's columns", async () => {
    const files = await writeResults(dir, REPORT);
    const markdown = await readFile(files.markdown, "utf8");
    const lines = markdown.split("\n");
    const header = lines.findIndex((line) => line.startsWith("| Benchmark |"));
    expect(lines[header]).toBe("| Benchmark | Candidate | Baseline | Median ratio (min–max) | Target | Met? |");
    expect(lines[header + 1]).toBe("| --- | --: | --: | --: | --: | --: |");
    const rows = lines.slice(header + 2, lines.indexOf("", header));
    expect(rows).toEqual([
      "| Receiver path | 50,000 ops/s (ours) | 20,000 ops/s (official) | 2.50× (2.25–2.75) | ≥ 2× | yes |",
      "| Generator, 1,000 event types | 13.00 s (median of 2) | — | — | ≤ 10.0 s | **no** |",
      "| End to end, SQLite: events/s | 5,200 events/s | — | — | ≥ 5,000 events/s | yes |",
      "| End to end, SQLite: p99 latency | 12.5 ms | — | — | — | — |",
    ]);
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length).toBe(8);
    expect(markdown).toContain("Test CPU, 2 cores");
    expect(markdown).toContain("- `e2e-postgres`: DATABASE_URL is not set");
    expect(markdown).toContain("- **Receiver path**: ours | theirs");
  });

  it("prints an aligned console table", () => {
    const lines = toConsoleTable(RESULTS).split("\n");
    expect(lines).toHaveLength(2 + 4);
    const column = lines[0]?.indexOf("Candidate") ?? -1;
    expect(column).toBeGreaterThan(0);
    const candidates = RESULTS.flatMap(rowsOf).map((row) => row.candidate);
    lines.slice(2).forEach((line, i) => {
      expect(line.slice(column).startsWith(candidates[i] ?? "?")).toBe(true);
    });
  });

  it.each([
    { target: { op: ">=", value: 0.9, unit: "×" }, actual: 0.9, met: true, text: "≥ 0.9×" },
    { target: { op: ">=", value: 3, unit: "×" }, actual: 2.99, met: false, text: "≥ 3×" },
    { target: { op: "<=", value: 2000, unit: "ms" }, actual: 2000, met: true, text: "≤ 2.0 s" },
    { target: { op: "<=", value: 25, unit: "ms" }, actual: 25.1, met: false, text: "≤ 25 ms" },
  ] as const)("target $text with $actual → met $met", ({ target, actual, met, text }) => {
    expect(meets(actual, target)).toBe(met);
    expect(formatTarget(target)).toBe(text);
  });
});

describe("skipped benchmarks", () => {
  const SKIPPED = skippedResult(
    { id: "e2e-postgres", group: "e2e", title: "End to end, PostgreSQL", description: "the server on PostgreSQL" },
    "cannot use PostgreSQL at postgres://postgres@127.0.0.1:5432/postgres (connect ECONNREFUSED); start it, or point HOOKLINE_BENCH_DATABASE_URL at one.",
    [{ op: ">=", value: 3000, unit: "events/s" }],
  );

  it("keep one row that shows the target and is neither met nor missed", () => {
    expect(rowsOf(SKIPPED)).toEqual([
      { benchmark: "End to end, PostgreSQL", candidate: "skipped", baseline: "—", ratio: "—", target: "≥ 3,000 events/s", met: "skipped" },
    ]);
    expect(rowsOf(skippedResult({ id: "x", group: "g", title: "X", description: "" }, "why"))[0]?.target).toBe("—");
  });

  it("list their reasons under the table, apart from failures", () => {
    const markdown = toMarkdown({ ...REPORT, results: [SKIPPED], failures: [] });
    expect(markdown).toContain("| End to end, PostgreSQL | skipped | — | — | ≥ 3,000 events/s | skipped |");
    expect(markdown).toContain(
      "## Skipped benchmarks\n\n- `e2e-postgres`: cannot use PostgreSQL at postgres://postgres@127.0.0.1:5432/postgres (connect ECONNREFUSED)",
    );
    expect(markdown).not.toContain("## Failed benchmarks");
  });

  it("do not fail the run, and are printed with their reason", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bench-skip-test-"));
    try {
      const printed: string[] = [];
      const { report } = await runBenchmarks({
        mode: "quick",
        benchmarks: [{ id: "e2e-postgres", group: "e2e", summary: "", run: async () => [SKIPPED] }],
        outDir: dir,
        repoRoot: dir,
        print: (text) => printed.push(text),
        log: () => undefined,
      });
      expect(report.failures).toEqual([]);
      expect(report.results).toEqual([SKIPPED]);
      expect(printed.join("\n")).toContain(`SKIPPED e2e-postgres: ${SKIPPED.reason}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("give later benchmarks the results of earlier ones", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bench-earlier-test-"));
    try {
      const seen: string[][] = [];
      const record = (id: string) => ({
        id,
        group: "g",
        summary: "",
        run: async (ctx: { earlierResults: readonly BenchResult[] }) => {
          seen.push(ctx.earlierResults.map((r) => r.id));
          return [skippedResult({ id, group: "g", title: id, description: "" }, "test")];
        },
      });
      await runBenchmarks({
        mode: "quick",
        benchmarks: [record("a"), record("b")],
        outDir: dir,
        repoRoot: dir,
        print: () => undefined,
        log: () => undefined,
      });
      expect(seen).toEqual([[], ["a"]]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
