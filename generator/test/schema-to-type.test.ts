/**
 * JSON Schema → TypeScript type text, one edge case per row (openapi-typescript's
 * schema-object tests). Goes through the model (schemaToType), the type nodes (toTypeNode) and the printer without
 * a catalog, so it also covers shapes the catalog checks reject today, like a `required` key that
 * `properties` does not list (ajv strictRequired).
 */

import { describe, expect, it } from "vitest";
import { toTypeNode } from "../src/emit/type-nodes.js";
import { type ConvertContext, schemaToType } from "../src/model/schema-to-type.js";
import { printNode } from "../src/write/render.js";

function typeText(schema: unknown): { text: string; issues: string[] } {
  const issues: string[] = [];
  const ctx: ConvertContext = {
    refType: (ref) => ({
      kind: "ref",
      typeName: ref
        .replace(/^.*[/#]/, "")
        .replace(/\.json$/, "")
        .replace(/^./, (c) => c.toUpperCase()),
    }),
    issue: (pointer, message) => issues.push(`${pointer}: ${message}`),
  };
  const text = printNode(toTypeNode(schemaToType(schema, "", ctx))).replace(/\s+/g, " ");
  return { text, issues };
}

describe("schemaToType + toTypeNode, printed", () => {
  it.each([
    { name: "true schema", schema: true, type: "unknown" },
    { name: "false schema", schema: false, type: "never" },
    { name: "empty schema", schema: {}, type: "unknown" },
    { name: "integer is number", schema: { type: "integer" }, type: "number" },
    { name: "type array with null", schema: { type: ["string", "null"] }, type: "string | null" },
    {
      name: "type array of object and null",
      schema: { type: ["object", "null"], additionalProperties: false, required: ["a"], properties: { a: { type: "string" } } },
      type: "{ a: string; } | null",
    },
    { name: "string const with quotes", schema: { const: 'say "hi"' }, type: '"say \\"hi\\""' },
    { name: "null const", schema: { const: null }, type: "null" },
    { name: "negative number enum", schema: { enum: [-1, 0, 2.5] }, type: "-1 | 0 | 2.5" },
    { name: "enum with duplicate values", schema: { enum: ["a", "a", "b"] }, type: '"a" | "b"' },
    { name: "const wins over type", schema: { type: "string", const: "x" }, type: '"x"' },
    { name: "nullable ref (anyOf)", schema: { anyOf: [{ $ref: "money.json" }, { type: "null" }] }, type: "Money | null" },
    { name: "nullable ref (oneOf, null first)", schema: { oneOf: [{ type: "null" }, { $ref: "money.json" }] }, type: "null | Money" },
    { name: "anyOf with an unconstrained branch is unknown", schema: { anyOf: [{ type: "string" }, {}] }, type: "unknown" },
    { name: "ref with a sibling description is just the ref", schema: { $ref: "#/$defs/node", description: "d" }, type: "Node" },
    {
      name: "allOf of a ref and an object",
      schema: { allOf: [{ $ref: "money.json" }, { type: "object", required: ["note"], properties: { note: { type: "string" } } }] },
      type: "Money & { note: string; [key: string]: unknown; }",
    },
    { name: "array without items", schema: { type: "array" }, type: "unknown[]" },
    {
      name: "array of a union is parenthesised",
      schema: { type: "array", items: { type: ["string", "number"] } },
      type: "(string | number)[]",
    },
    {
      name: "closed tuple",
      schema: { type: "array", prefixItems: [{ type: "string" }, { type: "number" }], items: false },
      type: "[string, number]",
    },
    {
      name: "tuple with a typed rest",
      schema: { type: "array", prefixItems: [{ type: "string" }], items: { type: "number" } },
      type: "[string, ...number[]]",
    },
    {
      name: "object keywords without type imply an object",
      schema: { properties: { a: { type: "string" } }, required: ["a"] },
      type: "{ a: string; [key: string]: unknown; }",
    },
    { name: "open object", schema: { type: "object" }, type: "{ [key: string]: unknown; }" },
    { name: "map of strings", schema: { type: "object", additionalProperties: { type: "string" } }, type: "{ [key: string]: string; }" },
    {
      name: "index signature admits listed and optional properties",
      schema: {
        type: "object",
        additionalProperties: { type: "number" },
        required: ["id"],
        properties: { id: { type: "string" }, note: { type: "boolean" } },
      },
      type: "{ id: string; note?: boolean; [key: string]: number | string | boolean | undefined; }",
    },
    {
      name: "patternProperties and additionalProperties values unite",
      schema: { type: "object", patternProperties: { "^x-": { type: "string" } }, additionalProperties: { type: "number" } },
      type: "{ [key: string]: string | number; }",
    },
    {
      name: "quoted property names",
      schema: {
        type: "object",
        additionalProperties: false,
        required: ["content-type", "2fa", "$ok", "_ok"],
        properties: { "content-type": { type: "string" }, "2fa": { type: "boolean" }, $ok: { type: "number" }, _ok: { type: "null" } },
      },
      type: '{ "content-type": string; "2fa": boolean; $ok: number; _ok: null; }',
    },
    {
      name: "required key absent from properties",
      schema: { type: "object", additionalProperties: false, required: ["a", "ghost"], properties: { a: { type: "string" } } },
      type: "{ a: string; ghost: unknown; }",
    },
    {
      name: "property docs become JSDoc, with */ escaped",
      schema: {
        type: "object",
        additionalProperties: false,
        properties: { a: { type: "string", description: "ends */ here", format: "uri", deprecated: true } },
      },
      type: "{ /** * ends *\\/ here * @format uri * @deprecated */ a?: string; }",
    },
  ])("$name", ({ schema, type }) => {
    expect(typeText(schema)).toEqual({ text: type, issues: [] });
  });

  it.each([
    {
      name: "object const",
      schema: { const: { a: 1 } },
      issue: "/const: is an object or array value, which cannot be written as a TypeScript literal type",
    },
    {
      name: "array in enum",
      schema: { enum: ["a", [1]] },
      issue: "/enum/1: is an object or array value, which cannot be written as a TypeScript literal type",
    },
  ])("reports $name and falls back to unknown", ({ schema, issue }) => {
    expect(typeText(schema)).toEqual({ text: "unknown", issues: [issue] });
  });
});
