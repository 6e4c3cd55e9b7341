import { SETTINGS } from "./settings.js";

export const TABLE_START =
  "<!-- config-table:start (generated from apps/server/src/config/settings.ts: npm run docs -w @hookline/server) -->";
export const TABLE_END = "<!-- config-table:end -->";

const cell = (text: string): string => text.replaceAll("|", "\\|");

/** The README's configuration table: one row per environment variable, in the table's order. */
export function configTable(): string {
  const rows = ["| Variable | Default | Meaning |", "| --- | --- | --- |"];
  for (const s of Object.values(SETTINGS)) {
    if (s.env === undefined) continue;
    const value: unknown = typeof s.default === "function" ? undefined : s.default;
    const shown = s.docDefault ?? (value === undefined ? "unset" : `\`${(s.kind.show as (v: unknown) => string)(value)}\``);
    rows.push(`| \`${s.env}\` | ${cell(shown)} | ${cell(s.doc)} |`);
  }
  return rows.join("\n");
}

/** `markdown` with the text between the markers replaced by the current table; undefined without markers. */
export function withConfigTable(markdown: string): string | undefined {
  const start = markdown.indexOf(TABLE_START);
  const end = markdown.indexOf(TABLE_END);
  if (start < 0 || end < start) return undefined;
  return `${markdown.slice(0, start + TABLE_START.length)}\n${configTable()}\n${markdown.slice(end)}`;
}
