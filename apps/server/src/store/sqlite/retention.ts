/** SQLite statements for retention. Each function runs inside the caller's transaction. */
import type { Sql } from "./connection.js";

/**
 * Deletes up to `limit` events older than `before` whose deliveries are all final, with their deliveries
 * and attempts; and the portal codes and tokens that ended before `before`.
 */
export function purge(sql: Sql, before: number, limit: number): number {
  purgeCredentials(sql, before);
  const ids = sql(
    `SELECT id FROM events ev WHERE created_at < ?
         AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = ev.id AND d.status IN ('pending', 'delivering'))
       ORDER BY seq LIMIT ?`,
  )
    .pluck()
    .all(before, limit) as string[];
  if (ids.length === 0) return 0;
  const list = JSON.stringify(ids);
  sql("DELETE FROM attempts WHERE event_id IN (SELECT value FROM json_each(?))").run(list);
  sql("DELETE FROM deliveries WHERE event_id IN (SELECT value FROM json_each(?))").run(list);
  return sql("DELETE FROM events WHERE id IN (SELECT value FROM json_each(?))").run(list).changes;
}

/** Portal codes expired, and tokens expired or revoked, before `before` (every portal visit leaves a session token). */
function purgeCredentials(sql: Sql, before: number): void {
  sql("DELETE FROM portal_codes WHERE expires_at < ?").run(before);
  sql("DELETE FROM tokens WHERE expires_at < @before OR revoked_at < @before").run({ before });
}
