/**
 * Catalog problems. Loading collects every problem before failing so that one run of
 * `hookline validate` shows the whole list, each with where it is and how to fix it.
 */

import { compareCodeUnits } from "./compare.js";
import type { LintRuleId } from "./lint-rules.js";

export interface CatalogIssue {
  /** Catalog-relative file path, `/`-separated (`""` for catalog-wide problems). */
  readonly file: string;
  /** JSON pointer inside the file (`""` is the document root; `""` for a TypeScript file). */
  readonly pointer: string;
  /** 1-based line, for problems in a TypeScript file (a converter module). */
  readonly line?: number | undefined;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
  /** The configurable rule this problem breaks (its severity is set in hookline.config.json `rules`). */
  readonly rule?: LintRuleId | undefined;
}

export class CatalogError extends Error {
  override readonly name = "CatalogError";
  readonly issues: readonly CatalogIssue[];

  constructor(catalogDir: string, issues: readonly CatalogIssue[]) {
    const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
    super(`The event catalog at ${catalogDir} has ${count}:\n${issues.map(formatIssue).join("\n")}`);
    this.issues = issues;
  }
}

export function formatIssue(issue: CatalogIssue): string {
  const where =
    issue.file === ""
      ? "(catalog)"
      : issue.line !== undefined
        ? `${issue.file}:${issue.line}`
        : issue.file.endsWith(".ts")
          ? issue.file
          : `${issue.file}#${issue.pointer}`;
  const rule = issue.rule === undefined ? "" : ` [${issue.rule}]`;
  return `- ${where}: ${issue.message}${rule}\n  fix: ${issue.fix}`;
}

/** Stable order: by file, then pointer, then line, then message. */
export function sortIssues(issues: readonly CatalogIssue[]): CatalogIssue[] {
  return [...issues].sort(
    (a, b) =>
      compareCodeUnits(a.file, b.file) ||
      compareCodeUnits(a.pointer, b.pointer) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      compareCodeUnits(a.message, b.message),
  );
}
