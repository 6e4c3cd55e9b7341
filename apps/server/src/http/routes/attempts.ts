/** The attempt log as a page: shared by `GET /v1/events/:id/attempts` and `GET /v1/endpoints/:id/attempts`. */

import type { Store } from "../../store/store.js";
import { encodeCursor, pageRequest } from "../pagination.js";
import { presentAttempt } from "../presenters.js";

export async function attemptsPage(
  store: Store,
  filter: { readonly eventId: string } | { readonly endpointId: string },
  query: { readonly limit?: string; readonly after?: string },
  maxBytes: number,
  /** Throws the 404 when the parent resource is missing; runs after the query is validated (400 first). */
  ensureExists: () => Promise<void>,
): Promise<{ data: unknown[]; nextCursor: string | null }> {
  const page = pageRequest(query, maxBytes);
  await ensureExists();
  const result = await store.listAttempts({ ...filter, ...page });
  return { data: result.rows.map(presentAttempt), nextCursor: encodeCursor(result.next) };
}
