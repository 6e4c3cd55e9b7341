import { describe, expect, it } from "vitest";
import { foldChecksum, roundOrder, runPair, syncSubject, type SliceSample, type Subject } from "../src/harness/pair.js";

/** A subject on a virtual clock: `rate(t)` ops per ms at virtual time t; every slice is logged. */
function virtualSubject(label: string, clock: { now: number }, rate: (t: number) => number, log: string[]): Subject {
  return {
    label,
    runSlice(durationMs): SliceSample {
      log.push(label);
      const ops = Math.round(rate(clock.now) * durationMs);
      clock.now += durationMs;
      return { ops, elapsedMs: durationMs, checksum: ops };
    },
  };
}

describe("roundOrder", () => {
  it("alternates which side goes first", () => {
    expect([0, 1, 2, 3].map(roundOrder)).toEqual([
      ["baseline", "candidate"],
      ["candidate", "baseline"],
      ["baseline", "candidate"],
      ["candidate", "baseline"],
    ]);
  });
});

describe("runPair", () => {
  it("runs the sides in alternating order, warm-up included", async () => {
    const clock = { now: 0 };
    const log: string[] = [];
    const result = await runPair(
      virtualSubject("B", clock, () => 1, log),
      virtualSubject("C", clock, () => 2, log),
      { sliceMs: 10, rounds: 3, warmupRounds: 1 },
    );
    expect(log).toEqual(["B", "C", "C", "B", "B", "C", "C", "B"]);
    expect(result.rounds.map((r) => [r.warmup, r.first])).toEqual([
      [true, "baseline"],
      [false, "candidate"],
      [false, "baseline"],
      [false, "candidate"],
    ]);
  });

  it("discards warm-up rounds from rates, totals and ratios", async () => {
    const clock = { now: 0 };
    // Both sides are 10× slower during warm-up (the first 40 virtual ms).
    const rate = (fast: number) => (t: number) => (t < 40 ? fast / 10 : fast);
    const result = await runPair(virtualSubject("B", clock, rate(1), []), virtualSubject("C", clock, rate(3), []), {
      sliceMs: 10,
      rounds: 4,
      warmupRounds: 2,
    });
    expect(result.baseline.opsPerSecond).toEqual([1000, 1000, 1000, 1000]);
    expect(result.candidate.medianOpsPerSecond).toBe(3000);
    expect(result.baseline.totalOps).toBe(40);
    expect(result.ratio.median).toBe(3);
  });

  it("reports the true ratio while the machine drifts by 1.5× between rounds", async () => {
    const clock = { now: 0 };
    const speed = (t: number) => 1 + 0.5 * ((Math.floor(t / 20) % 4) / 3);
    const result = await runPair(
      virtualSubject("B", clock, (t) => 100 * speed(t), []),
      virtualSubject("C", clock, (t) => 250 * speed(t), []),
      {
        sliceMs: 10,
        rounds: 12,
        warmupRounds: 0,
      },
    );
    expect(result.ratio.median).toBeCloseTo(2.5, 10);
    expect(Math.max(...result.baseline.opsPerSecond) / Math.min(...result.baseline.opsPerSecond)).toBeCloseTo(1.5, 10);
  });

  it.each([
    { name: "zero slice", options: { sliceMs: 0, rounds: 1, warmupRounds: 0 } },
    { name: "no rounds", options: { sliceMs: 1, rounds: 0, warmupRounds: 0 } },
    { name: "fractional warm-up", options: { sliceMs: 1, rounds: 1, warmupRounds: 0.5 } },
  ])("refuses $name", async ({ options }) => {
    const clock = { now: 0 };
    await expect(
      runPair(
        virtualSubject("B", clock, () => 1, []),
        virtualSubject("C", clock, () => 1, []),
        options,
      ),
    ).rejects.toThrow(RangeError);
  });
});

describe("syncSubject", () => {
  it("folds every result into the checksum and reads the clock once per batch", () => {
    let now = 0;
    let reads = 0;
    const clock = () => {
      reads += 1;
      return now;
    };
    const seen: number[] = [];
    const subject = syncSubject(
      "op",
      (i) => {
        seen.push(i);
        now += 1;
        return i;
      },
      { clock, batch: 4 },
    );
    const sample = subject.runSlice(10);
    expect(sample).toMatchObject({ ops: 12, elapsedMs: 12 });
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(sample.checksum).toBe(seen.reduce(foldChecksum, 0));
    expect(reads).toBe(4);
    expect(subject.runSlice(4)).toMatchObject({ ops: 4 });
    expect(seen.at(-1)).toBe(15);
  });

  it("calibrates a batch size on its first slice", () => {
    let now = 0;
    const subject = syncSubject(
      "op",
      () => {
        now += 0.01;
        return 1;
      },
      { clock: () => now },
    );
    const sample = subject.runSlice(5);
    // 0.5 ms batches of 0.01 ms operations: 50 per batch.
    expect(sample.ops % 50).toBe(0);
    expect(sample.ops).toBeGreaterThanOrEqual(500);
  });
});
