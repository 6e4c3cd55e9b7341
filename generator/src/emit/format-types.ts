/**
 * Prints type declarations directly in their final form: the exact text prettier makes of what
 * ts-morph prints for them (see `declarationStructure`), without building that text first and
 * parsing it again. Printing and formatting thousands of declarations is most of the cost of a
 * large catalog otherwise.
 *
 * It covers what catalogs are made of: interfaces, object types (prettier keeps them expanded, as
 * the TypeScript printer writes them), arrays, unions (in prettier's three layouts), an object or
 * reference `| null`, and keyword, literal and reference types. For anything whose prettier layout
 * it does not reproduce exactly — intersections, tuples, strings that need escaping, quoted keys
 * prettier might unquote, a line too long for a non-union type — it returns undefined, and that
 * declaration goes through ts-morph and prettier instead. test/format-types.test.ts compares both.
 */

import type { DocInfo, ObjectTypeNode, TypeNode } from "../model/type-ir.js";
import { PRINT_WIDTH } from "./render-piece.js";
import { formattedJsDoc } from "./jsdoc.js";

const INDENT = "  ";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** Printable ASCII without `"` and `\`: written between double quotes as is, by TypeScript and prettier alike. */
const PLAIN_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** `export interface Name { ... }`, as prettier formats the `Interface` structure. */
export function formatInterface(name: string, type: ObjectTypeNode, docs: DocInfo): string | undefined {
  const lines: string[] = [];
  const ok = pushDocs(lines, docs, "", "structure") && pushObject(lines, `export interface ${name} {`, type, "", "", "structure");
  return ok ? lines.join("\n") : undefined;
}

/** `export type Name = ...;`, as prettier formats the `TypeAlias` structure. */
export function formatTypeAlias(name: string, type: TypeNode, docs: DocInfo): string | undefined {
  const lines: string[] = [];
  const ok = pushDocs(lines, docs, "", "structure") && pushTyped(lines, `export type ${name} = `, type, "", "alias");
  return ok ? lines.join("\n") : undefined;
}

/**
 * `export type Name = A | B | ...;` for type expressions given as text (`keyof EventMap`, the
 * `WebhookEnvelope<"order.created", OrderCreated>` envelopes). Each must already be written the way
 * prettier writes it; none may contain a union or an object type.
 */
export function formatTextUnionAlias(name: string, members: readonly string[], docs: DocInfo): string | undefined {
  const lines: string[] = [];
  if (!pushDocs(lines, docs, "", "structure")) return undefined;
  const flats = members.map((text) => ({ text, atomic: false }));
  const prefix = `export type ${name} = `;
  const [only, ...others] = flats;
  const ok =
    only === undefined
      ? pushLone(lines, prefix, { text: "never", atomic: true }, "alias")
      : others.length === 0
        ? pushLone(lines, prefix, only, "alias")
        : pushUnion(lines, prefix, flats, "");
  return ok ? lines.join("\n") : undefined;
}

/** A type written on one line; `atomic` when prettier has no group inside it that it could break. */
interface Flat {
  readonly text: string;
  readonly atomic: boolean;
}

/** Where a type is written: after `=` of a type alias, or after `:` of a property or index signature. */
type Context = "alias" | "member";

function pushDocs(lines: string[], docs: DocInfo, indent: string, style: "structure" | "synthetic"): boolean {
  const doc = formattedJsDoc(docs, style);
  if (doc === undefined) return false;
  for (const line of doc) lines.push(indent + line);
  return true;
}

/**
 * An object type's members between `opening` (ending in `{`) and `}` + `closing` (`;`, `[];`, ` | null;`). Interface members
 * carry ts-morph's JSDoc; members of object type expressions the TypeScript printer's.
 */
function pushObject(
  lines: string[],
  opening: string,
  type: ObjectTypeNode,
  indent: string,
  closing: string,
  docStyle: "structure" | "synthetic",
): boolean {
  // An empty body prints as `{}`, not handled here.
  if (type.properties.length === 0 && type.indexType === undefined) return false;
  lines.push(opening);
  const inner = indent + INDENT;
  const pushIndex = () => type.indexType === undefined || pushTyped(lines, `${inner}[key: string]: `, type.indexType, inner, "member");
  // ts-morph prints an interface's index signature before its properties, the TypeScript printer after.
  if (docStyle === "structure" && !pushIndex()) return false;
  for (const property of type.properties) {
    const key = propertyKey(property.name);
    if (key === undefined || !pushDocs(lines, property.docs, inner, docStyle)) return false;
    if (!pushTyped(lines, `${inner}${key}${property.required ? "" : "?"}: `, property.type, inner, "member")) return false;
  }
  if (docStyle === "synthetic" && !pushIndex()) return false;
  lines.push(`${indent}}${closing}`);
  return true;
}

/** `prefix` + type + `;`, where `prefix` is the line so far (`  name?: `, `export type X = `). */
function pushTyped(lines: string[], prefix: string, type: TypeNode, indent: string, context: Context): boolean {
  // Object types stay expanded, also as array items: `{` on the prefix's line, `}[];` after the members.
  let arrays = 0;
  let base = type;
  while (base.kind === "array") {
    base = base.items;
    arrays++;
  }
  if (base.kind === "object") return pushObject(lines, `${prefix}{`, base, indent, `${"[]".repeat(arrays)};`, "synthetic");
  if (type.kind !== "union") {
    const flat = flatOf(type);
    return flat !== undefined && pushLone(lines, prefix, flat, context);
  }

  // prettier "hugs" a union of one object type or type reference with nulls: `X | null`, never broken around the `|`.
  const hugged = type.members.find((m) => m.kind === "object" || m.kind === "ref");
  if (hugged !== undefined && type.members.every((m) => m === hugged || (m.kind === "primitive" && m.name === "null"))) {
    const at = type.members.indexOf(hugged);
    const before = "null | ".repeat(at);
    const after = " | null".repeat(type.members.length - at - 1);
    if (hugged.kind === "object") return pushObject(lines, `${prefix}${before}{`, hugged, indent, `${after};`, "synthetic");
    return (
      IDENTIFIER.test(hugged.typeName) && pushLone(lines, prefix, { text: `${before}${hugged.typeName}${after}`, atomic: true }, context)
    );
  }
  const members = type.members.map(flatOf);
  if (members.some((m) => m === undefined)) return false;
  return pushUnion(lines, prefix, members as Flat[], indent);
}

/**
 * A type that is not a union, on one line. Too long for it, it stays there after a property key
 * when nothing in it can break; any other overflow (prettier breaking after `=`, or inside the
 * type) is left to prettier.
 */
function pushLone(lines: string[], prefix: string, flat: Flat, context: Context): boolean {
  const line = `${prefix}${flat.text};`;
  if (line.length > PRINT_WIDTH && (context === "alias" || !flat.atomic)) return false;
  lines.push(line);
  return true;
}

/**
 * A union, in the first of prettier's three layouts that fits the print width: on the prefix's
 * line; alone on the next line, indented; one `| member` per line. Members are written on one line
 * each; one too long for it is left to prettier unless nothing in it can break.
 */
function pushUnion(lines: string[], prefix: string, members: readonly Flat[], indent: string): boolean {
  const joined = members.map((m) => m.text).join(" | ");
  const sameLine = `${prefix}${joined};`;
  if (sameLine.length <= PRINT_WIDTH) {
    lines.push(sameLine);
    return true;
  }
  const inner = indent + INDENT;
  const nextLine = `${inner}${joined};`;
  if (nextLine.length <= PRINT_WIDTH) {
    lines.push(prefix.trimEnd(), nextLine);
    return true;
  }
  lines.push(prefix.trimEnd());
  const last = members.length - 1;
  for (const [i, member] of members.entries()) {
    const memberLine = `${inner}| ${member.text}${i === last ? ";" : ""}`;
    if (memberLine.length > PRINT_WIDTH && !member.atomic) return false;
    lines.push(memberLine);
  }
  return true;
}

/** The one-line form of a type, as the TypeScript printer writes it and prettier keeps it; undefined for object types and unsupported ones. */
function flatOf(type: TypeNode): Flat | undefined {
  switch (type.kind) {
    case "unknown":
    case "never":
      return { text: type.kind, atomic: true };
    case "primitive":
      return { text: type.name, atomic: true };
    case "literal": {
      const text = literalText(type.value);
      return text === undefined ? undefined : { text, atomic: true };
    }
    case "ref":
      return IDENTIFIER.test(type.typeName) ? { text: type.typeName, atomic: true } : undefined;
    case "array": {
      const items = flatOf(type.items);
      if (items === undefined) return undefined;
      // A union item is parenthesised, and prettier may break inside the parentheses.
      return type.items.kind === "union" ? { text: `(${items.text})[]`, atomic: false } : { text: `${items.text}[]`, atomic: items.atomic };
    }
    case "union": {
      const members = type.members.map((m) => (m.kind === "union" ? undefined : flatOf(m)));
      if (members.some((m) => m === undefined)) return undefined;
      return { text: (members as Flat[]).map((m) => m.text).join(" | "), atomic: false };
    }
    case "object":
    case "tuple":
    case "intersection":
      return undefined;
  }
}

function literalText(value: string | number | boolean | null): string | undefined {
  if (typeof value === "string") return PLAIN_STRING.test(value) ? `"${value}"` : undefined;
  if (typeof value === "number") {
    // print-type.ts writes a negative number as `-` and its absolute value; prettier rewrites exponents.
    const text = value < 0 ? `-${String(-value)}` : String(value);
    return text.includes("e") ? undefined : text;
  }
  return String(value);
}

/** Identifiers stay bare; other keys are quoted (prettier would unquote non-ASCII identifiers, so those are left to it). */
function propertyKey(name: string): string | undefined {
  if (IDENTIFIER.test(name)) return name;
  return name !== "" && PLAIN_STRING.test(name) ? `"${name}"` : undefined;
}
