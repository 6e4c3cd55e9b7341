import { describe, expect, it } from "vitest";
import { JITTER, parseRetryAfter, resumeAfterReplay, retryDelay, scheduledDelay } from "../../src/domain/retry.js";

/** Deterministic PRNG (mulberry32) so the property test is reproducible. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DEFAULT = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];

describe("retry schedule", () => {
  it("keeps every delay within ±20 % of its step, for 10 000 seeded draws per step", () => {
    for (let seed = 1; seed <= 5; seed++) {
      const random = seeded(seed);
      DEFAULT.forEach((base, i) => {
        let min = Infinity;
        let max = -Infinity;
        for (let n = 0; n < 2000; n++) {
          const delay = scheduledDelay(DEFAULT, i + 1, random) ?? Number.NaN;
          min = Math.min(min, delay);
          max = Math.max(max, delay);
        }
        expect(min).toBeGreaterThanOrEqual(Math.floor(base * (1 - JITTER)));
        expect(max).toBeLessThanOrEqual(Math.ceil(base * (1 + JITTER)));
        // The jitter really spreads: both ends of the band are reached.
        expect(min).toBeLessThan(base * 0.85);
        expect(max).toBeGreaterThan(base * 1.15);
      });
    }
  });

  it("maps random() 0, 0.5 and 1 to the band's low end, the step and the high end", () => {
    expect(scheduledDelay([1000], 1, () => 0)).toBe(800);
    expect(scheduledDelay([1000], 1, () => 0.5)).toBe(1000);
    expect(scheduledDelay([1000], 1, () => 1)).toBe(1200);
    expect(scheduledDelay([1000], 1, () => Number.NaN)).toBe(1000);
  });

  it("is exhausted after the last step", () => {
    expect(scheduledDelay(DEFAULT, 7, () => 0.5)).toBe(36_000_000);
    expect(scheduledDelay(DEFAULT, 8, () => 0.5)).toBeUndefined();
    expect(scheduledDelay([], 1, () => 0.5)).toBeUndefined();
  });
});

describe("Retry-After", () => {
  const now = Date.parse("2025-03-10T12:00:00Z");

  it.each([
    ["seconds", "120", 120_000],
    ["zero", "0", 0],
    ["an HTTP date", "Mon, 10 Mar 2025 12:05:00 GMT", 300_000],
    ["a date in the past", "Mon, 10 Mar 2025 11:00:00 GMT", 0],
  ])("parses %s", (_case, value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it.each([
    ["negative", "-5"],
    ["fractional", "1.5"],
    ["words", "soon"],
    ["empty", ""],
    ["huge", "99999999999"],
    ["bare ISO date", "2025-03-10"],
  ])("ignores %s", (_case, value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });

  const base = { schedule: [1000], attemptsInRun: 1, random: () => 0.5, retryAfterMaxMs: 60_000, now };

  it("postpones a retry but never brings one forward, and caps it at the maximum", () => {
    expect(retryDelay({ ...base, statusCode: 429, retryAfter: "30" })).toBe(30_000);
    expect(retryDelay({ ...base, statusCode: 503, retryAfter: "0" })).toBe(1000);
    expect(retryDelay({ ...base, statusCode: 429, retryAfter: "3600" })).toBe(60_000);
    expect(retryDelay({ ...base, statusCode: 429, retryAfter: "nonsense" })).toBe(1000);
  });

  it("applies only to 429 and 503, and never adds an attempt", () => {
    expect(retryDelay({ ...base, statusCode: 500, retryAfter: "30" })).toBe(1000);
    expect(retryDelay({ ...base, statusCode: 429, retryAfter: "30", attemptsInRun: 2 })).toBeUndefined();
  });

  it("sends a failed replay attempt back to the retry it was waiting for; Retry-After only postpones it", () => {
    const replay = { resumeAt: now + 300_000, statusCode: 500, retryAfter: undefined, retryAfterMaxMs: 3_600_000, now };
    expect(resumeAfterReplay(replay)).toBe(now + 300_000);
    expect(resumeAfterReplay({ ...replay, resumeAt: now - 5000 })).toBe(now);
    expect(resumeAfterReplay({ ...replay, statusCode: 429, retryAfter: "60" })).toBe(now + 300_000);
    expect(resumeAfterReplay({ ...replay, statusCode: 503, retryAfter: "600" })).toBe(now + 600_000);
    expect(resumeAfterReplay({ ...replay, statusCode: 500, retryAfter: "600" })).toBe(now + 300_000);
    expect(resumeAfterReplay({ ...replay, statusCode: 429, retryAfter: "86400" })).toBe(now + 3_600_000);
  });
});
