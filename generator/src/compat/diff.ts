/**
 * `compareSchemas`: walks two JSON Schema 2020-12 documents side by side and classifies every
 * difference with a rule of `rules.ts`. Local `$ref`s (`#/...`) are followed inside their own
 * document; a `$ref` to another document is compared as a string. A keyword this walk does not
 * analyse yields `keyword-changed`, breaking in every mode, so nothing is silently compatible.
 */

import { compareCodeUnits } from "../schema/compare.js";
import { pointerGet, pointerJoin } from "../schema/json-pointer.js";
import { compareLogicKeywords, type KeywordWalk } from "./diff-logic.js";
import { BOUND_KEYWORDS, type ModeVerdicts, RULES, type RuleName } from "./rules.js";
import { canonical, isObject, keywordPointer, short, stringArray } from "./values.js";

export interface SchemaChange {
  readonly rule: RuleName;
  /** JSON pointer of the changed place: in the new schema, or in the old one for what the new one no longer has. */
  readonly pointer: string;
  readonly verdict: ModeVerdicts;
  readonly detail: string;
}

export interface CompareOptions {
  /** Leave `annotation-changed` entries out of the result. Default false. */
  readonly ignoreAnnotations?: boolean;
}

const ANNOTATIONS = new Set(["title", "description", "examples", "$comment", "default", "deprecated", "readOnly", "writeOnly", "$id"]);
/** Keywords the walk handles itself (beyond annotations and bounds). */
const HANDLED = new Set([
  "$ref",
  "$defs",
  "type",
  "enum",
  "const",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "prefixItems",
  "oneOf",
  "anyOf",
  "allOf",
  "pattern",
  "format",
  "uniqueItems",
  "multipleOf",
  "contains",
  "not",
  "if",
  "then",
  "else",
  "dependentRequired",
  "dependentSchemas",
]);

class Walk implements KeywordWalk {
  readonly changes: SchemaChange[] = [];
  private readonly seen = new Set<string>();
  constructor(
    readonly oldRoot: unknown,
    readonly newRoot: unknown,
  ) {}

  report(rule: RuleName, pointer: string, detail: string): void {
    this.changes.push({ rule, pointer, verdict: RULES[rule], detail });
  }

  compareApart(oldSchema: unknown, newSchema: unknown, oldPtr: string, newPtr: string): SchemaChange[] {
    const apart = new Walk(this.oldRoot, this.newRoot);
    apart.node(oldSchema, newSchema, oldPtr, newPtr);
    return apart.changes.filter((c) => c.rule !== "annotation-changed");
  }

  /** Follows local `$ref`s whose siblings are only annotations, so `{ $ref }` and its target compare alike. */
  private deref(root: unknown, schema: unknown, pointer: string): [unknown, string] {
    let current = schema;
    let at = pointer;
    for (let hops = 0; hops < 64; hops++) {
      if (!isObject(current) || typeof current.$ref !== "string" || !current.$ref.startsWith("#")) break;
      if (Object.keys(current).some((k) => k !== "$ref" && k !== "$defs" && !isAnnotation(k))) break;
      const target = decodeURIComponent(current.$ref.slice(1));
      const next = pointerGet(root, target);
      if (next === undefined) break;
      current = next;
      at = target;
    }
    return [current, at];
  }

  node(oldIn: unknown, newIn: unknown, oldPtrIn: string, newPtrIn: string): void {
    const [o, oldPtr] = this.deref(this.oldRoot, oldIn, oldPtrIn);
    const [n, newPtr] = this.deref(this.newRoot, newIn, newPtrIn);
    const key = `${oldPtr}\u0000${newPtr}`;
    if (this.seen.has(key)) return; // recursive schemas, and a shared definition reached twice
    this.seen.add(key);
    if (typeof o === "boolean" || typeof n === "boolean" || !isObject(o) || !isObject(n)) {
      if (canonical(o) !== canonical(n)) this.report("keyword-changed", newPtr, `schema changed from ${short(o)} to ${short(n)}`);
      return;
    }
    this.ref(o, n, newPtr);
    this.type(o.type, n.type, newPtr);
    this.enumeration(o, n, oldPtr, newPtr);
    this.object(o, n, oldPtr, newPtr);
    this.array(o, n, oldPtr, newPtr);
    for (const k of ["oneOf", "anyOf"] as const) this.branches(k, o[k], n[k], oldPtr, newPtr);
    this.allOf(o.allOf, n.allOf, oldPtr, newPtr);
    this.strings(o, n, oldPtr, newPtr);
    compareLogicKeywords(this, o, n, oldPtr, newPtr);
    this.rest(o, n, oldPtr, newPtr);
  }

  private ref(o: Record<string, unknown>, n: Record<string, unknown>, ptr: string): void {
    const local = (r: unknown) => typeof r === "string" && r.startsWith("#");
    // Equal local refs still point into two different documents, so their targets are compared.
    if (local(o.$ref) && local(n.$ref)) {
      const path = (r: unknown) => decodeURIComponent((r as string).slice(1));
      this.node(pointerGet(this.oldRoot, path(o.$ref)), pointerGet(this.newRoot, path(n.$ref)), path(o.$ref), path(n.$ref));
      return;
    }
    if (o.$ref === n.$ref) return;
    this.report("ref-target-changed", pointerJoin(ptr, "$ref"), `$ref changed from ${short(o.$ref)} to ${short(n.$ref)}`);
  }

  private type(oldType: unknown, newType: unknown, ptr: string): void {
    if (canonical(oldType) === canonical(newType)) return;
    const oldSet = typeSet(oldType);
    const newSet = typeSet(newType);
    const wider = covers(newSet, oldSet);
    const narrower = covers(oldSet, newSet);
    if (wider && narrower) return; // e.g. ["string"] and "string"
    const at = pointerJoin(ptr, "type");
    const detail = `type changed from ${short(oldType ?? "any")} to ${short(newType ?? "any")}`;
    const withoutNull = (s: Set<string> | undefined) => s && new Set([...s].filter((t) => t !== "null"));
    const onlyNull = canonical(sorted(withoutNull(oldSet))) === canonical(sorted(withoutNull(newSet)));
    if (wider) this.report(onlyNull ? "nullable-added" : "type-widened", at, detail);
    else if (narrower) this.report(onlyNull ? "nullable-removed" : "type-narrowed", at, detail);
    else this.report("type-changed", at, detail);
  }

  private enumeration(o: Record<string, unknown>, n: Record<string, unknown>, oldPtr: string, newPtr: string): void {
    if (canonical(o.const) !== canonical(n.const)) {
      if (o.const === undefined) this.report("const-added", pointerJoin(newPtr, "const"), `const ${short(n.const)} added`);
      else if (n.const === undefined) this.report("const-removed", pointerJoin(oldPtr, "const"), `const ${short(o.const)} removed`);
      else this.report("const-changed", pointerJoin(newPtr, "const"), `const changed from ${short(o.const)} to ${short(n.const)}`);
    }
    if (canonical(o.enum) === canonical(n.enum)) return;
    if (!Array.isArray(o.enum) || !Array.isArray(n.enum)) {
      if (Array.isArray(n.enum) && o.enum === undefined) this.report("enum-constraint-added", pointerJoin(newPtr, "enum"), "enum added");
      else if (Array.isArray(o.enum) && n.enum === undefined)
        this.report("enum-constraint-removed", pointerJoin(oldPtr, "enum"), "enum removed");
      else this.report("keyword-changed", pointerJoin(newPtr, "enum"), "enum changed");
      return;
    }
    const oldValues = new Set(o.enum.map(canonical));
    const newValues = new Set(n.enum.map(canonical));
    for (const v of newValues) if (!oldValues.has(v)) this.report("enum-value-added", pointerJoin(newPtr, "enum"), `enum value ${v} added`);
    for (const v of oldValues)
      if (!newValues.has(v)) this.report("enum-value-removed", pointerJoin(oldPtr, "enum"), `enum value ${v} removed`);
  }

  private object(o: Record<string, unknown>, n: Record<string, unknown>, oldPtr: string, newPtr: string): void {
    const oldProps = isObject(o.properties) ? o.properties : {};
    const newProps = isObject(n.properties) ? n.properties : {};
    const oldRequired = new Set(stringArray(o.required));
    const newRequired = new Set(stringArray(n.required));
    const added = Object.keys(newProps)
      .filter((k) => !Object.hasOwn(oldProps, k))
      .sort(compareCodeUnits);
    const removed = Object.keys(oldProps)
      .filter((k) => !Object.hasOwn(newProps, k))
      .sort(compareCodeUnits);
    const propPtr = (ptr: string, name: string) => pointerJoin(ptr, "properties", name);
    for (const name of Object.keys(newProps).sort(compareCodeUnits))
      if (Object.hasOwn(oldProps, name)) this.node(oldProps[name], newProps[name], propPtr(oldPtr, name), propPtr(newPtr, name));
    const [from, to] = [removed[0], added[0]];
    if (
      from !== undefined &&
      to !== undefined &&
      removed.length === 1 &&
      added.length === 1 &&
      canonical(oldProps[from]) === canonical(newProps[to])
    ) {
      this.report("property-renamed", propPtr(newPtr, to), `property "${from}" renamed to "${to}"`);
    } else {
      const oldContent = contentModel(o);
      for (const name of added) {
        const required = newRequired.has(name);
        const rule: RuleName =
          oldContent === "constrained"
            ? "property-added-to-constrained-object"
            : required
              ? oldContent === "closed"
                ? "property-added-required-to-closed-object"
                : "property-added-required"
              : oldContent === "closed"
                ? "property-added-optional-to-closed-object"
                : "property-added-optional";
        this.report(rule, propPtr(newPtr, name), `${required ? "required" : "optional"} property "${name}" added`);
      }
      for (const name of removed) {
        const content = contentModel(n);
        const rule: RuleName =
          content === "closed" ? "property-removed-from-closed-object" : content === "open" ? "property-removed" : "keyword-changed";
        this.report(rule, propPtr(oldPtr, name), `property "${name}" removed`);
      }
    }
    for (const name of [...newRequired].sort(compareCodeUnits))
      if (!oldRequired.has(name) && !added.includes(name))
        this.report("required-added", pointerJoin(newPtr, "required"), `"${name}" is now required`);
    for (const name of [...oldRequired].sort(compareCodeUnits))
      if (!newRequired.has(name)) this.report("required-removed", pointerJoin(oldPtr, "required"), `"${name}" is no longer required`);
    this.additionalProperties(o.additionalProperties, n.additionalProperties, oldPtr, newPtr);
  }

  private additionalProperties(oldAp: unknown, newAp: unknown, oldPtr: string, newPtr: string): void {
    const a = oldAp ?? true;
    const b = newAp ?? true;
    if (canonical(a) === canonical(b)) return;
    const at = pointerJoin(newAp === undefined ? oldPtr : newPtr, "additionalProperties");
    if (b === false) this.report("additional-properties-closed", at, "additionalProperties is now false");
    else if (a === false) this.report("additional-properties-opened", at, "additionalProperties is no longer false");
    else if (isObject(a) && isObject(b)) this.node(a, b, pointerJoin(oldPtr, "additionalProperties"), at);
    else this.report("keyword-changed", at, `additionalProperties changed from ${short(a)} to ${short(b)}`);
  }

  private array(o: Record<string, unknown>, n: Record<string, unknown>, oldPtr: string, newPtr: string): void {
    if (o.items === undefined && n.items !== undefined) this.report("items-constraint-added", pointerJoin(newPtr, "items"), "items added");
    else if (o.items !== undefined && n.items === undefined)
      this.report("items-constraint-removed", pointerJoin(oldPtr, "items"), "items removed");
    else if (o.items !== undefined) this.node(o.items, n.items, pointerJoin(oldPtr, "items"), pointerJoin(newPtr, "items"));
    this.byIndex("prefixItems", o.prefixItems, n.prefixItems, oldPtr, newPtr);
    if ((o.uniqueItems === true) !== (n.uniqueItems === true))
      this.report(
        n.uniqueItems === true ? "unique-items-added" : "unique-items-removed",
        keywordPointer(n, oldPtr, newPtr, "uniqueItems"),
        `uniqueItems is now ${n.uniqueItems === true}`,
      );
  }

  private allOf(oldAll: unknown, newAll: unknown, oldPtr: string, newPtr: string): void {
    this.byIndex("allOf", oldAll, newAll, oldPtr, newPtr);
  }

  /** Keywords whose subschemas line up by position; a change of length is not analysed. */
  private byIndex(keyword: string, a: unknown, b: unknown, oldPtr: string, newPtr: string): void {
    if (canonical(a) === canonical(b)) return;
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) {
      this.report("keyword-changed", pointerJoin(newPtr, keyword), `${keyword} changed in length or presence`);
      return;
    }
    for (const [i, item] of a.entries()) this.node(item, b[i], pointerJoin(oldPtr, keyword, i), pointerJoin(newPtr, keyword, i));
  }

  /** oneOf / anyOf: branches match by `$ref` or title when every branch has a distinct one, else by position. */
  private branches(keyword: "oneOf" | "anyOf", a: unknown, b: unknown, oldPtr: string, newPtr: string): void {
    if (canonical(a) === canonical(b)) return;
    if (!Array.isArray(a) || !Array.isArray(b)) {
      this.report("keyword-changed", pointerJoin(newPtr, keyword), `${keyword} added or removed`);
      return;
    }
    const prefix = keyword === "oneOf" ? "one-of" : "any-of";
    const oldKeys = branchKeys(a);
    const newKeys = branchKeys(b);
    const [ok, nk] = oldKeys && newKeys ? [oldKeys, newKeys] : [a.map((_, i) => `#${i}`), b.map((_, i) => `#${i}`)];
    nk.forEach((key, i) => {
      const j = ok.indexOf(key);
      if (j >= 0) this.node(a[j], b[i], pointerJoin(oldPtr, keyword, j), pointerJoin(newPtr, keyword, i));
      else this.report(`${prefix}-branch-added`, pointerJoin(newPtr, keyword, i), `${keyword} branch ${key} added`);
    });
    ok.forEach((key, j) => {
      if (!nk.includes(key)) this.report(`${prefix}-branch-removed`, pointerJoin(oldPtr, keyword, j), `${keyword} branch ${key} removed`);
    });
  }

  private strings(o: Record<string, unknown>, n: Record<string, unknown>, oldPtr: string, newPtr: string): void {
    for (const keyword of ["pattern", "format"] as const) {
      const a = o[keyword];
      const b = n[keyword];
      if (a === b) continue;
      const at = keywordPointer(n, oldPtr, newPtr, keyword);
      if (a === undefined) this.report(`${keyword}-added`, at, `${keyword} ${short(b)} added`);
      else if (b === undefined) this.report(`${keyword}-removed`, at, `${keyword} ${short(a)} removed`);
      else this.report(`${keyword}-changed`, at, `${keyword} changed from ${short(a)} to ${short(b)}`);
    }
    for (const [keyword, bound] of Object.entries(BOUND_KEYWORDS)) {
      const { side, rule } = bound;
      const absent = "absent" in bound ? bound.absent : undefined;
      const a = o[keyword] ?? absent;
      const b = n[keyword] ?? absent;
      if (a === b) continue;
      if ((a !== undefined && typeof a !== "number") || (b !== undefined && typeof b !== "number")) {
        this.report("keyword-changed", keywordPointer(n, oldPtr, newPtr, keyword), `${keyword} is not a number`);
        continue;
      }
      // Adding a bound tightens, removing one loosens; otherwise the direction depends on the side.
      const tightened = a === undefined || (b !== undefined && (side === "lower" ? b > a : b < a));
      this.report(
        `${rule}-${tightened ? "tightened" : "loosened"}`,
        keywordPointer(n, oldPtr, newPtr, keyword),
        `${keyword} changed from ${a ?? "none"} to ${b ?? "none"}`,
      );
    }
  }

  /** Every other keyword: annotations are harmless, anything else is not analysed. */
  private rest(o: Record<string, unknown>, n: Record<string, unknown>, oldPtr: string, newPtr: string): void {
    const keys = new Set([...Object.keys(o), ...Object.keys(n)]);
    for (const keyword of [...keys].sort(compareCodeUnits)) {
      if (HANDLED.has(keyword) || Object.hasOwn(BOUND_KEYWORDS, keyword)) continue;
      if (canonical(o[keyword]) === canonical(n[keyword])) continue;
      const at = keywordPointer(n, oldPtr, newPtr, keyword);
      if (isAnnotation(keyword)) this.report("annotation-changed", at, `${keyword} changed`);
      else
        this.report(
          "keyword-changed",
          at,
          `${keyword} changed from ${short(o[keyword])} to ${short(n[keyword])}; not analysed, so treated as breaking`,
        );
    }
  }
}

/**
 * Every difference between `oldSchema` and `newSchema` that this library classifies, sorted by
 * pointer, then rule, then detail. An empty list means the two accept the same instances as far as
 * the analysed keywords go.
 */
export function compareSchemas(oldSchema: unknown, newSchema: unknown, options: CompareOptions = {}): SchemaChange[] {
  const walk = new Walk(oldSchema, newSchema);
  walk.node(oldSchema, newSchema, "", "");
  const unique = new Map<string, SchemaChange>();
  for (const change of walk.changes) {
    if (options.ignoreAnnotations && change.rule === "annotation-changed") continue;
    unique.set(`${change.pointer}\u0000${change.rule}\u0000${change.detail}`, change);
  }
  return [...unique.values()].sort(
    (x, y) => compareCodeUnits(x.pointer, y.pointer) || compareCodeUnits(x.rule, y.rule) || compareCodeUnits(x.detail, y.detail),
  );
}

function isAnnotation(keyword: string): boolean {
  return ANNOTATIONS.has(keyword) || keyword.startsWith("x-");
}

/** The types a `type` keyword allows; `undefined` when it allows every type. */
function typeSet(type: unknown): Set<string> | undefined {
  if (typeof type === "string") return new Set([type]);
  if (Array.isArray(type)) return new Set(stringArray(type));
  return undefined;
}

function sorted(set: Set<string> | undefined): string[] | undefined {
  return set && [...set].sort(compareCodeUnits);
}

/** Whether every instance `inner` allows by type is allowed by `outer` ("integer" is a kind of "number"). */
function covers(outer: Set<string> | undefined, inner: Set<string> | undefined): boolean {
  if (outer === undefined) return true;
  if (inner === undefined) return false;
  return [...inner].every((t) => outer.has(t) || (t === "integer" && outer.has("number")));
}

/** Whether an object accepts properties it does not list: `open` (any value), `closed`, or `constrained` by a schema. */
function contentModel(schema: Record<string, unknown>): "open" | "closed" | "constrained" {
  if (schema.additionalProperties === false || schema.unevaluatedProperties === false) return "closed";
  const open = (v: unknown) => v === undefined || v === true || (isObject(v) && Object.keys(v).length === 0);
  return open(schema.additionalProperties) && open(schema.unevaluatedProperties) && schema.patternProperties === undefined
    ? "open"
    : "constrained";
}

function branchKeys(branches: unknown[]): string[] | undefined {
  const keys = branches.map((b) =>
    isObject(b) ? (typeof b.$ref === "string" ? b.$ref : typeof b.title === "string" ? `title:${b.title}` : undefined) : undefined,
  );
  if (keys.some((k) => k === undefined) || new Set(keys).size !== keys.length) return undefined;
  return keys as string[];
}
