/**
 * Summary statistics for interleaved measurements. The headline number of a pair benchmark is the
 * median of per-round ratios: each round runs baseline and candidate back to back, so a machine
 * that drifts over tens of seconds affects both sides of a ratio alike and cancels out, which a
 * ratio of two medians taken over the whole run does not.
 */

/** Median; the mean of the two middle values for an even count. NaN for no values. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Linear-interpolation quantile (the "R-7" rule, as in numpy's default). NaN for no values. */
export function quantile(values: readonly number[], q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1] (got ${q}).`);
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] ?? Number.NaN;
  const high = sorted[upper] ?? Number.NaN;
  return low + (high - low) * (position - lower);
}

export interface RatioSummary {
  /** candidate / baseline of each round, in round order. */
  readonly perRound: readonly number[];
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/**
 * Per-round ratios candidate/baseline and their median, min and max. Both arrays hold one rate
 * (ops/s) per round, index-aligned; a round whose baseline rate is 0 has no ratio and is an error.
 */
export function summarizeRatios(baseline: readonly number[], candidate: readonly number[]): RatioSummary {
  if (baseline.length !== candidate.length) {
    throw new RangeError(`Need one baseline and one candidate rate per round (got ${baseline.length} and ${candidate.length}).`);
  }
  if (baseline.length === 0) throw new RangeError("Need at least one measured round.");
  const perRound = baseline.map((base, i) => {
    const cand = candidate[i] ?? Number.NaN;
    if (!(base > 0) || !(cand >= 0)) throw new RangeError(`Round ${i} has no usable rates (baseline ${base}, candidate ${cand}).`);
    return cand / base;
  });
  return { perRound, median: median(perRound), min: Math.min(...perRound), max: Math.max(...perRound) };
}
