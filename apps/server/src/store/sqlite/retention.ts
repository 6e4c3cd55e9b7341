/** SQLite statements for retention. Each function runs inside the caller's transaction. */
import type { Sql } from "./connection.js";

/** Deletes up to `limit` events older than `before` whose deliveries are all final, with their deliveries and attempts. */
export function purge(sql: Sql, before: number, limit: number): number {
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
