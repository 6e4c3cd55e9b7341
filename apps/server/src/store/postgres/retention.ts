/** PostgreSQL retention: purging old events whose deliveries are all final. */
import { ENDPOINT_DELETED } from "../../domain/fan-out.js";
import { QUEUED, type PgConnection } from "./connection.js";

/**
 * Deletes up to `limit` events older than `before` whose deliveries are all final, with their deliveries
 * and attempts; and the portal codes and tokens that ended before `before`.
 */
export async function purge(db: PgConnection, before: number, limit: number): Promise<number> {
  return db.queueTx(async (client) => {
    // A delivery inserted by an ingest that read an endpoint just before it was deleted is cancelled
    // here (SQLite has no such race: one connection does everything in order).
    await client.query(
      `UPDATE deliveries SET status = 'cancelled', next_attempt_at = NULL, lease_token = NULL, failure_reason = $2, updated_at = $1
       WHERE status = 'pending' AND endpoint_id IN (SELECT id FROM endpoints WHERE deleted_at IS NOT NULL)`,
      [Date.now(), ENDPOINT_DELETED],
    );
    // Portal codes expired, and tokens expired or revoked, before `before` (every portal visit leaves a session token).
    await client.query("DELETE FROM portal_codes WHERE expires_at < $1", [before]);
    await client.query("DELETE FROM tokens WHERE expires_at < $1 OR revoked_at < $1", [before]);
    // Instances sweeping at once take disjoint batches.
    const ids = (
      await client.query<{ id: string }>(
        `SELECT id FROM events ev WHERE created_at < $1
           AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = ev.id AND d.${QUEUED})
         ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [before, limit],
      )
    ).rows.map((r) => r.id);
    if (ids.length === 0) return 0;
    // Re-checked while deleting: a replay or recover may have re-armed one of these deliveries since
    // the SELECT (it locks the delivery, not the event). Such an event keeps its deliveries and stays.
    await client.query(
      `DELETE FROM deliveries d WHERE d.event_id = ANY ($1::text[]) AND d.status NOT IN ('pending', 'delivering')
         AND NOT EXISTS (SELECT 1 FROM deliveries q WHERE q.event_id = d.event_id AND q.${QUEUED})`,
      [ids],
    );
    const deleted = (
      await client.query<{ id: string }>(
        "DELETE FROM events ev WHERE ev.id = ANY ($1::text[]) AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = ev.id) RETURNING ev.id",
        [ids],
      )
    ).rows.map((r) => r.id);
    if (deleted.length > 0) await client.query("DELETE FROM attempts WHERE event_id = ANY ($1::text[])", [deleted]);
    return deleted.length;
  });
}
