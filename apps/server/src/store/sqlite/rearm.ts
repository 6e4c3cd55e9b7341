/**
 * SQLite statements that re-arm deliveries: replay (one event, all or one endpoint) and recover
 * (an endpoint's dead letters). Each function runs inside the caller's transaction.
 */
import { endpointReceives } from "../../domain/routing.js";
import { newId } from "../../util/ids.js";
import { toEndpoint, type DeliveryRow, type EventRow } from "../rows.js";
import type { ReplayDeliveriesResult, ReplayResult } from "../store.js";
import type { Sql } from "./connection.js";
import { endpointRow } from "./endpoints.js";
import { arrive } from "./queue.js";

/**
 * A re-armed delivery is sent in its endpoint's current pin for the event's type (so re-pinning
 * changes what replay and recover send); without a pin it keeps its version.
 */
const CURRENT_PIN = `COALESCE((SELECT p.version FROM endpoint_pins p JOIN events ev ON ev.type = p.event_type
  WHERE ev.id = deliveries.event_id AND p.endpoint_id = deliveries.endpoint_id), version)`;

export function replay(sql: Sql, eventId: string, endpointId: string | undefined, now: number): ReplayResult {
  const event = sql("SELECT type, tenant FROM events WHERE id = ?").get(eventId) as Pick<EventRow, "type" | "tenant"> | undefined;
  if (event === undefined) return { outcome: "event_not_found" };
  if (endpointId !== undefined) {
    const endpoint = endpointRow(sql, endpointId);
    if (endpoint === undefined) return { outcome: "endpoint_not_found" };
    if (!endpointReceives(toEndpoint(endpoint), event)) return { outcome: "not_subscribed" };
    const existing = sql("SELECT * FROM deliveries WHERE event_id = ? AND endpoint_id = ?").get(eventId, endpointId) as
      | DeliveryRow
      | undefined;
    if (existing === undefined) {
      const id = newId("dlv");
      sql(
        `INSERT INTO deliveries (id, event_id, event_seq, tenant, endpoint_id, status, version, next_attempt_at, created_at, updated_at)
           SELECT ?, id, seq, tenant, ?, 'pending', version, ?, ?, ? FROM events WHERE id = ?`,
      ).run(id, endpointId, now, now, now, eventId);
      sql(`UPDATE deliveries SET version = ${CURRENT_PIN} WHERE id = ?`).run(id);
      arrive(sql, endpointId, now, true, now);
      return { outcome: "ok", scheduled: 1 };
    }
    rearm(sql, existing, now);
    return { outcome: "ok", scheduled: 1 };
  }
  const rows = sql(
    `SELECT d.* FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
       WHERE d.event_id = ? AND e.deleted_at IS NULL ORDER BY d.seq`,
  ).all(eventId) as DeliveryRow[];
  for (const row of rows) rearm(sql, row, now);
  return { outcome: "ok", scheduled: rows.length };
}

/** Store.replayDeliveries: the replay rule for each delivery asked for whose endpoint still exists. */
export function replayDeliveries(sql: Sql, deliveryIds: readonly string[], now: number): ReplayDeliveriesResult {
  const ids = [...new Set(deliveryIds)];
  const rows = sql(
    `SELECT d.* FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
       WHERE d.id IN (SELECT value FROM json_each(?)) AND e.deleted_at IS NULL ORDER BY d.seq`,
  ).all(JSON.stringify(ids)) as DeliveryRow[];
  for (const row of rows) rearm(sql, row, now);
  const found = new Set(rows.map((row) => row.id));
  return { scheduled: rows.length, notFound: ids.filter((id) => !found.has(id)) };
}

/** The replay rule (see Store.replay): at most one extra attempt per delivery at a time, and never a used-up retry. */
function rearm(sql: Sql, row: DeliveryRow, now: number): void {
  if (row.status !== "delivering") arrive(sql, row.endpoint_id, now, true, now);
  if (row.status === "pending") {
    // Waiting for a retry: due now, remembering the retry. Already due (or already replayed): as is.
    sql(
      `UPDATE deliveries SET replay_resume_at = next_attempt_at, next_attempt_at = ?, version = ${CURRENT_PIN}, updated_at = ?
         WHERE id = ? AND next_attempt_at > ? AND replay_resume_at IS NULL`,
    ).run(now, now, row.id, now);
  } else if (row.status !== "delivering") {
    sql(
      `UPDATE deliveries SET status = 'pending', next_attempt_at = ?, schedule_base = attempts, internal_errors = 0,
           failure_reason = NULL, lease_token = NULL, replay_resume_at = NULL, version = ${CURRENT_PIN}, updated_at = ? WHERE id = ?`,
    ).run(now, now, row.id);
  }
}

export function recover(sql: Sql, endpointId: string, since: number, until: number, now: number): number | undefined {
  if (endpointRow(sql, endpointId) === undefined) return undefined;
  const changed = sql(
    `UPDATE deliveries SET status = 'pending', next_attempt_at = @now, schedule_base = attempts, internal_errors = 0,
         failure_reason = NULL, replay_resume_at = NULL, version = ${CURRENT_PIN}, updated_at = @now
       WHERE endpoint_id = @endpointId AND status = 'failed' AND created_at >= @since AND created_at < @until`,
  ).run({ endpointId, since, until, now }).changes;
  if (changed > 0) arrive(sql, endpointId, now, true, now);
  return changed;
}
