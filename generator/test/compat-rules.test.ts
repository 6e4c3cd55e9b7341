/**
 * One named test per compatibility rule (cases and their expected verdicts, written from JSON Schema
 * semantics, in support/compat-cases.ts), and the walk of compareSchemas.
 */

import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compareSchemas } from "../src/compat/diff.js";
import { RULES } from "../src/compat/rules.js";

import { REAL_CATALOG } from "./support/catalog.js";
import { CASES, type Letters, obj, s } from "./support/compat-cases.js";

const fromLetters = (letters: Letters) => {
  const v = (c: string) => (c === "C" ? "compatible" : "breaking");
  return { backward: v(letters[0] as string), forward: v(letters[1] as string), full: v(letters[2] as string) };
};

describe("compatibility rules", () => {
  for (const c of CASES) {
    it(c.rule, () => {
      expect(compareSchemas(c.old, c.new)).toEqual([
        { rule: c.rule, pointer: c.pointer, verdict: fromLetters(c.expect), detail: expect.any(String) },
      ]);
    });
  }

  it("has one test per rule in the table, and at least 40", () => {
    expect(CASES.map((c) => c.rule).sort()).toEqual(Object.keys(RULES).sort());
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });
});

describe("compareSchemas walk", () => {
  it("reports nothing for identical schemas, whatever their key order", () => {
    expect(
      compareSchemas(obj({ a: s }, { required: ["a"] }), { required: ["a"], properties: { a: { type: "string" } }, type: "object" }),
    ).toEqual([]);
  });

  it("recurses into array items and reports the change at its pointer", () => {
    const changes = compareSchemas({ type: "array", items: obj({ id: s }) }, { type: "array", items: obj({ id: { type: "integer" } }) });
    expect(changes.map((c) => [c.rule, c.pointer])).toEqual([["type-changed", "/items/properties/id/type"]]);
  });

  it("follows local $refs into $defs in each document", () => {
    const old = { $defs: { Money: { type: "integer", minimum: 0 } }, ...obj({ amount: { $ref: "#/$defs/Money" } }) };
    const next = { $defs: { Amount: { type: "integer", minimum: 1 } }, ...obj({ amount: { $ref: "#/$defs/Amount" } }) };
    expect(compareSchemas(old, next).map((c) => [c.rule, c.pointer])).toEqual([["minimum-tightened", "/$defs/Amount/minimum"]]);
  });

  it("reports a keyword the new schema dropped at its pointer in the old schema", () => {
    const old = { $defs: { Code: { type: "string", pattern: "^a" } }, ...obj({ code: { $ref: "#/$defs/Code" } }) };
    const changes = compareSchemas(old, obj({ code: { type: "string" } }));
    expect(changes.map((c) => [c.rule, c.pointer])).toEqual([["pattern-removed", "/$defs/Code/pattern"]]);
  });

  it("compares an inline schema with a local $ref to the same shape as equal", () => {
    const old = obj({ amount: { type: "integer" } });
    const next = { $defs: { Amount: { type: "integer" } }, ...obj({ amount: { $ref: "#/$defs/Amount" } }) };
    expect(compareSchemas(old, next)).toEqual([]);
  });

  it("terminates on recursive schemas", () => {
    const tree = (leaf: unknown) => ({
      $defs: { Node: obj({ leaf, children: { type: "array", items: { $ref: "#/$defs/Node" } } }) },
      $ref: "#/$defs/Node",
    });
    expect(compareSchemas(tree(s), tree({ type: "integer" })).map((c) => c.rule)).toEqual(["type-changed"]);
  });

  it("matches oneOf branches by $ref, so reordering is not a change", () => {
    const a = { $ref: "https://example.com/a.json" };
    const b = { $ref: "https://example.com/b.json" };
    expect(compareSchemas({ oneOf: [a, b] }, { oneOf: [b, a] })).toEqual([]);
  });

  it("treats a keyword it does not analyse as breaking in every mode", () => {
    const [change] = compareSchemas({ type: "object", patternProperties: { "^x": s } }, { type: "object" });
    expect(change).toMatchObject({
      rule: "keyword-changed",
      pointer: "/patternProperties",
      verdict: { backward: "breaking", forward: "breaking", full: "breaking" },
    });
  });

  it("walks then/else under an unchanged if, dependentSchemas and contains with the verdicts of their subschemas", () => {
    const cond = (then: unknown) => ({ type: "object", if: { required: ["a"] }, then, dependentSchemas: { b: then }, contains: then });
    const changes = compareSchemas(cond({ maxProperties: 3 }), cond({ maxProperties: 2 }));
    expect(changes.map((c) => `${c.pointer} ${c.rule}`)).toEqual([
      "/contains/maxProperties max-properties-tightened",
      "/dependentSchemas/b/maxProperties max-properties-tightened",
      "/then/maxProperties max-properties-tightened",
    ]);
  });

  it("does not carry contains' verdicts over when maxContains bounds the matches", () => {
    const arr = (item: unknown) => ({ type: "array", contains: item, maxContains: 2 });
    expect(compareSchemas(arr({ type: "integer" }), arr({ type: "number" })).map((c) => `${c.pointer} ${c.rule}`)).toEqual([
      "/contains keyword-changed",
    ]);
  });

  it("ignores an annotation-only change under not and if", () => {
    const schema = (description: string) => ({
      not: { const: 1, description },
      if: { required: ["a"], description },
      then: { required: ["b"] },
    });
    expect(compareSchemas(schema("old"), schema("new"), { ignoreAnnotations: true })).toEqual([]);
  });

  it("returns changes sorted by pointer, then rule", () => {
    const changes = compareSchemas(obj({ z: s, a: s }), obj({ z: { type: "integer" }, a: { ...s, maxLength: 3 } }, { required: ["a"] }));
    expect(changes.map((c) => `${c.pointer} ${c.rule}`)).toEqual([
      "/properties/a/maxLength max-length-tightened",
      "/properties/z/type type-changed",
      "/required required-added",
    ]);
  });

  it("leaves annotations out on request", () => {
    expect(compareSchemas({ title: "A" }, { title: "B" }, { ignoreAnnotations: true })).toEqual([]);
  });
});

describe("on the repository catalog", () => {
  const read = (name: string): unknown => JSON.parse(readFileSync(path.join(REAL_CATALOG, "events/orders", name), "utf8"));

  it("classifies order.shipped v1 → v2 (tracking and items moved into required parcels) as breaking in every mode", () => {
    const changes = compareSchemas(read("order.shipped.v1.json"), read("order.shipped.v2.json"), { ignoreAnnotations: true });
    expect(changes.map((c) => `${c.pointer} ${c.rule}`)).toEqual([
      "/properties/isFinalShipment property-added-required-to-closed-object",
      "/properties/items property-removed-from-closed-object",
      "/properties/parcels property-added-required-to-closed-object",
      "/properties/tracking property-removed-from-closed-object",
      "/required required-removed",
      "/required required-removed",
    ]);
    expect(changes.some((c) => c.verdict.backward === "breaking") && changes.some((c) => c.verdict.forward === "breaking")).toBe(true);
  });

  it("finds no change between a schema and itself", () => {
    const v2 = read("order.shipped.v2.json");
    expect(compareSchemas(v2, structuredClone(v2))).toEqual([]);
  });
});
