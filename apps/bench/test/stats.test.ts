import { describe, expect, it } from "vitest";
import { median, quantile, summarizeRatios } from "../src/harness/stats.js";

describe("median and quantile", () => {
  it.each([
    { name: "odd count", values: [5, 1, 3], median: 3 },
    { name: "even count averages the middle pair", values: [4, 1, 3, 2], median: 2.5 },
    { name: "single value", values: [7], median: 7 },
    { name: "input order irrelevant", values: [3, 3, 1, 9, 9], median: 3 },
  ])("$name", ({ values, median: expected }) => {
    expect(median(values)).toBe(expected);
  });

  it("does not reorder its input", () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it("interpolates quantiles linearly and is NaN for no data", () => {
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(quantile([10, 20], 0.95)).toBeCloseTo(19.5);
    expect(median([])).toBeNaN();
    expect(() => quantile([1], 1.5)).toThrow(RangeError);
  });
});

describe("median of per-round ratios", () => {
  it("recovers the true ratio on a machine that drifts 1.5× during the run", () => {
    // Machine speed falls from 1 to 1/1.5 and back; the candidate is always exactly 2× the baseline.
    const speed = Array.from({ length: 20 }, (_, i) => 1 / (1 + 0.5 * Math.sin((Math.PI * i) / 19)));
    const baseline = speed.map((s) => 10_000 * s);
    const candidate = speed.map((s) => 20_000 * s);
    const summary = summarizeRatios(baseline, candidate);
    expect(summary.median).toBeCloseTo(2, 12);
    expect(summary.min).toBeCloseTo(2, 12);
    expect(summary.max).toBeCloseTo(2, 12);
  });

  it("is robust to one disturbed round where a ratio of medians is not", () => {
    // Round 2 hit a GC pause on the candidate side only.
    const baseline = [100, 100, 100, 100, 100];
    const candidate = [150, 150, 15, 150, 150];
    const summary = summarizeRatios(baseline, candidate);
    expect(summary.median).toBe(1.5);
    expect(summary.min).toBe(0.15);
    expect(summary.max).toBe(1.5);
    expect(summary.perRound).toEqual([1.5, 1.5, 0.15, 1.5, 1.5]);
  });

  it.each([
    { name: "unequal lengths", baseline: [1, 2], candidate: [1] },
    { name: "no rounds", baseline: [], candidate: [] },
    { name: "zero baseline rate", baseline: [0], candidate: [1] },
    { name: "NaN candidate rate", baseline: [1], candidate: [Number.NaN] },
  ])("refuses $name", ({ baseline, candidate }) => {
    expect(() => summarizeRatios(baseline, candidate)).toThrow(RangeError);
  });
});
