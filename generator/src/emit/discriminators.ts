/**
 * The data that lets the runtime report a failed discriminated union by the branch the payload
 * chose (`@hookline/core` `issuesOf`): every `oneOf`/`anyOf` of the catalog whose branches are told
 * apart by a required `const` property, and where each compiled sub-validator's schema sits in the
 * catalog, so that the schema paths of its errors can be made absolute and traced to a branch.
 */

import type { Ajv2020 } from "ajv/dist/2020.js";
import type { SchemaObject } from "../schema/document.js";

/** One const-discriminated union, as `@hookline/core`'s `DiscriminatedUnion` reads it. */
export interface UnionData {
  /** Absolute schema path of the `oneOf`/`anyOf` keyword, e.g. `https://…/payment-method.json#/oneOf`. */
  readonly at: string;
  readonly property: string;
  /** Per branch, in order: its discriminator value and the schema path prefixes its errors carry. */
  readonly branches: ReadonlyArray<{ readonly value: unknown; readonly paths: readonly string[] }>;
}

/**
 * Where each compiled function's schema is, by function name (`validate66` →
 * `https://…/payment-method.json#/$defs/CardPaymentMethod`), for the validators of `ids` and every
 * function they call. Must run after ajv compiled them (standalone code is generated).
 */
export function functionBases(ajv: Ajv2020, ids: readonly string[]): Map<string, string> {
  const bases = new Map<string, string>();
  const seen = new Set<object>();
  const visit = (env: CompiledEnv, key: string): void => {
    if (seen.has(env)) return;
    seen.add(env);
    if (env.validateName !== undefined) bases.set(String(env.validateName), key.includes("#") ? key : `${key}#`);
    for (const [ref, child] of Object.entries(env.refs ?? {})) {
      if (isEnv(child)) visit(child, ref);
    }
  };
  for (const id of ids) {
    const env = (ajv.getSchema(id) as { schemaEnv?: unknown } | undefined)?.schemaEnv;
    if (isEnv(env)) visit(env, id);
  }
  return bases;
}

interface CompiledEnv {
  readonly validateName?: unknown;
  readonly refs?: Record<string, unknown>;
}

function isEnv(value: unknown): value is CompiledEnv {
  return typeof value === "object" && value !== null && "validateName" in value && "refs" in value;
}

/** Every const-discriminated `oneOf`/`anyOf` of `documents`, sorted by place. */
export function discriminatedUnions(documents: ReadonlyMap<string, SchemaObject>): UnionData[] {
  const unions: UnionData[] = [];
  for (const [id, document] of documents) {
    walk(document, "", (node, pointer) => {
      for (const keyword of ["oneOf", "anyOf"] as const) {
        const union = unionAt(documents, id, node, `${pointer}/${keyword}`, node[keyword]);
        if (union !== undefined) unions.push(union);
      }
    });
  }
  return unions.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/** Keywords whose values are data, not schemas: never walked. */
const DATA_KEYWORDS = new Set(["const", "enum", "examples", "default", "required", "x-hookline"]);

/** What a schema applies: not its data keywords, nor its `$defs` (reached through `$ref`s when used). */
const NOT_APPLIED = new Set([...DATA_KEYWORDS, "$defs", "definitions"]);

function walk(
  node: unknown,
  pointer: string,
  visit: (node: Record<string, unknown>, pointer: string) => void,
  skip: ReadonlySet<string> = DATA_KEYWORDS,
): void {
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) walk(item, `${pointer}/${i}`, visit, skip);
    return;
  }
  if (!isRecord(node)) return;
  visit(node, pointer);
  for (const [key, value] of Object.entries(node)) {
    if (!skip.has(key)) walk(value, `${pointer}/${segment(key)}`, visit, skip);
  }
}

function unionAt(
  documents: ReadonlyMap<string, SchemaObject>,
  id: string,
  parent: Record<string, unknown>,
  pointer: string,
  value: unknown,
): UnionData | undefined {
  if (!Array.isArray(value) || value.length < 2) return undefined;
  const at = `${id}#${pointer}`;
  const branches = value.map((branch, i) => resolveBranch(documents, id, branch, `${at}/${i}`));
  if (branches.some((b) => b === undefined)) return undefined;
  const resolved = branches as ResolvedBranch[];
  const parentRequired = stringList(parent["required"]);
  const first = resolved[0];
  if (first === undefined) return undefined;
  for (const property of Object.keys(first.properties)) {
    const values = resolved.map((b) => constOf(b.properties[property]));
    const required = resolved.every((b) => b.required.includes(property) || parentRequired.includes(property));
    const distinct = new Set(values.map((v) => JSON.stringify(v))).size === values.length;
    if (!required || !distinct || values.some((v) => v === NO_CONST)) continue;
    return { at, property, branches: withExclusiveTargets(documents, at, resolved).map((paths, i) => ({ value: values[i], paths })) };
  }
  return undefined;
}

/**
 * Each branch's paths plus the `$ref` targets only it reaches (transitively): a definition compiled
 * as a function of its own reports schema paths under its own place, not under the branch. A target
 * two branches reach, or one holding the union or another branch (recursion), says nothing about the
 * branch and is left out, so its errors are kept.
 */
function withExclusiveTargets(documents: ReadonlyMap<string, SchemaObject>, at: string, branches: readonly ResolvedBranch[]): string[][] {
  const reach = branches.map((b) => reachableTargets(documents, b.node, b.base));
  const count = new Map<string, number>();
  for (const targets of reach) for (const target of targets) count.set(target, (count.get(target) ?? 0) + 1);
  const holds = (target: string, path: string) => path === target || path.startsWith(`${target}/`);
  return branches.map((branch, i) => {
    const exclusive = [...(reach[i] ?? [])].filter(
      (target) =>
        count.get(target) === 1 &&
        !holds(target, at) &&
        !branch.paths.includes(target) &&
        branches.every((other, j) => j === i || !other.paths.some((path) => holds(target, path))),
    );
    return [...branch.paths, ...exclusive.sort()];
  });
}

/** The absolute places (`<document>#<pointer>`) of every `$ref` target reachable from `node`. */
function reachableTargets(documents: ReadonlyMap<string, SchemaObject>, node: unknown, base: string): Set<string> {
  const found = new Set<string>();
  const pending: Array<{ node: unknown; base: string }> = [{ node, base }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const from = next.base;
    walk(
      next.node,
      "",
      (schema) => {
        const ref = schema["$ref"];
        if (typeof ref !== "string") return;
        const target = new URL(ref, from);
        const written = target.hash.slice(1);
        target.hash = "";
        const document = documents.get(target.href);
        const place = `${target.href}#${written}`;
        if (document === undefined || found.has(place)) return;
        found.add(place);
        pending.push({ node: atPointer(document, decodeURIComponent(written)), base: target.href });
      },
      NOT_APPLIED,
    );
  }
  return found;
}

interface ResolvedBranch {
  /** The schema the branch's `$ref` chain ends at, and the document it is in. */
  readonly node: Record<string, unknown>;
  readonly base: string;
  readonly properties: Record<string, unknown>;
  readonly required: readonly string[];
  /** Schema path prefixes of the branch's errors: its place in the union, its `$ref` as written, the target. */
  readonly paths: readonly string[];
}

/** A branch, following its `$ref` chain (within the catalog) to the schema with the properties. */
function resolveBranch(
  documents: ReadonlyMap<string, SchemaObject>,
  id: string,
  branch: unknown,
  place: string,
): ResolvedBranch | undefined {
  const paths = [place];
  let node = branch;
  let base = id;
  for (let hops = 0; isRecord(node) && typeof node["$ref"] === "string" && hops < 10; hops++) {
    const ref = node["$ref"];
    const target = new URL(ref, base);
    const written = target.hash.slice(1);
    target.hash = "";
    const document = documents.get(target.href);
    if (document === undefined) return undefined;
    // A `$ref` as written is how ajv names an inlined target in schema paths (`#/…` ones are made absolute).
    paths.push(...(ref.startsWith("#") ? [] : [ref]), `${target.href}#${written}`);
    const fragment = decodeURIComponent(written);
    node = atPointer(document, fragment);
    base = target.href;
  }
  if (!isRecord(node) || !isRecord(node["properties"])) return undefined;
  return { node, base, properties: node["properties"], required: stringList(node["required"]), paths: [...new Set(paths)] };
}

const NO_CONST = Symbol("no const");

/** The one value a property schema allows (`const`, or a one-value `enum`). */
function constOf(schema: unknown): unknown {
  if (!isRecord(schema)) return NO_CONST;
  if ("const" in schema) return schema["const"];
  const values = schema["enum"];
  return Array.isArray(values) && values.length === 1 ? values[0] : NO_CONST;
}

function atPointer(document: unknown, pointer: string): unknown {
  if (pointer === "") return document;
  let node = document;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    node = isRecord(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}

/** A JSON pointer segment the way ajv writes it in schema paths (escaped, then URI-encoded). */
function segment(key: string): string {
  return encodeURIComponent(key.replaceAll("~", "~0").replaceAll("/", "~1"));
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
