/**
 * The keywords of `compareSchemas` that constrain by arithmetic, containment or logic: `multipleOf`,
 * `contains`, `not`, `if`/`then`/`else`, `dependentRequired` and `dependentSchemas`. Each reports a
 * rule of `rules.ts`; the subschemas of `not` and `if` are compared apart from the main walk, because
 * their effect on the instances the parent accepts is inverted (`not`) or undecidable (`if`).
 */

import { compareCodeUnits } from "../schema/compare.js";
import { pointerJoin } from "../schema/json-pointer.js";
import type { RuleName } from "./rules.js";
import { canonical, isObject, keywordPointer, short, stringArray } from "./values.js";

/** What these keyword handlers need from the walk in `diff.ts`. */
export interface KeywordWalk {
  report(rule: RuleName, pointer: string, detail: string): void;
  node(oldSchema: unknown, newSchema: unknown, oldPtr: string, newPtr: string): void;
  /** The non-annotation changes between two subschemas, walked apart from (and not added to) this walk. */
  compareApart(oldSchema: unknown, newSchema: unknown, oldPtr: string, newPtr: string): ReadonlyArray<{ verdict: ModeLike }>;
}

interface ModeLike {
  readonly backward: string;
  readonly forward: string;
}

type Schema = Record<string, unknown>;

export function compareLogicKeywords(walk: KeywordWalk, o: Schema, n: Schema, oldPtr: string, newPtr: string): void {
  multipleOf(walk, o, n, oldPtr, newPtr);
  contains(walk, o, n, oldPtr, newPtr);
  not(walk, o, n, oldPtr, newPtr);
  conditional(walk, o, n, oldPtr, newPtr);
  dependentRequired(walk, o, n, oldPtr, newPtr);
  dependentSchemas(walk, o, n, oldPtr, newPtr);
}

function multipleOf(walk: KeywordWalk, o: Schema, n: Schema, oldPtr: string, newPtr: string): void {
  const a = o.multipleOf;
  const b = n.multipleOf;
  if (a === b) return;
  const at = keywordPointer(n, oldPtr, newPtr, "multipleOf");
  const detail = `multipleOf changed from ${a ?? "none"} to ${b ?? "none"}`;
  if ((a !== undefined && typeof a !== "number") || (b !== undefined && typeof b !== "number"))
    walk.report("keyword-changed", at, "multipleOf is not a number");
  else if (a === undefined) walk.report("multiple-of-added", at, detail);
  else if (b === undefined) walk.report("multiple-of-removed", at, detail);
  else if (Number.isInteger(b / a)) walk.report("multiple-of-tightened", at, detail);
  else if (Number.isInteger(a / b)) walk.report("multiple-of-loosened", at, detail);
  else walk.report("multiple-of-changed", at, detail);
}

function contains(walk: KeywordWalk, o: Schema, n: Schema, oldPtr: string, newPtr: string): void {
  if (canonical(o.contains) === canonical(n.contains)) return;
  if (o.contains === undefined) walk.report("contains-added", pointerJoin(newPtr, "contains"), `contains ${short(n.contains)} added`);
  else if (n.contains === undefined)
    walk.report("contains-removed", pointerJoin(oldPtr, "contains"), `contains ${short(o.contains)} removed`);
  else if (o.maxContains !== undefined || n.maxContains !== undefined) {
    // With an upper bound, more matching items can break an array as easily as fewer: not analysed.
    if (walk.compareApart(o.contains, n.contains, pointerJoin(oldPtr, "contains"), pointerJoin(newPtr, "contains")).length > 0)
      walk.report(
        "keyword-changed",
        pointerJoin(newPtr, "contains"),
        "contains changed under maxContains; not analysed, so treated as breaking",
      );
  }
  // A wider `contains` lets more arrays have their match: the verdicts of its subschema carry over.
  else walk.node(o.contains, n.contains, pointerJoin(oldPtr, "contains"), pointerJoin(newPtr, "contains"));
}

function not(walk: KeywordWalk, o: Schema, n: Schema, oldPtr: string, newPtr: string): void {
  if (o.not === undefined && n.not === undefined) return;
  if (o.not === undefined) {
    walk.report("not-added", pointerJoin(newPtr, "not"), `not ${short(n.not)} added`);
    return;
  }
  if (n.not === undefined) {
    walk.report("not-removed", pointerJoin(oldPtr, "not"), `not ${short(o.not)} removed`);
    return;
  }
  const inner = walk.compareApart(o.not, n.not, pointerJoin(oldPtr, "not"), pointerJoin(newPtr, "not"));
  if (inner.length === 0) return;
  const widened = inner.every((c) => c.verdict.backward === "compatible");
  const narrowed = inner.every((c) => c.verdict.forward === "compatible");
  const at = pointerJoin(newPtr, "not");
  if (widened && !narrowed) walk.report("not-schema-widened", at, "the schema under not accepts more, so fewer instances pass");
  else if (narrowed && !widened) walk.report("not-schema-narrowed", at, "the schema under not accepts less, so more instances pass");
  else if (!widened && !narrowed) walk.report("not-schema-changed", at, "the schema under not changed in both directions");
}

function conditional(walk: KeywordWalk, o: Schema, n: Schema, oldPtr: string, newPtr: string): void {
  if (o.if === undefined && n.if === undefined) return; // then/else without if have no effect
  if (o.if === undefined) {
    walk.report("conditional-added", pointerJoin(newPtr, "if"), `if ${short(n.if)} added`);
    return;
  }
  if (n.if === undefined) {
    walk.report("conditional-removed", pointerJoin(oldPtr, "if"), `if ${short(o.if)} removed`);
    return;
  }
  if (walk.compareApart(o.if, n.if, pointerJoin(oldPtr, "if"), pointerJoin(newPtr, "if")).length > 0) {
    walk.report("if-condition-changed", pointerJoin(newPtr, "if"), `if changed from ${short(o.if)} to ${short(n.if)}`);
    return;
  }
  for (const branch of ["then", "else"] as const) {
    const a = o[branch];
    const b = n[branch];
    if (a === undefined && b === undefined) continue;
    if (a === undefined) walk.report("conditional-branch-added", pointerJoin(newPtr, branch), `${branch} ${short(b)} added`);
    else if (b === undefined) walk.report("conditional-branch-removed", pointerJoin(oldPtr, branch), `${branch} ${short(a)} removed`);
    else walk.node(a, b, pointerJoin(oldPtr, branch), pointerJoin(newPtr, branch));
  }
}

function dependentRequired(walk: KeywordWalk, o: Schema, n: Schema, oldPtr: string, newPtr: string): void {
  const a = o.dependentRequired ?? {};
  const b = n.dependentRequired ?? {};
  if (canonical(a) === canonical(b)) return;
  if (!isObject(a) || !isObject(b)) {
    walk.report("keyword-changed", keywordPointer(n, oldPtr, newPtr, "dependentRequired"), "dependentRequired is not an object");
    return;
  }
  const pairs = (map: Schema) => new Set(Object.entries(map).flatMap(([name, deps]) => stringArray(deps).map((d) => `${name}\u0000${d}`)));
  const before = pairs(a);
  const after = pairs(b);
  for (const pair of [...after].sort(compareCodeUnits)) {
    if (before.has(pair)) continue;
    const [name = "", dep = ""] = pair.split("\u0000");
    walk.report(
      "dependent-required-added",
      pointerJoin(newPtr, "dependentRequired", name),
      `"${dep}" is now required when "${name}" is present`,
    );
  }
  for (const pair of [...before].sort(compareCodeUnits)) {
    if (after.has(pair)) continue;
    const [name = "", dep = ""] = pair.split("\u0000");
    walk.report(
      "dependent-required-removed",
      pointerJoin(oldPtr, "dependentRequired", name),
      `"${dep}" is no longer required when "${name}" is present`,
    );
  }
}

function dependentSchemas(walk: KeywordWalk, o: Schema, n: Schema, oldPtr: string, newPtr: string): void {
  const a = o.dependentSchemas ?? {};
  const b = n.dependentSchemas ?? {};
  if (canonical(a) === canonical(b)) return;
  if (!isObject(a) || !isObject(b)) {
    walk.report("keyword-changed", keywordPointer(n, oldPtr, newPtr, "dependentSchemas"), "dependentSchemas is not an object");
    return;
  }
  for (const name of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compareCodeUnits)) {
    const oldAt = pointerJoin(oldPtr, "dependentSchemas", name);
    const newAt = pointerJoin(newPtr, "dependentSchemas", name);
    if (!Object.hasOwn(a, name)) walk.report("dependent-schema-added", newAt, `a schema now applies when "${name}" is present`);
    else if (!Object.hasOwn(b, name))
      walk.report("dependent-schema-removed", oldAt, `no schema applies any more when "${name}" is present`);
    else walk.node(a[name], b[name], oldAt, newAt);
  }
}
