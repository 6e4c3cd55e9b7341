import { describe, expect, it } from "vitest";
import { MAX_PREVIOUS_SECRETS, planRotation } from "../../src/domain/rotation.js";

const NOW = 1_000_000;
const secrets = (...expiries: number[]): { name: string; expiresAt: number }[] =>
  expiries.map((expiresAt, i) => ({ name: `s${i}`, expiresAt }));
const outgoing = { name: "out", expiresAt: NOW + 500 };

describe("secret rotation plan", () => {
  it("keeps at most 10 previous secrets", () => expect(MAX_PREVIOUS_SECRETS).toBe(10));

  it.each([
    // [case, previous expiries, outgoing?, expireOldest, expected previous names | "refused", expired names]
    ["first rotation", [], true, false, ["out"], []],
    ["expired ones are dropped silently", [NOW - 1, NOW, NOW + 1], true, false, ["out", "s2"], []],
    [
      "9 valid + outgoing fit",
      Array.from({ length: 9 }, (_, i) => NOW + 100 + i),
      true,
      false,
      ["out", ...Array.from({ length: 9 }, (_, i) => `s${i}`)],
      [],
    ],
    ["10 valid + outgoing: refused", Array.from({ length: 10 }, (_, i) => NOW + 100 + i), true, false, "refused", []],
    [
      "10 valid, no grace: fits",
      Array.from({ length: 10 }, (_, i) => NOW + 100 + i),
      false,
      false,
      Array.from({ length: 10 }, (_, i) => `s${i}`),
      [],
    ],
    [
      "10 valid, 1 expired + outgoing: fits",
      [NOW - 5, ...Array.from({ length: 9 }, (_, i) => NOW + 100 + i)],
      true,
      false,
      ["out", ...Array.from({ length: 9 }, (_, i) => `s${i + 1}`)],
      [],
    ],
    [
      "10 valid + outgoing with expireOldest: the soonest expiry goes",
      [NOW + 300, NOW + 100, ...Array.from({ length: 8 }, (_, i) => NOW + 200 + i)],
      true,
      true,
      ["out", "s0", ...Array.from({ length: 8 }, (_, i) => `s${i + 2}`)],
      ["s1"],
    ],
  ] as const)("%s", (_case, expiries, withOutgoing, expireOldest, expected, expired) => {
    const plan = planRotation({ previous: secrets(...expiries), outgoing: withOutgoing ? outgoing : undefined, now: NOW, expireOldest });
    if (expected === "refused") {
      expect(plan.ok).toBe(false);
      if (!plan.ok) expect(plan.valid.map((p) => p.expiresAt)).toEqual([...expiries].sort((a, b) => a - b));
      return;
    }
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.previous.map((p) => p.name)).toEqual(expected);
    expect(plan.expired.map((p) => p.name)).toEqual(expired);
    expect(plan.previous.length).toBeLessThanOrEqual(MAX_PREVIOUS_SECRETS);
  });

  it("never expires the outgoing secret, even when it ends first", () => {
    const plan = planRotation({
      previous: secrets(...Array.from({ length: 10 }, (_, i) => NOW + 1000 + i)),
      outgoing: { name: "out", expiresAt: NOW + 1 },
      now: NOW,
      expireOldest: true,
    });
    expect(plan.ok && plan.previous[0]?.name).toBe("out");
    expect(plan.ok && plan.expired.map((p) => p.name)).toEqual(["s0"]);
  });
});
