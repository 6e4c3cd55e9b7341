/** The runner: picks benchmarks, gives each a context, isolates failures, writes and prints the results. */

import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describeMachine, machineInfo } from "./harness/machine.js";
import { runPair } from "./harness/pair.js";
import { isSkipped, toConsoleTable, writeResults, type BenchFailure, type BenchResult, type RunReport } from "./harness/results.js";
import type { BenchContext, Benchmark, Mode, PairSettings } from "./benchmarks/types.js";

export const PAIR_SETTINGS: Readonly<Record<Mode, PairSettings>> = {
  full: { sliceMs: 250, rounds: 30, warmupRounds: 4 },
  quick: { sliceMs: 150, rounds: 10, warmupRounds: 4 },
};

export interface RunOptions {
  readonly mode: Mode;
  readonly benchmarks: readonly Benchmark[];
  readonly outDir: string;
  readonly repoRoot: string;
  /** Results and machine info (default: stdout). */
  readonly print?: (text: string) => void;
  /** Progress (default: stderr). */
  readonly log?: (text: string) => void;
}

export async function runBenchmarks(options: RunOptions): Promise<{ report: RunReport; files: { json: string; markdown: string } }> {
  const print = options.print ?? ((text: string) => process.stdout.write(`${text}\n`));
  const log = options.log ?? ((text: string) => process.stderr.write(`  · ${text}\n`));
  const startedAt = new Date();
  const start = performance.now();
  const machine = machineInfo();
  const settings = PAIR_SETTINGS[options.mode];
  print(`Hookline benchmarks, ${options.mode} mode\n${describeMachine(machine)}\n`);

  const results: BenchResult[] = [];
  const failures: BenchFailure[] = [];
  for (const benchmark of options.benchmarks) {
    const tmpDir = await mkdtemp(path.join(os.tmpdir(), `hookline-bench-${benchmark.id}-`));
    const context: BenchContext = {
      mode: options.mode,
      pair: settings,
      repoRoot: options.repoRoot,
      tmpDir,
      earlierResults: [...results],
      log,
      runPair: (baseline, candidate, overrides) => {
        const options = { ...settings, ...overrides };
        const total = options.warmupRounds + options.rounds;
        return runPair(baseline, candidate, {
          ...options,
          onSlice: (event) => {
            if (event.side === "candidate" && (event.round + 1) % 10 === 0) log(`  round ${event.round + 1}/${total}`);
            overrides?.onSlice?.(event);
          },
        });
      },
    };
    const began = performance.now();
    log(`${benchmark.id}: ${benchmark.summary}`);
    try {
      results.push(...(await benchmark.run(context)));
      log(`${benchmark.id}: done in ${((performance.now() - began) / 1000).toFixed(1)} s`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failures.push({ id: benchmark.id, error: message });
      log(`${benchmark.id}: FAILED: ${message}`);
    } finally {
      await rm(tmpDir, { recursive: true, force: true });
    }
  }

  const report: RunReport = {
    format: "hookline-bench/1",
    mode: options.mode,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - start),
    machine,
    settings,
    results,
    failures,
  };
  const files = await writeResults(options.outDir, report);
  print(toConsoleTable(results));
  for (const result of results.filter(isSkipped)) print(`SKIPPED ${result.id}: ${result.reason}`);
  for (const failure of failures) print(`FAILED ${failure.id}: ${failure.error}`);
  print(
    `\nTotal ${(report.durationMs / 1000).toFixed(1)} s. Wrote ${path.relative(process.cwd(), files.json) || files.json} and ${path.relative(process.cwd(), files.markdown) || files.markdown}.`,
  );
  return { report, files };
}
