/**
 * The pair benchmark: baseline and candidate run in alternating short slices, one round = one slice
 * of each, and the side that goes first alternates from round to round so neither always inherits
 * the other's garbage or a CPU that is just speeding up or slowing down. Each slice yields a rate
 * (ops/s); each round yields a ratio candidate/baseline. The first rounds warm up the JIT and are
 * discarded.
 */

import { median, summarizeRatios, type RatioSummary } from "./stats.js";

/** What one slice of one subject did. `checksum` folds every operation's result so none is dead code. */
export interface SliceSample {
  readonly ops: number;
  readonly elapsedMs: number;
  readonly checksum: number;
}

/** One side of a pair: anything that can run for about `durationMs` and count what it did. */
export interface Subject {
  readonly label: string;
  runSlice(durationMs: number): SliceSample | Promise<SliceSample>;
}

export type Side = "baseline" | "candidate";

export interface PairOptions {
  /** Target duration of one slice of one subject. */
  readonly sliceMs: number;
  /** Measured rounds (each one slice of both subjects). */
  readonly rounds: number;
  /** Rounds run first and discarded. */
  readonly warmupRounds: number;
  /** Called after every slice, warm-up included (progress output, tests). */
  readonly onSlice?: (event: SliceEvent) => void;
}

export interface SliceEvent {
  readonly round: number;
  readonly warmup: boolean;
  readonly side: Side;
  readonly opsPerSecond: number;
}

export interface RoundRecord {
  /** 0-based over all rounds, warm-up included. */
  readonly round: number;
  readonly warmup: boolean;
  readonly first: Side;
  readonly baselineOpsPerSecond: number;
  readonly candidateOpsPerSecond: number;
}

export interface SideSummary {
  readonly label: string;
  /** Median ops/s over the measured rounds. */
  readonly medianOpsPerSecond: number;
  /** ops/s of each measured round, in round order. */
  readonly opsPerSecond: readonly number[];
  readonly totalOps: number;
  readonly checksum: number;
}

export interface PairMeasurement {
  readonly baseline: SideSummary;
  readonly candidate: SideSummary;
  readonly ratio: RatioSummary;
  readonly rounds: readonly RoundRecord[];
}

/** Round 0 starts with the baseline, round 1 with the candidate, and so on. */
export function roundOrder(round: number): readonly [Side, Side] {
  return round % 2 === 0 ? ["baseline", "candidate"] : ["candidate", "baseline"];
}

export async function runPair(baseline: Subject, candidate: Subject, options: PairOptions): Promise<PairMeasurement> {
  const { sliceMs, rounds, warmupRounds } = options;
  if (!(sliceMs > 0)) throw new RangeError(`sliceMs must be positive (got ${sliceMs}).`);
  if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError(`rounds must be a positive integer (got ${rounds}).`);
  if (!Number.isInteger(warmupRounds) || warmupRounds < 0)
    throw new RangeError(`warmupRounds must be a non-negative integer (got ${warmupRounds}).`);

  const subjects: Record<Side, Subject> = { baseline, candidate };
  const totals: Record<Side, { ops: number; checksum: number }> = { baseline: { ops: 0, checksum: 0 }, candidate: { ops: 0, checksum: 0 } };
  const records: RoundRecord[] = [];
  for (let round = 0; round < warmupRounds + rounds; round++) {
    const warmup = round < warmupRounds;
    const order = roundOrder(round);
    const rate: Record<Side, number> = { baseline: 0, candidate: 0 };
    for (const side of order) {
      const sample = await subjects[side].runSlice(sliceMs);
      if (!(sample.elapsedMs > 0)) throw new RangeError(`${subjects[side].label}: a slice reported ${sample.elapsedMs} ms.`);
      rate[side] = (sample.ops / sample.elapsedMs) * 1000;
      if (!warmup) {
        totals[side].ops += sample.ops;
        totals[side].checksum = foldChecksum(totals[side].checksum, sample.checksum);
      }
      options.onSlice?.({ round, warmup, side, opsPerSecond: rate[side] });
      // Let timers and sockets of the other subject settle before the next slice starts.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    records.push({ round, warmup, first: order[0], baselineOpsPerSecond: rate.baseline, candidateOpsPerSecond: rate.candidate });
  }

  const measured = records.filter((r) => !r.warmup);
  const summary = (side: Side, rates: number[]): SideSummary => ({
    label: subjects[side].label,
    medianOpsPerSecond: median(rates),
    opsPerSecond: rates,
    totalOps: totals[side].ops,
    checksum: totals[side].checksum,
  });
  const baseRates = measured.map((r) => r.baselineOpsPerSecond);
  const candRates = measured.map((r) => r.candidateOpsPerSecond);
  return {
    baseline: summary("baseline", baseRates),
    candidate: summary("candidate", candRates),
    ratio: summarizeRatios(baseRates, candRates),
    rounds: records,
  };
}

/** Keeps checksums bounded integers whatever the operations return. */
export function foldChecksum(sum: number, value: number): number {
  return (Math.imul(sum, 31) + (Number.isFinite(value) ? Math.trunc(value) : 0)) | 0;
}

/** A subject whose slices complete synchronously. */
export interface SyncSubject extends Subject {
  runSlice(durationMs: number): SliceSample;
}

export interface SyncSubjectOptions {
  /** Milliseconds, monotonic. */
  readonly clock?: () => number;
  /** Operations between two clock reads; calibrated on the first slice when omitted. */
  readonly batch?: number;
}

/** Target duration of one batch: long enough that reading the clock costs nothing measurable. */
const BATCH_TARGET_MS = 0.5;

/**
 * A subject made of one synchronous operation. `op(i)` gets a running index (to cycle through
 * inputs) and returns a number that is folded into the checksum, so the work cannot be optimised
 * away. The clock is read once per batch, not per operation.
 */
export function syncSubject(label: string, op: (i: number) => number, options: SyncSubjectOptions = {}): SyncSubject {
  const clock = options.clock ?? (() => performance.now());
  let batch = options.batch ?? 0;
  let index = 0;
  // Results of calibration runs, folded into the first slice's checksum.
  let carried = 0;
  const calibrate = (): void => {
    for (let n = 1; ; n *= 2) {
      const start = clock();
      for (let k = 0; k < n; k++) carried = foldChecksum(carried, op(index++));
      const elapsed = clock() - start;
      if (elapsed >= 2 || n >= 1 << 20) {
        batch = Math.max(1, Math.floor((n * BATCH_TARGET_MS) / Math.max(elapsed, 1e-3)));
        return;
      }
    }
  };
  return {
    label,
    runSlice(durationMs) {
      if (batch === 0) calibrate();
      let ops = 0;
      let checksum = carried;
      carried = 0;
      const start = clock();
      let now = start;
      do {
        for (let k = 0; k < batch; k++) checksum = foldChecksum(checksum, op(index++));
        ops += batch;
        now = clock();
      } while (now - start < durationMs);
      return { ops, elapsedMs: now - start, checksum };
    },
  };
}
