/** Applies the configured rule severities to the problems loading found. */

import type { CatalogIssue } from "../schema/issues.js";
import { LINT_RULES, type RuleSeverities } from "../schema/lint-rules.js";

/** Splits problems by the configured severity of their rule: errors fail, warnings are printed, `off` is dropped. */
export function applySeverities(
  issues: readonly CatalogIssue[],
  rules: RuleSeverities,
): { errors: CatalogIssue[]; warnings: CatalogIssue[] } {
  const errors: CatalogIssue[] = [];
  const warnings: CatalogIssue[] = [];
  for (const issue of issues) {
    const severity = issue.rule === undefined ? "error" : (rules[issue.rule] ?? LINT_RULES[issue.rule]);
    if (severity === "error") errors.push(issue);
    else if (severity === "warning") warnings.push(issue);
  }
  return { errors, warnings };
}
