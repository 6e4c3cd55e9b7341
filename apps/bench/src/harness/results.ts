/**
 * The results model and its two renderings: `latest.json` (everything, for tools and diffs) and
 * `latest.md` (the table for humans and the README). Every benchmark module returns these records;
 * the end-to-end benchmarks (delivery server) add `metrics` records without new rendering code.
 */

import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { MachineInfo } from "./machine.js";
import type { RoundRecord } from "./pair.js";

/** A target from the benchmark issue: `actual op value`, e.g. ratio >= 2 or time <= 10000 ms. */
export interface Target {
  readonly op: ">=" | "<=";
  readonly value: number;
  readonly unit: Unit;
}

export type Unit = "×" | "ms" | "s" | "ops/s" | "events/s" | "deliveries/s" | "req/s" | "KiB" | "MiB" | "%";

export interface ResultBase {
  /** Stable, kebab-case; `--only` matches it (or its group). */
  readonly id: string;
  /** Which issue item it belongs to, e.g. `receiver`, `sender`, `generator`, `e2e`. */
  readonly group: string;
  readonly title: string;
  /** What exactly runs on each side, in one or two sentences. */
  readonly description: string;
  readonly notes?: readonly string[];
  /** Inputs worth knowing when reading the numbers (body bytes, concurrency…). */
  readonly details?: Readonly<Record<string, string | number | boolean>>;
}

export interface SideResult {
  readonly label: string;
  readonly medianOpsPerSecond: number;
  readonly opsPerSecond: readonly number[];
  readonly totalOps: number;
  readonly checksum: number;
}

/** Candidate vs baseline in interleaved slices; the headline is the median of per-round ratios. */
export interface PairResult extends ResultBase {
  readonly kind: "pair";
  /** Rate unit of both sides. */
  readonly unit: "ops/s" | "req/s" | "events/s";
  readonly candidate: SideResult;
  readonly baseline: SideResult;
  readonly ratio: { readonly median: number; readonly min: number; readonly max: number; readonly perRound: readonly number[] };
  readonly target?: Target;
  readonly met?: boolean;
  readonly sliceMs: number;
  readonly rounds: readonly RoundRecord[];
}

/** Wall-clock time of a task with no baseline library (generator, build). */
export interface TimingResult extends ResultBase {
  readonly kind: "timing";
  readonly samplesMs: readonly number[];
  readonly medianMs: number;
  readonly target?: Target;
  readonly met?: boolean;
}

/** Several named figures of one run (end-to-end throughput, latency percentiles, RSS…). */
export interface MetricsResult extends ResultBase {
  readonly kind: "metrics";
  readonly metrics: readonly Metric[];
}

export interface Metric {
  readonly name: string;
  readonly value: number;
  readonly unit: Unit;
  readonly target?: Target;
  readonly met?: boolean;
}

/**
 * A benchmark that could not run on this machine for a reason outside the code under test (no
 * PostgreSQL server, say). It keeps its row in the table, with the targets it would be judged on,
 * so a missing figure is visible; it is neither a failure (exit code 0) nor a met target.
 */
export interface SkippedResult extends ResultBase {
  readonly kind: "skipped";
  /** Why, and how to make it run (e.g. which variable to set). */
  readonly reason: string;
  readonly targets?: readonly Target[];
}

export type BenchResult = PairResult | TimingResult | MetricsResult | SkippedResult;

export interface BenchFailure {
  readonly id: string;
  readonly error: string;
}

export interface RunReport {
  readonly format: "hookline-bench/1";
  readonly mode: "full" | "quick";
  readonly startedAt: string;
  readonly durationMs: number;
  readonly machine: MachineInfo;
  readonly settings: { readonly sliceMs: number; readonly rounds: number; readonly warmupRounds: number };
  readonly results: readonly BenchResult[];
  /** Benchmarks that threw; the run still writes everything else. */
  readonly failures: readonly BenchFailure[];
}

export function meets(actual: number, target: Target): boolean {
  return target.op === ">=" ? actual >= target.value : actual <= target.value;
}

export function formatTarget(target: Target): string {
  const symbol = target.op === ">=" ? "≥" : "≤";
  if (target.unit === "×") return `${symbol} ${target.value}×`;
  if (target.unit === "ms" && target.value >= 1000) return `${symbol} ${formatNumber(target.value / 1000, 1)} s`;
  return `${symbol} ${formatNumber(target.value, 0)} ${target.unit}`;
}

export function formatNumber(value: number, fractionDigits: number): string {
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString("en-US", { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits });
}

export function formatRatio(value: number): string {
  return `${formatNumber(value, 2)}×`;
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${formatNumber(ms / 1000, 2)} s` : `${formatNumber(ms, ms >= 100 ? 0 : 1)} ms`;
}

function formatValue(value: number, unit: Unit): string {
  if (unit === "×") return formatRatio(value);
  if (unit === "ms") return formatMs(value);
  return `${formatNumber(value, unit === "KiB" || unit === "MiB" || unit === "%" ? 1 : 0)} ${unit}`;
}

function metText(met: boolean | undefined): string {
  return met === undefined ? "—" : met ? "yes" : "**no**";
}

/** One table row; the same cells feed the console table and the Markdown file. */
export interface Row {
  readonly benchmark: string;
  readonly candidate: string;
  readonly baseline: string;
  readonly ratio: string;
  readonly target: string;
  readonly met: string;
}

export const COLUMNS: ReadonlyArray<readonly [keyof Row, string]> = [
  ["benchmark", "Benchmark"],
  ["candidate", "Candidate"],
  ["baseline", "Baseline"],
  ["ratio", "Median ratio (min–max)"],
  ["target", "Target"],
  ["met", "Met?"],
];

export function rowsOf(result: BenchResult): Row[] {
  switch (result.kind) {
    case "pair":
      return [
        {
          benchmark: result.title,
          candidate: `${formatNumber(result.candidate.medianOpsPerSecond, 0)} ${result.unit} (${result.candidate.label})`,
          baseline: `${formatNumber(result.baseline.medianOpsPerSecond, 0)} ${result.unit} (${result.baseline.label})`,
          ratio: `${formatRatio(result.ratio.median)} (${formatNumber(result.ratio.min, 2)}–${formatNumber(result.ratio.max, 2)})`,
          target: result.target === undefined ? "—" : formatTarget(result.target),
          met: metText(result.met),
        },
      ];
    case "timing":
      return [
        {
          benchmark: result.title,
          candidate: `${formatMs(result.medianMs)} (median of ${result.samplesMs.length})`,
          baseline: "—",
          ratio: "—",
          target: result.target === undefined ? "—" : formatTarget(result.target),
          met: metText(result.met),
        },
      ];
    case "metrics":
      return result.metrics.map((metric) => ({
        benchmark: `${result.title}: ${metric.name}`,
        candidate: formatValue(metric.value, metric.unit),
        baseline: "—",
        ratio: metric.unit === "×" ? formatRatio(metric.value) : "—",
        target: metric.target === undefined ? "—" : formatTarget(metric.target),
        met: metText(metric.met),
      }));
    case "skipped":
      return [
        {
          benchmark: result.title,
          candidate: "skipped",
          baseline: "—",
          ratio: "—",
          target: result.targets === undefined || result.targets.length === 0 ? "—" : result.targets.map(formatTarget).join("; "),
          met: "skipped",
        },
      ];
  }
}

export function isSkipped(result: BenchResult): result is SkippedResult {
  return result.kind === "skipped";
}

function escapeCell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

export function toMarkdown(report: RunReport): string {
  const m = report.machine;
  const lines = [
    `# Hookline benchmarks (${report.mode} run)`,
    "",
    `Run ${report.startedAt}, ${formatMs(report.durationMs)} in total. ${m.cpuModel}, ${m.cores} cores, ${formatNumber(m.totalMemoryBytes / 1024 ** 3, 1)} GiB, Node ${m.node} (V8 ${m.v8}), ${m.platform} ${m.arch}.`,
    "",
    `Pairs run baseline and candidate in alternating ${report.settings.sliceMs} ms slices (${report.settings.rounds} measured rounds after ${report.settings.warmupRounds} warm-up rounds, the side that goes first alternating); the ratio is candidate/baseline per round, and its median is the headline. Rates are medians over the rounds.`,
    "",
    `| ${COLUMNS.map(([, title]) => title).join(" | ")} |`,
    `| ${COLUMNS.map(([key]) => (key === "benchmark" ? "---" : "--:")).join(" | ")} |`,
  ];
  for (const result of report.results) {
    for (const row of rowsOf(result)) lines.push(`| ${COLUMNS.map(([key]) => escapeCell(row[key])).join(" | ")} |`);
  }
  const skipped = report.results.filter(isSkipped);
  if (skipped.length > 0) {
    lines.push("", "## Skipped benchmarks", "");
    for (const result of skipped) lines.push(`- \`${result.id}\`: ${escapeCell(result.reason)}`);
  }
  if (report.failures.length > 0) {
    lines.push("", "## Failed benchmarks", "");
    for (const failure of report.failures) lines.push(`- \`${failure.id}\`: ${escapeCell(failure.error)}`);
  }
  const notes = report.results.flatMap((r) => [
    `- **${r.title}**: ${r.description}`,
    ...(r.notes ?? []).map((n) => `  ${n.startsWith("-") ? n : `- ${n}`}`),
  ]);
  if (notes.length > 0) lines.push("", "## What each row measures", "", ...notes);
  lines.push("", "Reproduce: `npm ci && npm run bench` (or `npm run bench -- --quick`); full data in `latest.json`.", "");
  return lines.join("\n");
}

/** Plain-text table for the terminal, columns padded to their widest cell. */
export function toConsoleTable(results: readonly BenchResult[]): string {
  const header: Row = Object.fromEntries(COLUMNS) as unknown as Row;
  const rows = [header, ...results.flatMap(rowsOf)];
  const widths = COLUMNS.map(([key]) => Math.max(...rows.map((row) => row[key].length)));
  const line = (row: Row) =>
    COLUMNS.map(([key], i) => row[key].padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)].join("\n");
}

/** Writes `latest.json` and `latest.md` into `outDir` (created if missing); returns their paths. */
export async function writeResults(outDir: string, report: RunReport): Promise<{ json: string; markdown: string }> {
  await mkdir(outDir, { recursive: true });
  const json = path.join(outDir, "latest.json");
  const markdown = path.join(outDir, "latest.md");
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(markdown, toMarkdown(report));
  return { json, markdown };
}
