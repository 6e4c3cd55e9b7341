/**
 * The catalog's style rules: checks whose severity a configuration may change (`"rules"` in
 * hookline.config.json). Every other catalog check is always an error: it guards what the
 * generator and the validators need.
 */

export type Severity = "error" | "warning" | "off";
export const SEVERITIES: readonly Severity[] = ["error", "warning", "off"];

/**
 * Rule id → default severity. The rules checked before rules were configurable stay errors; the
 * object conventions added later warn, so catalogs that validated before still do.
 */
export const LINT_RULES = {
  /** The schema root has a `description` (the event's or definition's documentation). */
  "schema-description": "error",
  /** Every property has a `description` (its JSDoc and docs-site text). */
  "property-description": "error",
  /** Every event file has at least one example. */
  "event-examples": "error",
  /** Every object schema with `properties` lists `required`. */
  "object-required": "warning",
  /** Every object schema with `properties` states `additionalProperties`. */
  "object-additional-properties": "warning",
  /** Property names are camelCase. */
  "property-camel-case": "warning",
} as const satisfies Readonly<Record<string, Severity>>;

export type LintRuleId = keyof typeof LINT_RULES;
export type RuleSeverities = Readonly<Partial<Record<LintRuleId, Severity>>>;

export function isLintRuleId(id: string): id is LintRuleId {
  return Object.hasOwn(LINT_RULES, id);
}
