import { describe, expect, it } from "vitest";
import { nestingTooDeepAt } from "../../src/http/input-guards.js";

describe("nestingTooDeepAt", () => {
  it.each([
    ["flat scalar", "1", 1, -1],
    ["exactly at the limit", "[[1]]", 2, -1],
    ["one past the limit: offset of the opening bracket", "[[[1]]]", 2, 2],
    ["objects and arrays mixed", '{"a":[{"b":1}]}', 2, 6],
    ["brackets inside a string do not count", '["[[[{{{"]', 1, -1],
    ["an escaped quote does not end the string", '["\\"[[["]', 1, -1],
    ["an escaped backslash before the closing quote", '["a\\\\",[1]]', 1, 7],
    ["three backslashes: escaped backslash then escaped quote", '["\\\\\\"[["]', 1, -1],
    ["siblings do not add up", "[[1],[2],[3]]", 2, -1],
    ["an unterminated string ends the scan", '["[[[', 1, -1],
    ["deep nesting far past the limit stops at the first offender", "[".repeat(100_000), 64, 64],
  ])("%s", (_name, text, max, expected) => {
    expect(nestingTooDeepAt(text, max)).toBe(expected);
  });

  it("agrees with JSON.parse on random documents", () => {
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const build = (depth: number): unknown => {
      if (depth === 0 || random(3) === 0) return ["x", 1, '"[{\\', null][random(4)];
      return random(2) === 0 ? [build(depth - 1), build(depth - 1)] : { [`k${random(9)}[`]: build(depth - 1) };
    };
    const depthOf = (v: unknown): number =>
      typeof v === "object" && v !== null ? 1 + Math.max(0, ...Object.values(v as Record<string, unknown>).map(depthOf)) : 0;
    for (let i = 0; i < 300; i++) {
      const doc = build(1 + random(12));
      const depth = depthOf(doc);
      const text = JSON.stringify(doc);
      expect(nestingTooDeepAt(text, depth)).toBe(-1);
      if (depth > 0) expect(nestingTooDeepAt(text, depth - 1)).toBeGreaterThanOrEqual(0);
    }
  });
});
