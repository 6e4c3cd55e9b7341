import { describe, expect, it } from "vitest";
import { type CarriedVersions, catalogChanges, removedPinnedVersions } from "../../src/domain/catalog-reload.js";

const catalog = (carried: Record<string, number[]>): CarriedVersions => ({
  types: Object.keys(carried).sort(),
  versions: (type) => carried[type] ?? [],
});

describe("removedPinnedVersions", () => {
  it.each([
    { what: "no pins: nothing to refuse", next: { "order.shipped": [2] }, pins: [], refused: [] },
    {
      what: "every pinned version still carried",
      next: { "order.shipped": [1, 2], "order.paid": [1] },
      pins: [
        { type: "order.shipped", version: 1, endpoints: 2 },
        { type: "order.paid", version: 1, endpoints: 1 },
      ],
      refused: [],
    },
    {
      what: "a pinned version dropped while the type stays",
      next: { "order.shipped": [2] },
      pins: [{ type: "order.shipped", version: 1, endpoints: 2 }],
      refused: ["order.shipped v1"],
    },
    {
      what: "a pinned type dropped entirely",
      next: { "order.shipped": [2] },
      pins: [{ type: "order.paid", version: 1, endpoints: 1 }],
      refused: ["order.paid v1"],
    },
    {
      what: "a count of zero endpoints is not a pin",
      next: { "order.shipped": [2] },
      pins: [{ type: "order.shipped", version: 1, endpoints: 0 }],
      refused: [],
    },
    {
      what: "every problem, sorted by type then version",
      next: { "order.shipped": [3] },
      pins: [
        { type: "order.shipped", version: 2, endpoints: 1 },
        { type: "order.paid", version: 1, endpoints: 5 },
        { type: "order.shipped", version: 1, endpoints: 1 },
        { type: "order.shipped", version: 3, endpoints: 1 },
      ],
      refused: ["order.paid v1", "order.shipped v1", "order.shipped v2"],
    },
  ])("$what", ({ next, pins, refused }) => {
    const problems = removedPinnedVersions(catalog(next), pins);
    expect(problems.map((p) => `${p.type} v${p.version}`)).toEqual(refused);
    for (const p of problems) expect(p.code).toBe("pinned_version_removed");
  });

  it("says how many endpoints, what the new catalog carries, and both ways out", () => {
    const [kept] = removedPinnedVersions(catalog({ "order.shipped": [2, 3] }), [{ type: "order.shipped", version: 1, endpoints: 1 }]);
    expect(kept?.message).toBe(
      "1 endpoint is pinned to order.shipped v1, but the new catalog carries order.shipped v2, v3 only. Keep the version's schema file in the catalog " +
        '(mark it deprecated instead of removing it), or re-pin them first (PATCH /v1/endpoints/{id} with {"pins": {"order.shipped": 3}}); ' +
        "GET /v1/event-types/order.shipped/versions/1/subscribers lists them.",
    );
    const [gone] = removedPinnedVersions(catalog({}), [{ type: "order.paid", version: 1, endpoints: 4 }]);
    expect(gone?.message).toMatch(
      /^4 endpoints are pinned to order\.paid v1, but the new catalog has no event type order\.paid\. .*move them off order\.paid first/,
    );
  });
});

describe("catalogChanges", () => {
  it.each([
    { what: "identical", previous: { a: [1] }, next: { a: [1] }, added: [], removed: [] },
    { what: "a new type", previous: { a: [1] }, next: { a: [1], b: [1] }, added: ["b v1"], removed: [] },
    { what: "a new version", previous: { a: [1] }, next: { a: [1, 2] }, added: ["a v2"], removed: [] },
    { what: "a version replaced", previous: { a: [1, 2] }, next: { a: [2, 3] }, added: ["a v3"], removed: ["a v1"] },
    { what: "a type removed", previous: { a: [1], b: [1, 2] }, next: { a: [1] }, added: [], removed: ["b v1", "b v2"] },
  ])("$what", ({ previous, next, added, removed }) => {
    const changes = catalogChanges(catalog(previous), catalog(next));
    expect(changes.added.map((tv) => `${tv.type} v${tv.version}`)).toEqual(added);
    expect(changes.removed.map((tv) => `${tv.type} v${tv.version}`)).toEqual(removed);
  });
});
