/**
 * The schema-compatibility rule table: every change `compareSchemas` can report, with its verdict
 * under each compatibility mode. The modes follow Confluent Schema Registry's definitions:
 *
 * - `backward`: readers using the NEW schema can read data written with the OLD schema (consumers
 *   upgrade first). As sets of accepted instances: every instance valid under old is valid under new.
 * - `forward`: readers using the OLD schema can read data written with the NEW schema (the usual
 *   webhook case: the producer upgrades, receivers still validating with the old schema keep
 *   working). Every instance valid under new is valid under old.
 * - `full`: both backward and forward.
 *
 * Each verdict is derived from JSON Schema 2020-12 semantics (set inclusion of accepted instances),
 * not from the implementation. A verdict is `compatible` only when inclusion holds for every schema
 * the rule applies to; otherwise `breaking`. Keywords constrain an instance independently, so a
 * change made of several compatible keyword changes is compatible (an intersection of supersets is
 * a superset); the rules about adding and removing properties depend on whether the object is closed
 * (`additionalProperties: false` or `unevaluatedProperties: false`), because that decides whether
 * data may carry an unlisted property at all. `format` is treated as an assertion, as the generated
 * validators (ajv-formats) check it. `oneOf` rules assume the branches are mutually exclusive (a
 * discriminated union); without that, adding a branch can make an instance match two branches.
 */

export type Verdict = "compatible" | "breaking";

export interface ModeVerdicts {
  readonly backward: Verdict;
  readonly forward: Verdict;
  readonly full: Verdict;
}

const C: Verdict = "compatible";
const B: Verdict = "breaking";

/** Verdicts from the two directions; `full` is compatible only when both are. */
function modes(backward: Verdict, forward: Verdict): ModeVerdicts {
  return { backward, forward, full: backward === C && forward === C ? C : B };
}

/** A narrowing (fewer instances accepted): old data may be rejected, new data is always old-valid. */
const NARROWED = modes(B, C);
/** A widening (more instances accepted): old data stays valid, new data may be rejected by old readers. */
const WIDENED = modes(C, B);
const BOTH_BREAK = modes(B, B);
const NEITHER_BREAKS = modes(C, C);

/** Numeric, string, array and object bounds: lower bounds tighten upwards, upper bounds downwards. */
export const BOUND_KEYWORDS = {
  minLength: { side: "lower", rule: "min-length" },
  maxLength: { side: "upper", rule: "max-length" },
  minimum: { side: "lower", rule: "minimum" },
  maximum: { side: "upper", rule: "maximum" },
  exclusiveMinimum: { side: "lower", rule: "exclusive-minimum" },
  exclusiveMaximum: { side: "upper", rule: "exclusive-maximum" },
  minItems: { side: "lower", rule: "min-items" },
  maxItems: { side: "upper", rule: "max-items" },
  minProperties: { side: "lower", rule: "min-properties" },
  maxProperties: { side: "upper", rule: "max-properties" },
  // Without the keyword, `contains` asks for at least one match: an absent minContains is 1.
  minContains: { side: "lower", rule: "min-contains", absent: 1 },
  maxContains: { side: "upper", rule: "max-contains" },
} as const satisfies Record<string, { side: "lower" | "upper"; rule: string; absent?: number }>;

type BoundRule = `${(typeof BOUND_KEYWORDS)[keyof typeof BOUND_KEYWORDS]["rule"]}-${"tightened" | "loosened"}`;

const BOUND_RULES = Object.fromEntries(
  Object.values(BOUND_KEYWORDS).flatMap(({ rule }) => [
    [`${rule}-tightened`, NARROWED],
    [`${rule}-loosened`, WIDENED],
  ]),
) as Record<BoundRule, ModeVerdicts>;

/** Every rule, by name. The comment on each says why, in terms of the instances old and new accept. */
export const RULES = {
  // An open object accepted the name with any value; the new schema constrains it. Old readers ignore it.
  "property-added-optional": NARROWED,
  // Old data never had the name (closed); old readers reject data that now carries it.
  "property-added-optional-to-closed-object": WIDENED,
  // Old data lacks it; old (open) readers accept it with any value.
  "property-added-required": NARROWED,
  // Old data lacks it, and old (closed) readers reject it.
  "property-added-required-to-closed-object": BOTH_BREAK,
  // The old object constrained unlisted properties with a schema: neither direction is provable.
  "property-added-to-constrained-object": BOTH_BREAK,
  // The new (open) schema accepts the name with any value; old readers still constrain it.
  "property-removed": WIDENED,
  // The new (closed) schema rejects old data carrying it; new data never carries it.
  "property-removed-from-closed-object": NARROWED,
  // One name removed and another with the same schema added: the removal breaks one direction, the addition the other.
  "property-renamed": BOTH_BREAK,
  "required-added": NARROWED,
  "required-removed": WIDENED,
  "type-widened": WIDENED,
  "type-narrowed": NARROWED,
  // Neither type set contains the other.
  "type-changed": BOTH_BREAK,
  "nullable-added": WIDENED,
  "nullable-removed": NARROWED,
  "enum-value-added": WIDENED,
  "enum-value-removed": NARROWED,
  "enum-constraint-added": NARROWED,
  "enum-constraint-removed": WIDENED,
  "const-changed": BOTH_BREAK,
  "const-added": NARROWED,
  "const-removed": WIDENED,
  "one-of-branch-added": WIDENED,
  "one-of-branch-removed": NARROWED,
  "any-of-branch-added": WIDENED,
  "any-of-branch-removed": NARROWED,
  "pattern-added": NARROWED,
  "pattern-removed": WIDENED,
  // Whether one regular expression's language contains another's is not decided here.
  "pattern-changed": BOTH_BREAK,
  "format-added": NARROWED,
  "format-removed": WIDENED,
  "format-changed": BOTH_BREAK,
  "additional-properties-closed": NARROWED,
  "additional-properties-opened": WIDENED,
  "items-constraint-added": NARROWED,
  "items-constraint-removed": WIDENED,
  "unique-items-added": NARROWED,
  "unique-items-removed": WIDENED,
  // A `$ref` to another document changed, or a `$ref` was replaced by an inline schema: the targets are not compared.
  "ref-target-changed": BOTH_BREAK,
  // Old data that is a multiple of the old divisor need not be one of the new (and vice versa).
  "multiple-of-added": NARROWED,
  "multiple-of-removed": WIDENED,
  // The new divisor is a multiple of the old one (2 → 4): every multiple of 4 is a multiple of 2.
  "multiple-of-tightened": NARROWED,
  // The old divisor is a multiple of the new one (4 → 2).
  "multiple-of-loosened": WIDENED,
  // Neither divides the other (2 → 3).
  "multiple-of-changed": BOTH_BREAK,
  // Arrays must now hold a matching item; old arrays may not.
  "contains-added": NARROWED,
  "contains-removed": WIDENED,
  // `not` is the complement: widening its subschema excludes more instances, narrowing it excludes fewer.
  "not-added": NARROWED,
  "not-removed": WIDENED,
  "not-schema-widened": NARROWED,
  "not-schema-narrowed": WIDENED,
  "not-schema-changed": BOTH_BREAK,
  // `if` with `then`/`else` only adds constraints on the instances the condition selects.
  "conditional-added": NARROWED,
  "conditional-removed": WIDENED,
  // A `then` or `else` added to an existing condition.
  "conditional-branch-added": NARROWED,
  "conditional-branch-removed": WIDENED,
  // Which instances each branch applies to moved: neither direction is provable.
  "if-condition-changed": BOTH_BREAK,
  // "when a is present, b is required": old data with a and without b is rejected.
  "dependent-required-added": NARROWED,
  "dependent-required-removed": WIDENED,
  // "when a is present, the object must also match this schema".
  "dependent-schema-added": NARROWED,
  "dependent-schema-removed": WIDENED,
  // title, description, examples, $comment, default, deprecated, readOnly, writeOnly, $id, x-*: no instance changes validity.
  "annotation-changed": NEITHER_BREAKS,
  // Any other keyword change: not analysed, so conservatively breaking in every mode.
  "keyword-changed": BOTH_BREAK,
  ...BOUND_RULES,
} as const satisfies Record<string, ModeVerdicts>;

export type RuleName = keyof typeof RULES;

/**
 * Catalog-level rules `hookline check` adds to the schema rules: event types, versions and shared
 * definitions that appear or disappear between two catalogs. A version that is removed leaves its
 * pinned receivers with nothing to read (every mode breaks) unless it was deprecated first, which is
 * how a version is meant to be retired (then `check` warns while endpoints are still pinned to it).
 */
export const CATALOG_RULES = {
  "event-type-added": NEITHER_BREAKS,
  // Receivers subscribed to it stop getting events, and their stored data no longer has a schema.
  "event-type-removed": BOTH_BREAK,
  "version-added": NEITHER_BREAKS,
  "version-removed": BOTH_BREAK,
  // Retired after deprecation: expected, and warned about while endpoints are pinned to it.
  "deprecated-version-removed": NEITHER_BREAKS,
  // A notice for receivers (the SDK marks it @deprecated); no instance changes validity.
  "version-deprecated": NEITHER_BREAKS,
  "definition-added": NEITHER_BREAKS,
  // Events that used it report their own changes; the file itself carries no payload.
  "definition-removed": NEITHER_BREAKS,
} as const satisfies Record<string, ModeVerdicts>;

export type CatalogRuleName = keyof typeof CATALOG_RULES;
