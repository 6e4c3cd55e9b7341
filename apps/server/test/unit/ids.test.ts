import { describe, expect, it } from "vitest";
import { newId } from "../../src/util/ids.js";

describe("newId", () => {
  it("is the prefix and 24 base62 characters", () => {
    for (const prefix of ["ep", "evt", "dlv", "atm"] as const) expect(newId(prefix)).toMatch(new RegExp(`^${prefix}_[0-9A-Za-z]{24}$`));
  });

  it("sorts by creation time in plain byte order (the stores' indexes append)", () => {
    const times = [0, 1, 61, 62, 1_000, Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 1) + 1, Date.UTC(2100, 0, 1), 62 ** 8 - 1];
    const ids = times.map((t) => newId("dlv", t));
    expect([...ids].sort()).toEqual(ids);
  });

  it("differs within one millisecond (16 random characters)", () => {
    const ids = Array.from({ length: 10_000 }, () => newId("atm", 1_764_201_600_000));
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.map((id) => id.slice(4, 12))).size).toBe(1);
  });
});
