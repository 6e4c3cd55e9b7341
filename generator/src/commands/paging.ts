/** Shared flag parsing of the list commands: page size, cursor, durations such as `2h`. */

import { CliError, EXIT, type Io, palette } from "./output.js";

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new CliError(`${value} is not a whole number >= 1.`, EXIT.usage);
  return n;
}

export function pageOptions(flags: { readonly limit?: number; readonly after?: string }): { limit?: number; after?: string } {
  return { ...(flags.limit === undefined ? {} : { limit: flags.limit }), ...(flags.after === undefined ? {} : { after: flags.after }) };
}

export function printPageHint(io: Io, nextCursor: string | null): void {
  if (nextCursor !== null) io.out(palette(io).dim(`more: add --after ${nextCursor}\n`));
}

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since 2h` / `30m` / `7d` (that long ago) or an RFC 3339 time, as RFC 3339. */
export function sinceTime(value: string, now = Date.now()): string {
  const relative = /^(\d+)([smhd])$/.exec(value);
  if (relative !== null) return new Date(now - Number(relative[1]) * (UNIT_MS[relative[2] ?? "s"] ?? 1000)).toISOString();
  if (/^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value))) return new Date(Date.parse(value)).toISOString();
  throw new CliError(
    `${value} is not a time: write a duration such as 30m, 2h or 7d, or an RFC 3339 time such as 2026-03-10T14:00:00Z.`,
    EXIT.usage,
  );
}
