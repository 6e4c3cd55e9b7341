import type { PageRequest } from "../store/store.js";
import { ApiError } from "./errors.js";

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 250;

/** `?limit` text → 1..250 (default 50). */
export function pageLimit(text: string | undefined): number {
  if (text === undefined) return DEFAULT_LIMIT;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) {
    throw new ApiError(400, "invalid_limit", `limit must be a whole number from 1 to ${MAX_LIMIT} (got ${JSON.stringify(text)}).`);
  }
  return n;
}

/**
 * `?limit` and `?after` as the store's page request, with the byte budget (HOOKLINE_PAGE_MAX_BYTES):
 * a page ends at `limit` items or before the item that would take it past the budget, whichever
 * comes first, and holds at least one item; its `nextCursor` continues right after it.
 */
export function pageRequest(query: { readonly limit?: string; readonly after?: string }, maxBytes: number): PageRequest {
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
