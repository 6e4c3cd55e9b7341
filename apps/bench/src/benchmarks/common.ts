import type { PairMeasurement } from "../harness/pair.js";
import { meets, type PairResult, type ResultBase, type SkippedResult, type Target } from "../harness/results.js";

/** Turns a pair measurement into its result record, judging the target on the median ratio. */
export function pairResult(
  base: ResultBase & { readonly unit?: PairResult["unit"]; readonly target?: Target; readonly sliceMs: number },
  measurement: PairMeasurement,
): PairResult {
  const { unit = "ops/s", target, ...rest } = base;
  return {
    kind: "pair",
    ...rest,
    unit,
    candidate: measurement.candidate,
    baseline: measurement.baseline,
    ratio: measurement.ratio,
    ...(target === undefined ? {} : { target, met: meets(measurement.ratio.median, target) }),
    rounds: measurement.rounds,
  };
}

/** The row of a benchmark that cannot run here (`reason` says why and how to enable it), with the targets it would be judged on. */
export function skippedResult(base: ResultBase, reason: string, targets: readonly Target[] = []): SkippedResult {
  return { kind: "skipped", ...base, reason, ...(targets.length === 0 ? {} : { targets }) };
}

export const ratioAtLeast = (value: number): Target => ({ op: ">=", value, unit: "×" });

/** Throws unless every function returns the same value: both sides of a pair must do equivalent work. */
export function assertSame(what: string, values: ReadonlyArray<readonly [string, unknown]>): void {
  const [first, ...others] = values;
  if (first === undefined) return;
  for (const [label, value] of others) {
    if (JSON.stringify(value) !== JSON.stringify(first[1])) {
      throw new Error(
        `${what}: ${label} gave ${JSON.stringify(value)} but ${first[0]} gave ${JSON.stringify(first[1])}; the two sides do not do the same work.`,
      );
    }
  }
}
