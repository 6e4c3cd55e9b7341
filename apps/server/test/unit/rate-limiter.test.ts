import { describe, expect, it } from "vitest";
import { RateLimiter } from "../../src/delivery/rate-limiter.js";

describe("RateLimiter", () => {
  it("admits at most rate × seconds (+ a 100 ms burst) over a window", () => {
    for (const rate of [0.5, 1, 5, 50, 400]) {
      const limiter = new RateLimiter();
      let admitted = 0;
      for (let t = 0; t <= 10_000; t += 1) {
        while (limiter.available("ep", rate, t) >= 1) {
          limiter.take("ep", rate, t);
          admitted++;
        }
      }
      expect(admitted).toBeLessThanOrEqual(Math.ceil(rate * 10 + Math.max(1, rate / 10)) + 1);
      expect(admitted).toBeGreaterThanOrEqual(Math.floor(rate * 10));
    }
  });

  it("tells when the next token arrives", () => {
    const limiter = new RateLimiter();
    limiter.take("ep", 4, 0);
    expect(limiter.available("ep", 4, 0)).toBe(0);
    expect(limiter.nextTokenAt("ep", 4, 0)).toBe(250);
    expect(limiter.available("ep", 4, 250)).toBe(1);
  });
});
