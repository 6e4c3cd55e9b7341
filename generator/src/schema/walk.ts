/** Where a JSON Schema document holds subschemas, and a visit of every one with its JSON pointer. */

import { pointerJoin } from "./json-pointer.js";

type Visit = (schema: Record<string, unknown>, pointer: string) => void;

const SINGLE = [
  "additionalProperties",
  "items",
  "contains",
  "propertyNames",
  "not",
  "if",
  "then",
  "else",
  "unevaluatedItems",
  "unevaluatedProperties",
];
const MAPS = ["properties", "patternProperties", "$defs", "dependentSchemas"];
const LISTS = ["prefixItems", "allOf", "anyOf", "oneOf"];

const PLACEMENTS = new Map<string, "single" | "map" | "list">([
  ...SINGLE.map((key) => [key, "single"] as const),
  ...MAPS.map((key) => [key, "map"] as const),
  ...LISTS.map((key) => [key, "list"] as const),
]);

/** Where a keyword holds subschemas: its value (`single`), its values (`map`), its items (`list`); undefined when it holds none. */
export function schemaPlacement(keyword: string): "single" | "map" | "list" | undefined {
  return PLACEMENTS.get(keyword);
}

export function walkSchema(schema: unknown, pointer: string, visit: Visit): void {
  if (!isObject(schema)) return;
  visit(schema, pointer);
  for (const key of SINGLE) walkSchema(schema[key], pointerJoin(pointer, key), visit);
  for (const key of MAPS) {
    const map = schema[key];
    if (isObject(map)) for (const [name, sub] of Object.entries(map)) walkSchema(sub, pointerJoin(pointer, key, name), visit);
  }
  for (const key of LISTS) {
    const list = schema[key];
    if (Array.isArray(list)) {
      list.forEach((sub, i) => {
        walkSchema(sub, pointerJoin(pointer, key, i), visit);
      });
    }
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
