import { describe, expect, it } from "vitest";
import { refillTokens } from "../../src/domain/token-bucket.js";

describe("refillTokens", () => {
  it.each([
    ["a new bucket is full: 100 ms worth", undefined, 50, 0, 5],
    ["a new bucket holds at least one token, however slow the rate", undefined, 0.5, 0, 1],
    ["refills at the rate", { tokens: 0, at: 0 }, 10, 50, 0.5],
    ["never past full", { tokens: 0, at: 0 }, 10, 60_000, 1],
    ["a clock that went back refills nothing", { tokens: 0.25, at: 1000 }, 10, 500, 0.25],
    ["spent below zero stays owed until refilled", { tokens: -1, at: 0 }, 10, 100, 0],
  ])("%s", (_name, bucket, rate, now, expected) => {
    expect(refillTokens(bucket, rate, now)).toBeCloseTo(expected, 9);
  });
});
