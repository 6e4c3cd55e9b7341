/**
 * The compatibility rule cases: one minimal old/new schema pair per rule of src/compat/rules.ts and
 * the verdict expected under each mode, written from JSON Schema semantics (backward: every instance
 * old accepts, new accepts; forward: every instance new accepts, old accepts; full: both), not
 * copied from rules.ts. Verdicts are spelled backward/forward/full with C = compatible, B = breaking.
 * Shared by compat-rules.test.ts (the verdicts) and compat-ajv.test.ts (ajv cross-check).
 */

import type { RuleName } from "../../src/compat/rules.js";

export type Letters = `${"C" | "B"}${"C" | "B"}${"C" | "B"}`;
export interface Case {
  readonly rule: RuleName;
  readonly old: unknown;
  readonly new: unknown;
  readonly expect: Letters;
  readonly pointer: string;
}

export const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: "object", properties, ...extra });
export const s = { type: "string" };
const closed = { additionalProperties: false };
/** The condition "a is present and equals "a"". */
const IF_A = { required: ["a"], properties: { a: { const: "a" } } };

const bound = (keyword: string, from: number | undefined, to: number | undefined, type = "string") => ({
  old: from === undefined ? { type } : { type, [keyword]: from },
  new: to === undefined ? { type } : { type, [keyword]: to },
  pointer: `/${keyword}`,
});

export const CASES: readonly Case[] = [
  // Open object: old data may carry "b" with any value (new rejects a number); old readers ignore "b".
  { rule: "property-added-optional", old: obj({ a: s }), new: obj({ a: s, b: s }), expect: "BCB", pointer: "/properties/b" },
  // Closed object: old data never has "b"; old readers reject new data carrying "b".
  {
    rule: "property-added-optional-to-closed-object",
    old: obj({ a: s }, closed),
    new: obj({ a: s, b: s }, closed),
    expect: "CBB",
    pointer: "/properties/b",
  },
  {
    rule: "property-added-required",
    old: obj({ a: s }),
    new: obj({ a: s, b: s }, { required: ["b"] }),
    expect: "BCB",
    pointer: "/properties/b",
  },
  {
    rule: "property-added-required-to-closed-object",
    old: obj({ a: s }, closed),
    new: obj({ a: s, b: s }, { ...closed, required: ["b"] }),
    expect: "BBB",
    pointer: "/properties/b",
  },
  {
    rule: "property-added-to-constrained-object",
    old: obj({ a: s }, { additionalProperties: { type: "integer" } }),
    new: obj({ a: s, b: s }, { additionalProperties: { type: "integer" } }),
    expect: "BBB",
    pointer: "/properties/b",
  },
  // New (open) accepts "b" with any value; new data {b: 1} fails the old string constraint.
  { rule: "property-removed", old: obj({ a: s, b: s }), new: obj({ a: s }), expect: "CBB", pointer: "/properties/b" },
  {
    rule: "property-removed-from-closed-object",
    old: obj({ a: s, b: s }, closed),
    new: obj({ a: s }, closed),
    expect: "BCB",
    pointer: "/properties/b",
  },
  { rule: "property-renamed", old: obj({ a: s, b: s }), new: obj({ a: s, c: s }), expect: "BBB", pointer: "/properties/c" },
  { rule: "required-added", old: obj({ a: s }), new: obj({ a: s }, { required: ["a"] }), expect: "BCB", pointer: "/required" },
  { rule: "required-removed", old: obj({ a: s }, { required: ["a"] }), new: obj({ a: s }), expect: "CBB", pointer: "/required" },
  { rule: "type-widened", old: { type: "integer" }, new: { type: ["integer", "string"] }, expect: "CBB", pointer: "/type" },
  { rule: "type-narrowed", old: { type: "number" }, new: { type: "integer" }, expect: "BCB", pointer: "/type" },
  { rule: "type-changed", old: { type: "string" }, new: { type: "integer" }, expect: "BBB", pointer: "/type" },
  { rule: "nullable-added", old: { type: "string" }, new: { type: ["string", "null"] }, expect: "CBB", pointer: "/type" },
  { rule: "nullable-removed", old: { type: ["string", "null"] }, new: { type: "string" }, expect: "BCB", pointer: "/type" },
  { rule: "enum-value-added", old: { enum: ["a"] }, new: { enum: ["a", "b"] }, expect: "CBB", pointer: "/enum" },
  { rule: "enum-value-removed", old: { enum: ["a", "b"] }, new: { enum: ["a"] }, expect: "BCB", pointer: "/enum" },
  { rule: "enum-constraint-added", old: s, new: { ...s, enum: ["a"] }, expect: "BCB", pointer: "/enum" },
  { rule: "enum-constraint-removed", old: { ...s, enum: ["a"] }, new: s, expect: "CBB", pointer: "/enum" },
  { rule: "const-changed", old: { const: "v1" }, new: { const: "v2" }, expect: "BBB", pointer: "/const" },
  { rule: "const-added", old: s, new: { ...s, const: "v1" }, expect: "BCB", pointer: "/const" },
  { rule: "const-removed", old: { ...s, const: "v1" }, new: s, expect: "CBB", pointer: "/const" },
  {
    rule: "one-of-branch-added",
    old: { oneOf: [{ type: "string" }] },
    new: { oneOf: [{ type: "string" }, { type: "integer" }] },
    expect: "CBB",
    pointer: "/oneOf/1",
  },
  {
    rule: "one-of-branch-removed",
    old: { oneOf: [{ type: "string" }, { type: "integer" }] },
    new: { oneOf: [{ type: "string" }] },
    expect: "BCB",
    pointer: "/oneOf/1",
  },
  {
    rule: "any-of-branch-added",
    old: { anyOf: [{ type: "string" }] },
    new: { anyOf: [{ type: "string" }, { type: "integer" }] },
    expect: "CBB",
    pointer: "/anyOf/1",
  },
  {
    rule: "any-of-branch-removed",
    old: { anyOf: [{ type: "string" }, { type: "integer" }] },
    new: { anyOf: [{ type: "string" }] },
    expect: "BCB",
    pointer: "/anyOf/1",
  },
  { rule: "pattern-added", old: s, new: { ...s, pattern: "^a" }, expect: "BCB", pointer: "/pattern" },
  { rule: "pattern-removed", old: { ...s, pattern: "^a" }, new: s, expect: "CBB", pointer: "/pattern" },
  { rule: "pattern-changed", old: { ...s, pattern: "^a" }, new: { ...s, pattern: "^b" }, expect: "BBB", pointer: "/pattern" },
  { rule: "format-added", old: s, new: { ...s, format: "email" }, expect: "BCB", pointer: "/format" },
  { rule: "format-removed", old: { ...s, format: "email" }, new: s, expect: "CBB", pointer: "/format" },
  { rule: "format-changed", old: { ...s, format: "email" }, new: { ...s, format: "uri" }, expect: "BBB", pointer: "/format" },
  { rule: "additional-properties-closed", old: obj({ a: s }), new: obj({ a: s }, closed), expect: "BCB", pointer: "/additionalProperties" },
  { rule: "additional-properties-opened", old: obj({ a: s }, closed), new: obj({ a: s }), expect: "CBB", pointer: "/additionalProperties" },
  { rule: "items-constraint-added", old: { type: "array" }, new: { type: "array", items: s }, expect: "BCB", pointer: "/items" },
  { rule: "items-constraint-removed", old: { type: "array", items: s }, new: { type: "array" }, expect: "CBB", pointer: "/items" },
  { rule: "unique-items-added", old: { type: "array" }, new: { type: "array", uniqueItems: true }, expect: "BCB", pointer: "/uniqueItems" },
  {
    rule: "unique-items-removed",
    old: { type: "array", uniqueItems: true },
    new: { type: "array" },
    expect: "CBB",
    pointer: "/uniqueItems",
  },
  {
    rule: "ref-target-changed",
    old: obj({ a: { $ref: "https://example.com/defs/address-v1.json" } }),
    new: obj({ a: { $ref: "https://example.com/defs/address-v2.json" } }),
    expect: "BBB",
    pointer: "/properties/a/$ref",
  },
  {
    rule: "annotation-changed",
    old: { ...s, description: "old" },
    new: { ...s, description: "new" },
    expect: "CCC",
    pointer: "/description",
  },
  {
    rule: "keyword-changed",
    old: { type: "object", propertyNames: { enum: ["a", "b"] } },
    new: { type: "object", propertyNames: { enum: ["b", "c"] } },
    expect: "BBB",
    pointer: "/propertyNames",
  },
  // multipleOf: every multiple of 4 is a multiple of 2, not the reverse; 2 and 3 each accept numbers the other rejects.
  { rule: "multiple-of-added", old: { type: "number" }, new: { type: "number", multipleOf: 2 }, expect: "BCB", pointer: "/multipleOf" },
  { rule: "multiple-of-removed", old: { type: "number", multipleOf: 2 }, new: { type: "number" }, expect: "CBB", pointer: "/multipleOf" },
  {
    rule: "multiple-of-tightened",
    old: { type: "number", multipleOf: 2 },
    new: { type: "number", multipleOf: 4 },
    expect: "BCB",
    pointer: "/multipleOf",
  },
  {
    rule: "multiple-of-loosened",
    old: { type: "number", multipleOf: 4 },
    new: { type: "number", multipleOf: 2 },
    expect: "CBB",
    pointer: "/multipleOf",
  },
  {
    rule: "multiple-of-changed",
    old: { type: "number", multipleOf: 2 },
    new: { type: "number", multipleOf: 3 },
    expect: "BBB",
    pointer: "/multipleOf",
  },
  // contains: an array without a string item passed before and fails now.
  { rule: "contains-added", old: { type: "array" }, new: { type: "array", contains: s }, expect: "BCB", pointer: "/contains" },
  { rule: "contains-removed", old: { type: "array", contains: s }, new: { type: "array" }, expect: "CBB", pointer: "/contains" },
  // An absent minContains means 1: ["a", 1] has one string item.
  {
    rule: "min-contains-tightened",
    old: { type: "array", contains: s },
    new: { type: "array", contains: s, minContains: 2 },
    expect: "BCB",
    pointer: "/minContains",
  },
  {
    rule: "min-contains-loosened",
    old: { type: "array", contains: s, minContains: 2 },
    new: { type: "array", contains: s },
    expect: "CBB",
    pointer: "/minContains",
  },
  {
    rule: "max-contains-tightened",
    old: { type: "array", contains: s },
    new: { type: "array", contains: s, maxContains: 2 },
    expect: "BCB",
    pointer: "/maxContains",
  },
  {
    rule: "max-contains-loosened",
    old: { type: "array", contains: s, maxContains: 2 },
    new: { type: "array", contains: s, maxContains: 3 },
    expect: "CBB",
    pointer: "/maxContains",
  },
  // not: "a" is excluded by the new schema only.
  { rule: "not-added", old: s, new: { ...s, not: { const: "a" } }, expect: "BCB", pointer: "/not" },
  { rule: "not-removed", old: { ...s, not: { const: "a" } }, new: s, expect: "CBB", pointer: "/not" },
  // Excluding "a" and "b" instead of "a": "b" passed before and fails now.
  {
    rule: "not-schema-widened",
    old: { ...s, not: { enum: ["a"] } },
    new: { ...s, not: { enum: ["a", "b"] } },
    expect: "BCB",
    pointer: "/not",
  },
  {
    rule: "not-schema-narrowed",
    old: { ...s, not: { enum: ["a", "b"] } },
    new: { ...s, not: { enum: ["a"] } },
    expect: "CBB",
    pointer: "/not",
  },
  { rule: "not-schema-changed", old: { ...s, not: { const: "a" } }, new: { ...s, not: { const: "b" } }, expect: "BBB", pointer: "/not" },
  // if a is "a", then b is required: {a: "a"} passed before and fails now.
  {
    rule: "conditional-added",
    old: { type: "object" },
    new: { type: "object", if: IF_A, then: { required: ["b"] } },
    expect: "BCB",
    pointer: "/if",
  },
  {
    rule: "conditional-removed",
    old: { type: "object", if: IF_A, then: { required: ["b"] } },
    new: { type: "object" },
    expect: "CBB",
    pointer: "/if",
  },
  // An else now requires c when a is not "a": {} passed before and fails now.
  {
    rule: "conditional-branch-added",
    old: { type: "object", if: IF_A, then: { required: ["b"] } },
    new: { type: "object", if: IF_A, then: { required: ["b"] }, else: { required: ["c"] } },
    expect: "BCB",
    pointer: "/else",
  },
  {
    rule: "conditional-branch-removed",
    old: { type: "object", if: IF_A, then: { required: ["b"] }, else: { required: ["c"] } },
    new: { type: "object", if: IF_A, then: { required: ["b"] } },
    expect: "CBB",
    pointer: "/else",
  },
  // {a: "a"} passes only the new schema, {a: "b"} only the old one.
  {
    rule: "if-condition-changed",
    old: { type: "object", if: IF_A, then: { required: ["b"] } },
    new: { type: "object", if: { required: ["a"], properties: { a: { const: "b" } } }, then: { required: ["b"] } },
    expect: "BBB",
    pointer: "/if",
  },
  // {a: 1} without b passed before and fails now.
  {
    rule: "dependent-required-added",
    old: { type: "object" },
    new: { type: "object", dependentRequired: { a: ["b"] } },
    expect: "BCB",
    pointer: "/dependentRequired/a",
  },
  {
    rule: "dependent-required-removed",
    old: { type: "object", dependentRequired: { a: ["b"] } },
    new: { type: "object" },
    expect: "CBB",
    pointer: "/dependentRequired/a",
  },
  {
    rule: "dependent-schema-added",
    old: { type: "object" },
    new: { type: "object", dependentSchemas: { a: { required: ["b"] } } },
    expect: "BCB",
    pointer: "/dependentSchemas/a",
  },
  {
    rule: "dependent-schema-removed",
    old: { type: "object", dependentSchemas: { a: { required: ["b"] } } },
    new: { type: "object" },
    expect: "CBB",
    pointer: "/dependentSchemas/a",
  },
  // Bounds: a larger lower bound or smaller upper bound (or a new bound) rejects old data; the reverse lets new data fail old readers.
  { rule: "min-length-tightened", ...bound("minLength", 1, 2), expect: "BCB" },
  { rule: "min-length-loosened", ...bound("minLength", 2, undefined), expect: "CBB" },
  { rule: "max-length-tightened", ...bound("maxLength", undefined, 10), expect: "BCB" },
  { rule: "max-length-loosened", ...bound("maxLength", 10, 20), expect: "CBB" },
  { rule: "minimum-tightened", ...bound("minimum", 0, 1, "number"), expect: "BCB" },
  { rule: "minimum-loosened", ...bound("minimum", 1, 0, "number"), expect: "CBB" },
  { rule: "maximum-tightened", ...bound("maximum", 100, 99, "number"), expect: "BCB" },
  { rule: "maximum-loosened", ...bound("maximum", 99, undefined, "number"), expect: "CBB" },
  { rule: "exclusive-minimum-tightened", ...bound("exclusiveMinimum", 0, 5, "number"), expect: "BCB" },
  { rule: "exclusive-minimum-loosened", ...bound("exclusiveMinimum", 5, 0, "number"), expect: "CBB" },
  { rule: "exclusive-maximum-tightened", ...bound("exclusiveMaximum", 10, 5, "number"), expect: "BCB" },
  { rule: "exclusive-maximum-loosened", ...bound("exclusiveMaximum", 5, 10, "number"), expect: "CBB" },
  { rule: "min-items-tightened", ...bound("minItems", 0, 1, "array"), expect: "BCB" },
  { rule: "min-items-loosened", ...bound("minItems", 1, 0, "array"), expect: "CBB" },
  { rule: "max-items-tightened", ...bound("maxItems", 5, 3, "array"), expect: "BCB" },
  { rule: "max-items-loosened", ...bound("maxItems", 3, 5, "array"), expect: "CBB" },
  { rule: "min-properties-tightened", ...bound("minProperties", undefined, 1, "object"), expect: "BCB" },
  { rule: "min-properties-loosened", ...bound("minProperties", 2, 1, "object"), expect: "CBB" },
  { rule: "max-properties-tightened", ...bound("maxProperties", 3, 2, "object"), expect: "BCB" },
  { rule: "max-properties-loosened", ...bound("maxProperties", 2, 3, "object"), expect: "CBB" },
];
