/**
 * The contract between the runner and one benchmark module. A module measures one item of the
 * benchmark issue and returns result records; the runner owns timing settings, progress output,
 * failure isolation and writing the results. The end-to-end benchmarks (delivery server, backlog)
 * plug in as further modules in `src/registry.ts` without touching the runner.
 */

import type { PairOptions, PairMeasurement, Subject } from "../harness/pair.js";
import type { BenchResult } from "../harness/results.js";

export type Mode = "full" | "quick";

export interface PairSettings {
  readonly sliceMs: number;
  readonly rounds: number;
  readonly warmupRounds: number;
}

export interface BenchContext {
  readonly mode: Mode;
  /** Slice settings for CPU-bound pairs in this mode. */
  readonly pair: PairSettings;
  /** The monorepo root (for builds and child processes). */
  readonly repoRoot: string;
  /** A fresh temporary folder for this benchmark, removed afterwards. */
  readonly tmpDir: string;
  /** Results of the benchmarks that ran before this one in the same run (e.g. the end-to-end rate the backlog drain is compared with). */
  readonly earlierResults: readonly BenchResult[];
  /** Progress line on stderr (results go to stdout). */
  log(message: string): void;
  /** `runPair` with this mode's settings (overridable) and progress reporting. */
  runPair(baseline: Subject, candidate: Subject, overrides?: Partial<PairOptions>): Promise<PairMeasurement>;
}

export interface Benchmark {
  /** Stable kebab-case id; `--only` accepts it or its group. */
  readonly id: string;
  readonly group: string;
  /** One line for `--help` and progress output. */
  readonly summary: string;
  run(context: BenchContext): Promise<BenchResult[]>;
}
