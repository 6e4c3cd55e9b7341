import type { CompiledValidator, EventCatalog, EventMapBase, EventTypeOf, ValidatorDiscriminators, ValidatorError } from "./catalog.js";
import { listValues, reduceUnionErrors } from "./union-errors.js";
import { versionValidator } from "./versions.js";

/** One schema violation in a payload. */
export interface ValidationIssue {
  /** JSON pointer to the offending value (`""` is the payload itself). For a missing or extra
   * property it points at that property, e.g. `/customer/email`, not at the parent object. */
  readonly path: string;
  readonly message: string;
  /** The JSON Schema keyword that failed (`required`, `minimum`, `format`…). */
  readonly keyword: string;
}

/** A payload does not match its event type's schema. `issues` lists every violation. */
export class PayloadValidationError extends Error {
  override readonly name = "PayloadValidationError";
  readonly code = "invalid_payload";
  readonly eventType: string;
  readonly issues: readonly ValidationIssue[];
  /** The version validated against, when it was chosen explicitly (sent or received); otherwise the newest. */
  readonly version: number | undefined;

  constructor(eventType: string, issues: readonly ValidationIssue[], version?: number) {
    const list = issues.map(formatIssue).join("; ");
    const which = version === undefined ? "" : ` version ${version}`;
    super(`Invalid payload for ${JSON.stringify(clip(eventType))}${which}: ${list || "the validator rejected it without details"}`);
    this.eventType = eventType;
    this.issues = issues;
    this.version = version;
  }
}

/** An event type the catalog does not know, or one this receiver did not subscribe to. */
export class UnknownEventTypeError extends Error {
  override readonly name = "UnknownEventTypeError";
  readonly code = "unknown_event_type";
  readonly eventType: string;
  /** `unknown`: not in the catalog the SDK was generated from; `unsubscribed`: in the catalog but
   * not in the receiver's `events` option. */
  readonly reason: "unknown" | "unsubscribed";
  /** The closest known type, when one is close enough to be a likely typo. */
  readonly suggestion: string | undefined;

  constructor(eventType: string, knownTypes: readonly string[], reason: "unknown" | "unsubscribed" = "unknown") {
    const suggestion = closest(eventType, knownTypes);
    const quoted = JSON.stringify(clip(eventType));
    const hint = suggestion === undefined ? "" : ` Did you mean ${JSON.stringify(suggestion)}?`;
    const fix =
      reason === "unknown"
        ? " If it was added to the catalog recently, regenerate the SDK (hookline generate); otherwise check the spelling."
        : ` Add it to the receiver's "events" option to accept it.`;
    const what = reason === "unknown" ? "Unknown event type" : "Unsubscribed event type";
    super(`${what} ${quoted}.${hint}${fix} Known types: ${listTypes(knownTypes)}.`);
    this.eventType = eventType;
    this.reason = reason;
    this.suggestion = suggestion;
  }
}

/**
 * Validates `payload` against the catalog schema of `type` (its newest carried version, or
 * `version`) and returns it typed. For another version than the newest, the result is that
 * version's payload, whatever the static type says: narrow on the version you passed.
 * @throws UnknownEventTypeError when the catalog has no such type.
 * @throws UnknownEventVersionError when `version` is given and the catalog does not carry it.
 * @throws PayloadValidationError listing every violation.
 */
export function validatePayload<M extends EventMapBase, K extends EventTypeOf<M>>(
  catalog: EventCatalog<M>,
  type: K,
  payload: unknown,
  version?: number,
): M[K] {
  const newest = validatorFor(catalog, type);
  const validate = version === undefined ? newest : versionValidator(catalog, type, version);
  if (!validate(payload)) throw new PayloadValidationError(type, issuesOf(validate, payload), version);
  // The catalog validator is the runtime proof of M[K]; this is the one place that trusts it.
  return payload as M[K];
}

/** Whether `type` is an event type of the catalog (own keys only: `"constructor"` is not a type). */
export function isKnownEventType<M extends EventMapBase>(catalog: EventCatalog<M>, type: string): type is EventTypeOf<M> {
  return Object.hasOwn(catalog.validators, type) && Object.hasOwn(catalog.eventTypes, type);
}

/** The catalog's event types, sorted. */
export function knownEventTypes<M extends EventMapBase>(catalog: EventCatalog<M>): EventTypeOf<M>[] {
  return Object.keys(catalog.eventTypes)
    .filter((t) => isKnownEventType(catalog, t))
    .sort();
}

function validatorFor<M extends EventMapBase>(catalog: EventCatalog<M>, type: string): CompiledValidator {
  const validate = isKnownEventType(catalog, type) ? catalog.validators[type] : undefined;
  if (validate === undefined) throw new UnknownEventTypeError(type, knownEventTypes(catalog));
  return validate;
}

/** The issues of the payload `validate` just rejected (its `errors`, unions reduced with its `discriminators`). */
export function issuesOf(validate: CompiledValidator, data: unknown): ValidationIssue[] {
  return issuesFromErrors(validate.errors, { data, discriminators: validate.discriminators });
}

/**
 * Converts ajv errors to issues: missing and extra properties point at the property itself,
 * duplicates are dropped, and the order is by path (numeric segments numerically), then keyword,
 * then message, so messages do not depend on schema key order. With `context` (the validated data
 * and the validator's `discriminators`), a failed discriminated union reports only the branch its
 * discriminator selects, or one issue at the discriminator naming the allowed values.
 */
export function issuesFromErrors(
  errors: readonly ValidatorError[] | null | undefined,
  context?: { readonly data: unknown; readonly discriminators?: ValidatorDiscriminators | undefined },
): ValidationIssue[] {
  const seen = new Set<string>();
  const issues: ValidationIssue[] = [];
  const reduced =
    context?.discriminators === undefined || errors == null
      ? { errors: errors ?? [], issues: [] }
      : reduceUnionErrors(errors, context.data, context.discriminators);
  for (const issue of [...reduced.errors.map(toIssue), ...reduced.issues]) {
    const key = `${issue.path}\u0000${issue.keyword}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues.sort(compareIssues);
}

function toIssue(error: ValidatorError): ValidationIssue {
  const { instancePath: path, keyword, params } = error;
  const missing = stringParam(params, "missingProperty");
  if ((keyword === "required" || keyword === "dependentRequired") && missing !== undefined) {
    return { path: childPointer(path, missing), keyword, message: "is required" };
  }
  const extra = stringParam(params, "additionalProperty") ?? stringParam(params, "unevaluatedProperty");
  if ((keyword === "additionalProperties" || keyword === "unevaluatedProperties") && extra !== undefined) {
    return { path: childPointer(path, extra), keyword, message: "is not allowed (additional property)" };
  }
  const allowed = params["allowedValues"];
  if (keyword === "enum" && Array.isArray(allowed)) return { path, keyword, message: `must be one of ${listValues(allowed)}` };
  if (keyword === "const" && Object.hasOwn(params, "allowedValue")) {
    return { path, keyword, message: `must be ${listValues([params["allowedValue"]])}` };
  }
  return { path, keyword, message: error.message ?? `must pass the "${keyword}" keyword` };
}

function stringParam(params: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = params[name];
  return typeof value === "string" ? value : undefined;
}

function childPointer(parent: string, property: string): string {
  return `${parent}/${property.replaceAll("~", "~0").replaceAll("/", "~1")}`;
}

function compareIssues(a: ValidationIssue, b: ValidationIssue): number {
  return comparePointers(a.path, b.path) || compareStrings(a.keyword, b.keyword) || compareStrings(a.message, b.message);
}

function comparePointers(a: string, b: string): number {
  const left = a.split("/");
  const right = b.split("/");
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i] ?? "";
    const y = right[i] ?? "";
    if (x === y) continue;
    const bothIndexes = /^\d+$/.test(x) && /^\d+$/.test(y);
    return bothIndexes ? Number(x) - Number(y) : compareStrings(x, y);
  }
  return left.length - right.length;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function formatIssue(issue: ValidationIssue): string {
  return `${issue.path === "" ? "(root)" : issue.path} ${issue.message}`;
}

/** Types come from the network on the receiving side: keep messages bounded. */
function clip(value: string): string {
  return value.length > 100 ? `${value.slice(0, 100)}…` : value;
}

function listTypes(types: readonly string[]): string {
  const shown = types.slice(0, 20).join(", ");
  return types.length > 20 ? `${shown}, … (${types.length - 20} more)` : shown || "(none)";
}

/** The known type with the smallest edit distance, if within a third of its length (min. 2). */
function closest(input: string, candidates: readonly string[]): string | undefined {
  if (input.length > 200) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(input.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions ("craeted"). */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Infinity;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] ?? [];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, at(i - 2, j - 2) + 1);
      row[j] = value;
    }
  }
  return at(a.length, b.length);
}
