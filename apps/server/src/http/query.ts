/**
 * Query values → what the store takes. Integers arrive as numbers (coerced and range-checked by the
 * route schemas, e.g. `pageQuery`), the rest as text; these helpers convert them and answer 400 with
 * how to fix a value the schema could not judge (a stale cursor, a bad time).
 */
import type { PageRequest } from "../store/store.js";
import { parseRfc3339 } from "../util/time.js";
import { ApiError } from "./errors.js";

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 250;

/** `?limit` and `?after` of every list (`pageQuery` in schemas.ts). */
export interface PageQuery {
  readonly limit?: number;
  readonly after?: string;
}

/** The answer to a `?limit` out of range (also given for the schema's minimum/maximum: error-handler.ts). */
export function invalidLimit(given: unknown): ApiError {
  return new ApiError(400, "invalid_limit", `limit must be a whole number from 1 to ${MAX_LIMIT} (got ${JSON.stringify(String(given))}).`);
}

/** `?limit` → 1..250 (default 50). */
export function pageLimit(n: number | undefined): number {
  if (n === undefined) return DEFAULT_LIMIT;
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) throw invalidLimit(n);
  return n;
}

/**
 * `?limit` and `?after` as the store's page request, with the byte budget (HOOKLINE_PAGE_MAX_BYTES):
 * a page ends at `limit` items or before the item that would take it past the budget, whichever
 * comes first, and holds at least one item; its `nextCursor` continues right after it.
 */
export function pageRequest(query: PageQuery, maxBytes: number): PageRequest {
  const limit = pageLimit(query.limit);
  const after = decodeCursor(query.after);
  return after === undefined ? { limit, maxBytes } : { limit, after, maxBytes };
}

/** Cursors are opaque to clients: "c1" + base64url of the position. */
export function encodeCursor(position: number | null): string | null {
  return position === null ? null : `c1${Buffer.from(String(position)).toString("base64url")}`;
}

export function decodeCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const text = cursor.startsWith("c1") ? Buffer.from(cursor.slice(2), "base64url").toString("utf8") : "";
  if (!/^[1-9]\d{0,15}$/.test(text) || encodeCursor(Number(text)) !== cursor) {
    throw new ApiError(
      400,
      "invalid_cursor",
      "after must be a nextCursor value returned by a previous page of this list; start again without it.",
    );
  }
  return Number(text);
}

/** A time parameter (`?since`) → epoch ms; undefined when absent. */
export function timeQuery(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseRfc3339(text);
  if (ms === undefined) throw new ApiError(400, "invalid_request", `${name} must be an RFC 3339 time, e.g. 2025-03-10T14:22:05Z.`);
  return ms;
}

/** `?since` and `?until` (exclusive) → epoch ms, each only when sent; 400 unless since is earlier than until. */
export function timeRange(query: { readonly since?: string; readonly until?: string }): { since?: number; until?: number } {
  const since = timeQuery("since", query.since);
  const until = timeQuery("until", query.until);
  if (since !== undefined && until !== undefined && since >= until) {
    throw new ApiError(400, "invalid_request", `since (${query.since}) must be earlier than until (${query.until}): until is exclusive.`, [
      { path: "/until", message: "must be later than since" },
    ]);
  }
  return { ...opt("since", since), ...opt("until", until) };
}

/** A boolean parameter (`?disabled`, the schema's enum `true`/`false`); undefined when absent. */
export function booleanQuery(text: "true" | "false" | undefined): boolean | undefined {
  return text === undefined ? undefined : text === "true";
}

/**
 * `{ [key]: value }` when defined, `{}` otherwise (exactOptionalPropertyTypes): how an optional
 * filter or patch field reaches the store only when it was sent.
 */
export function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
