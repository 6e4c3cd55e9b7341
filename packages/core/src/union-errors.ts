/**
 * Errors of a failed discriminated union, reduced to the branch the payload chose. ajv reports a
 * failed `oneOf` with the errors of every branch (`/method/iban is required` next to `/method/last4
 * must match pattern`), which contradict each other. With the generator's map of the catalog's
 * const-discriminated unions, an error is kept only when it comes from the branch the value's
 * discriminator selects; when the discriminator is missing or matches no branch, one error at the
 * discriminator names the allowed values instead. Runs only on failure.
 */

import type { DiscriminatedUnion, ValidatorDiscriminators, ValidatorError } from "./catalog.js";

/** An issue made here, in the shape `issuesFromErrors` reports. */
export interface UnionIssue {
  readonly path: string;
  readonly keyword: string;
  readonly message: string;
}

/** One failed union at one place in the payload, and the branch the payload's discriminator picks. */
interface Invocation {
  readonly union: DiscriminatedUnion;
  readonly error: ValidatorError;
  readonly pointer: string;
  /** Branch index, or why none: the value is no object (left alone), has no discriminator, or an unknown one. */
  readonly selected: number | "not-object" | "missing" | "no-match";
}

/**
 * The errors to report (in their order) and the issues that replace the branch errors of unions
 * whose discriminator is missing or unknown. Without unions among the errors, `errors` as given.
 */
export function reduceUnionErrors(
  errors: readonly ValidatorError[],
  data: unknown,
  discriminators: ValidatorDiscriminators,
): { readonly errors: readonly ValidatorError[]; readonly issues: readonly UnionIssue[] } {
  const absolutePaths = new Map(
    errors.map((e) => [e, e.schemaPath.startsWith("#") ? discriminators.id + e.schemaPath : e.schemaPath] as const),
  );
  const absolute = (error: ValidatorError) => absolutePaths.get(error) ?? error.schemaPath;
  const unionsAt = new Map(discriminators.unions.map((union) => [union.at, union]));
  const invocations = new Map<ValidatorError, Invocation>();
  for (const error of errors) {
    const union = unionsAt.get(absolute(error));
    if (union === undefined || (error.keyword !== "oneOf" && error.keyword !== "anyOf")) continue;
    invocations.set(error, { union, error, pointer: error.instancePath, selected: select(union, valueAt(data, error.instancePath)) });
  }
  if (invocations.size === 0) return { errors, issues: [] };

  // For every error, the (union place, branch) pairs it belongs to: the deepest failed invocation of
  // each union whose branch paths hold its schema path and whose place holds its instance path.
  const memberships = new Map<ValidatorError, Array<{ readonly invocation: Invocation; readonly branch: number }>>();
  for (const error of errors) {
    const path = absolute(error);
    const found: Array<{ invocation: Invocation; branch: number }> = [];
    for (const union of discriminators.unions) {
      const branch = union.branches.findIndex((b) => b.paths.some((prefix) => under(path, prefix)));
      if (branch === -1) continue;
      let deepest: Invocation | undefined;
      for (const invocation of invocations.values()) {
        if (invocation.union !== union || !within(error.instancePath, invocation.pointer)) continue;
        if (deepest === undefined || invocation.pointer.length > deepest.pointer.length) deepest = invocation;
      }
      if (deepest !== undefined) found.push({ invocation: deepest, branch });
    }
    if (found.length > 0) memberships.set(error, found);
  }
  const outsideChoice = (error: ValidatorError) =>
    (memberships.get(error) ?? []).some(({ invocation, branch }) => invocation.selected !== "not-object" && invocation.selected !== branch);
  // A union error goes when its chosen branch explains the failure, or when an issue replaces it.
  const replaced = new Set<ValidatorError>();
  const issues: UnionIssue[] = [];
  for (const invocation of invocations.values()) {
    const { selected, union, error } = invocation;
    if (selected === "not-object" || outsideChoice(error)) continue;
    if (typeof selected === "number") {
      const explained = errors.some(
        (e) => !outsideChoice(e) && (memberships.get(e) ?? []).some((m) => m.invocation === invocation && m.branch === selected),
      );
      if (explained) replaced.add(error);
      continue;
    }
    replaced.add(error);
    const path = `${invocation.pointer}/${escapeSegment(union.property)}`;
    const allowed = `must be one of ${listValues(union.branches.map((b) => b.value))}`;
    issues.push(
      selected === "missing"
        ? { path, keyword: "required", message: `is required: ${allowed}` }
        : { path, keyword: error.keyword, message: allowed },
    );
  }
  return { errors: errors.filter((e) => !replaced.has(e) && !outsideChoice(e)), issues };
}

function select(union: DiscriminatedUnion, value: unknown): Invocation["selected"] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "not-object";
  if (!Object.hasOwn(value, union.property)) return "missing";
  const tag = JSON.stringify((value as Record<string, unknown>)[union.property]);
  const index = union.branches.findIndex((b) => JSON.stringify(b.value) === tag);
  return index === -1 ? "no-match" : index;
}

/** The value at a JSON pointer of the payload (undefined when there is none). */
function valueAt(data: unknown, pointer: string): unknown {
  let node = data;
  for (const raw of pointer === "" ? [] : pointer.split("/").slice(1)) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function within(pointer: string, place: string): boolean {
  return under(pointer, place);
}

/** `path` is `prefix` or below it (segment-wise: `/a/1` is not below `/a/10`). */
function under(path: string, prefix: string): boolean {
  return path.startsWith(prefix) && (path.length === prefix.length || path.charCodeAt(prefix.length) === 47);
}

function escapeSegment(property: string): string {
  return property.replaceAll("~", "~0").replaceAll("/", "~1");
}

/** `"a" | "b" | "c"`: the first 20 values as JSON, then how many more. */
export function listValues(values: readonly unknown[]): string {
  const shown = values.slice(0, 20).map((value) => {
    const json = JSON.stringify(value) ?? String(value);
    return json.length > 100 ? `${json.slice(0, 100)}…` : json;
  });
  return values.length > 20 ? `${shown.join(" | ")} | … (${values.length - 20} more)` : shown.join(" | ");
}
