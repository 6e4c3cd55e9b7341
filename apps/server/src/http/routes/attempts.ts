/** The attempt log as a page: shared by `GET /v1/events/:id/attempts` and `GET /v1/endpoints/:id/attempts`. */

import type { Store } from "../../store/store.js";
import { decodeCursor, encodeCursor, pageLimit } from "../pagination.js";
import { presentAttempt } from "../presenters.js";
import { opt } from "./events.js";

export async function attemptsPage(
  store: Store,
  filter: { readonly eventId: string } | { readonly endpointId: string },
  query: { readonly limit?: string; readonly after?: string },
  /** Throws the 404 when the parent resource is missing; runs after the query is validated (400 first). */
  ensureExists: () => Promise<void>,
): Promise<{ data: unknown[]; nextCursor: string | null }> {
  const limit = pageLimit(query.limit);
  const after = decodeCursor(query.after);
  await ensureExists();
  const result = await store.listAttempts({ ...filter, limit, ...opt("after", after) });
  return { data: result.rows.map(presentAttempt), nextCursor: encodeCursor(result.next) };
}
