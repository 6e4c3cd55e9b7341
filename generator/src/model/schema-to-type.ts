/**
 * JSON Schema (2020-12) → TypeNode.
 *
 * Constraint-only keywords (minimum, pattern, format, minItems, ...) do not change the type and are
 * left to the validators. Keywords that would change the type in ways TypeScript cannot express are
 * rejected earlier by the document checks, so every node built here is faithful.
 */

import { pointerJoin } from "../schema/json-pointer.js";
import { isObject } from "../schema/walk.js";
import { type DocInfo, type PropertyNode, type TypeNode, unknownType } from "./type-ir.js";

export interface ConvertContext {
  /** Type of a `$ref` found at `pointer`; reports unresolvable or unsupported references itself. */
  refType(ref: string, pointer: string): TypeNode;
  issue(pointer: string, message: string, fix: string): void;
}

export function schemaToType(schema: unknown, pointer: string, ctx: ConvertContext): TypeNode {
  if (schema === true) return unknownType;
  if (schema === false) return { kind: "never" };
  if (!isObject(schema)) return unknownType;

  const parts: TypeNode[] = [];
  if (typeof schema.$ref === "string") parts.push(ctx.refType(schema.$ref, pointerJoin(pointer, "$ref")));
  if ("const" in schema) {
    parts.push(literalType(schema.const, pointerJoin(pointer, "const"), ctx));
  } else if (Array.isArray(schema.enum)) {
    parts.push(unionOf(schema.enum.map((value, i) => literalType(value, pointerJoin(pointer, "enum", i), ctx))));
  } else {
    const shape = shapeFromTypeKeywords(schema, pointer, ctx);
    if (shape !== undefined) parts.push(shape);
  }
  for (const keyword of ["oneOf", "anyOf"] as const) {
    const branches = schema[keyword];
    if (Array.isArray(branches)) {
      parts.push(unionOf(branches.map((branch, i) => schemaToType(branch, pointerJoin(pointer, keyword, i), ctx))));
    }
  }
  if (Array.isArray(schema.allOf)) {
    parts.push(intersectionOf(schema.allOf.map((part, i) => schemaToType(part, pointerJoin(pointer, "allOf", i), ctx))));
  }
  return intersectionOf(parts);
}

export function docsOf(schema: unknown): DocInfo {
  if (!isObject(schema)) return {};
  return {
    description: typeof schema.description === "string" ? schema.description : undefined,
    format: typeof schema.format === "string" ? schema.format : undefined,
    deprecated: schema.deprecated === true ? true : undefined,
  };
}

function shapeFromTypeKeywords(schema: Record<string, unknown>, pointer: string, ctx: ConvertContext): TypeNode | undefined {
  const declared = schema.type;
  const types = declared === undefined ? impliedTypes(schema) : Array.isArray(declared) ? declared : [declared];
  if (types.length === 0) return undefined;
  return unionOf(
    types.map((type): TypeNode => {
      switch (type) {
        case "string":
        case "boolean":
        case "null":
          return { kind: "primitive", name: type };
        case "number":
        case "integer":
          return { kind: "primitive", name: "number" };
        case "object":
          return objectShape(schema, pointer, ctx);
        case "array":
          return arrayShape(schema, pointer, ctx);
        default:
          return unknownType;
      }
    }),
  );
}

/** Without `type`, object and array keywords still say what the value is. */
function impliedTypes(schema: Record<string, unknown>): string[] {
  if (["properties", "patternProperties", "additionalProperties"].some((k) => k in schema)) return ["object"];
  if (["items", "prefixItems"].some((k) => k in schema)) return ["array"];
  return [];
}

function objectShape(schema: Record<string, unknown>, pointer: string, ctx: ConvertContext): TypeNode {
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === "string") : []);
  const declared = isObject(schema.properties) ? schema.properties : {};
  const properties: PropertyNode[] = Object.entries(declared).map(([name, sub]) => ({
    name,
    required: required.has(name),
    type: schemaToType(sub, pointerJoin(pointer, "properties", name), ctx),
    docs: docsOf(sub),
  }));
  // `required` may name keys that `properties` does not describe: they must exist, with any value.
  for (const name of required) {
    if (!(name in declared)) properties.push({ name, required: true, type: unknownType, docs: {} });
  }

  const extra: TypeNode[] = [];
  if (isObject(schema.patternProperties)) {
    for (const [pattern, sub] of Object.entries(schema.patternProperties)) {
      extra.push(schemaToType(sub, pointerJoin(pointer, "patternProperties", pattern), ctx));
    }
  }
  const additional = schema.additionalProperties;
  if (additional !== false) extra.push(schemaToType(additional ?? true, pointerJoin(pointer, "additionalProperties"), ctx));
  let indexType = extra.length === 0 ? undefined : unionOf(extra);
  // `{}` would accept any non-null value; a closed object without properties admits no keys at all.
  if (indexType === undefined && properties.length === 0) indexType = { kind: "never" };
  // An index signature must admit every listed property's type, or TypeScript rejects the interface.
  if (indexType !== undefined && indexType.kind !== "unknown" && properties.length > 0) {
    const optional = properties.some((p) => !p.required);
    indexType = unionOf([indexType, ...properties.map((p) => p.type), ...(optional ? [undefinedType] : [])]);
  }
  return { kind: "object", properties, indexType };
}

/** `undefined` only ever appears in index signatures that sit beside optional properties. */
const undefinedType: TypeNode = { kind: "primitive", name: "undefined" };

function arrayShape(schema: Record<string, unknown>, pointer: string, ctx: ConvertContext): TypeNode {
  const items = schema.items;
  if (Array.isArray(schema.prefixItems)) {
    const prefix = schema.prefixItems.map((sub, i) => schemaToType(sub, pointerJoin(pointer, "prefixItems", i), ctx));
    const rest = items === false ? undefined : schemaToType(items ?? true, pointerJoin(pointer, "items"), ctx);
    return { kind: "tuple", items: prefix, rest };
  }
  return { kind: "array", items: schemaToType(items ?? true, pointerJoin(pointer, "items"), ctx) };
}

function literalType(value: unknown, pointer: string, ctx: ConvertContext): TypeNode {
  if (value === null || typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value))) {
    return { kind: "literal", value };
  }
  ctx.issue(
    pointer,
    "is an object or array value, which cannot be written as a TypeScript literal type",
    "use string, number, boolean or null values in const/enum, or describe the shape with properties",
  );
  return unknownType;
}

export function unionOf(members: readonly TypeNode[]): TypeNode {
  const flat: TypeNode[] = [];
  const all = members.flatMap((m) => (m.kind === "union" ? m.members : [m]));
  // Serialising members to find duplicates is only needed when there are several.
  const seen = all.length > 1 ? new Set<string>() : undefined;
  for (const member of all) {
    if (member.kind === "unknown") return unknownType;
    if (member.kind === "never") continue;
    if (seen !== undefined) {
      const key = JSON.stringify(member);
      if (seen.has(key)) continue;
      seen.add(key);
    }
    flat.push(member);
  }
  if (flat.length === 0) return { kind: "never" };
  return flat.length === 1 ? (flat[0] as TypeNode) : { kind: "union", members: flat };
}

export function intersectionOf(members: readonly TypeNode[]): TypeNode {
  const flat: TypeNode[] = [];
  const all = members.flatMap((m) => (m.kind === "intersection" ? m.members : [m]));
  // Serialising members to find duplicates is only needed when there are several.
  const seen = all.length > 1 ? new Set<string>() : undefined;
  for (const member of all) {
    if (member.kind === "never") return member;
    if (member.kind === "unknown") continue;
    if (seen !== undefined) {
      const key = JSON.stringify(member);
      if (seen.has(key)) continue;
      seen.add(key);
    }
    flat.push(member);
  }
  if (flat.length === 0) return unknownType;
  return flat.length === 1 ? (flat[0] as TypeNode) : { kind: "intersection", members: flat };
}
