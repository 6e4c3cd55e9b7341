/**
 * The human form of a check report: changes grouped under the event version or definition they
 * affect, one line per change (`file#pointer`, rule, the three mode verdicts, what changed), the
 * endpoints a breaking change reaches, then errors, warnings and a summary. Colour is optional
 * (the CLI turns it on only for a terminal without NO_COLOR); the JSON form is the report itself.
 */

import type { CheckChange, CheckNotice, CheckReport, CheckSubject } from "./check-catalog.js";
import type { Subscribers } from "./subscribers.js";

interface Paint {
  readonly red: (s: string) => string;
  readonly green: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
}

const sgr = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
const COLOUR: Paint = { red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), bold: sgr(1, 22), dim: sgr(2, 22) };
const PLAIN: Paint = { red: (s) => s, green: (s) => s, yellow: (s) => s, bold: (s) => s, dim: (s) => s };

export function formatCheckReport(report: CheckReport, options: { color?: boolean } = {}): string {
  const paint = options.color === true ? COLOUR : PLAIN;
  const lines: string[] = [paint.dim(`catalog ${report.catalog} against ${report.against} (mode ${report.mode})`)];
  const groups = new Map<string, { subject: CheckSubject; changes: CheckChange[]; notices: string[] }>();
  const group = (subject: CheckSubject) => {
    const key = subjectName(subject);
    let entry = groups.get(key);
    if (entry === undefined) {
      entry = { subject, changes: [], notices: [] };
      groups.set(key, entry);
    }
    return entry;
  };
  for (const change of report.changes) group(change.subject).changes.push(change);
  for (const error of report.errors) group(error.subject).notices.push(...notice(paint.red("error"), error, paint));
  for (const warning of report.warnings) group(warning.subject).notices.push(...notice(paint.yellow("warning"), warning, paint));

  for (const [name, { subject, changes, notices }] of groups) {
    lines.push("", subject.kind === "event" ? `${paint.bold(name)}  ${paint.dim(subject.file)}` : paint.bold(name));
    for (const change of changes) {
      const mark = change.breaking ? paint.red("BREAKING") : paint.green("ok      ");
      const verdicts = (["backward", "forward", "full"] as const)
        .map((mode) => {
          const text = `${mode}:${change.verdict[mode]}`;
          return change.verdict[mode] === "breaking" ? paint.red(text) : paint.green(text);
        })
        .join(" ");
      lines.push(`  ${mark}  ${change.file}#${change.pointer}  ${change.rule}  ${verdicts}  ${change.detail}`);
      if (change.subscribers !== undefined && subject.kind === "event")
        lines.push(...subscriberLines(change.subscribers, `${subject.type} v${subject.version}`, "            "));
    }
    lines.push(...notices);
  }

  const breaking = report.changes.filter((c) => c.breaking).length;
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  lines.push(
    "",
    report.changes.length === 0
      ? paint.green("no changes")
      : `${count(report.changes.length, "change")} (${breaking} breaking under ${report.mode}), ${count(report.errors.length, "error")}, ${count(report.warnings.length, "warning")}`,
  );
  return `${lines.join("\n")}\n`;
}

function notice(label: string, item: CheckNotice, paint: Paint): string[] {
  const lines = [`  ${label}: ${item.message}`, `    ${paint.dim("fix:")} ${item.fix}`];
  if (item.subscribers !== undefined && item.subscribers.count > 0 && item.subject.kind === "event")
    lines.push(...subscriberLines(item.subscribers, `${item.subject.type} v${item.subject.version}`, "    "));
  return lines;
}

function subscriberLines(subscribers: Subscribers, what: string, indent: string): string[] {
  if (subscribers.count === 0) return [`${indent}no endpoint is pinned to ${what}`];
  const lines = [`${indent}${subscribers.count === 1 ? "1 endpoint" : `${subscribers.count} endpoints`} pinned to ${what}:`];
  for (const e of subscribers.endpoints)
    lines.push(`${indent}  ${e.id}  ${e.urlHost}  tenant ${e.tenant ?? "(none)"}${e.disabled ? "  (disabled)" : ""}`);
  if (subscribers.count > subscribers.endpoints.length)
    lines.push(`${indent}  … and ${subscribers.count - subscribers.endpoints.length} more`);
  return lines;
}

function subjectName(subject: CheckSubject): string {
  return subject.kind === "event" ? `${subject.type} v${subject.version}` : `definition ${subject.file}`;
}
