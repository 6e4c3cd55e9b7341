/**
 * PostgreSQL statements that re-arm deliveries: replay (one event, all or one endpoint) and recover
 * (an endpoint's dead letters), each in a durable transaction that wakes every instance.
 */
import { endpointReceives } from "../../domain/routing.js";
import { newId } from "../../util/ids.js";
import { DELIVERY_COLUMNS, toEndpoint, type DeliveryRow, type EndpointRow, type EventRow } from "../rows.js";
import type { ReplayDeliveriesResult, ReplayResult } from "../store.js";
import { columns, type PgConnection, type Tx } from "./connection.js";
import { ENDPOINT_SELECT } from "./pins.js";
import { arrive } from "./queue.js";

/**
 * A re-armed delivery is sent in its endpoint's current pin for the event's type (so re-pinning
 * changes what replay and recover send); without a pin it keeps its version.
 */
const CURRENT_PIN = `COALESCE((SELECT p.version FROM endpoint_pins p JOIN events ev ON ev.type = p.event_type
  WHERE ev.id = deliveries.event_id AND p.endpoint_id = deliveries.endpoint_id), deliveries.version)`;

export async function replay(db: PgConnection, eventId: string, endpointId: string | undefined, now: number): Promise<ReplayResult> {
  return db.tx(async (client): Promise<ReplayResult> => {
    const event = (
      await client.query<Pick<EventRow, "type" | "tenant" | "version">>("SELECT type, tenant, version FROM events WHERE id = $1", [eventId])
    ).rows[0];
    if (event === undefined) return { outcome: "event_not_found" };
    let rows: DeliveryRow[];
    if (endpointId !== undefined) {
      const endpoint = (
        await client.query<EndpointRow>(`SELECT ${ENDPOINT_SELECT} FROM endpoints WHERE id = $1 AND deleted_at IS NULL`, [endpointId])
      ).rows[0];
      if (endpoint === undefined) return { outcome: "endpoint_not_found" };
      if (!endpointReceives(toEndpoint(endpoint), event)) return { outcome: "not_subscribed" };
      // Insert-or-lock: concurrent replays of one pair end on the same row.
      await client.query(
        `INSERT INTO deliveries (id, event_id, event_seq, tenant, endpoint_id, status, version, next_attempt_at, created_at, updated_at)
         SELECT $1, id, seq, tenant, $3, 'pending', $5::int, $4, $4, $4 FROM events WHERE id = $2 ON CONFLICT (event_id, endpoint_id) DO NOTHING`,
        [newId("dlv"), eventId, endpointId, now, toEndpoint(endpoint).pins[event.type] ?? event.version],
      );
      rows = (
        await client.query<DeliveryRow>(`SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE event_id = $1 AND endpoint_id = $2 FOR UPDATE`, [
          eventId,
          endpointId,
        ])
      ).rows;
    } else {
      rows = (
        await client.query<DeliveryRow>(
          `SELECT ${columns(DELIVERY_COLUMNS, "d")} FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
           WHERE d.event_id = $1 AND e.deleted_at IS NULL ORDER BY d.seq FOR UPDATE OF d`,
          [eventId],
        )
      ).rows;
    }
    for (const row of rows) await rearm(client, row, now);
    await arrive(
      client,
      rows.filter((row) => row.status !== "delivering").map((row) => ({ endpointId: row.endpoint_id, dueAt: now, fresh: true, now })),
    );
    if (rows.length > 0) await db.notify(client);
    return { outcome: "ok", scheduled: rows.length };
  });
}

/** Store.replayDeliveries: the replay rule for each delivery asked for whose endpoint still exists. */
export async function replayDeliveries(db: PgConnection, deliveryIds: readonly string[], now: number): Promise<ReplayDeliveriesResult> {
  const ids = [...new Set(deliveryIds)];
  return db.tx(async (client) => {
    const rows = (
      await client.query<DeliveryRow>(
        `SELECT ${columns(DELIVERY_COLUMNS, "d")} FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
         WHERE d.id = ANY ($1::text[]) AND e.deleted_at IS NULL ORDER BY d.seq FOR UPDATE OF d`,
        [ids],
      )
    ).rows;
    for (const row of rows) await rearm(client, row, now);
    await arrive(
      client,
      rows.filter((row) => row.status !== "delivering").map((row) => ({ endpointId: row.endpoint_id, dueAt: now, fresh: true, now })),
    );
    if (rows.length > 0) await db.notify(client);
    const found = new Set(rows.map((row) => row.id));
    return { scheduled: rows.length, notFound: ids.filter((id) => !found.has(id)) };
  });
}

/** The replay rule (see Store.replay): at most one extra attempt per delivery at a time, and never a used-up retry. */
async function rearm(client: Tx, row: DeliveryRow, now: number): Promise<void> {
  if (row.status === "pending") {
    // Waiting for a retry: due now, remembering the retry. Already due (or already replayed): as is.
    await client.query(
      `UPDATE deliveries SET replay_resume_at = next_attempt_at, next_attempt_at = $1, version = ${CURRENT_PIN}, updated_at = $1
       WHERE id = $2 AND next_attempt_at > $1 AND replay_resume_at IS NULL`,
      [now, row.id],
    );
  } else if (row.status !== "delivering") {
    await client.query(
      `UPDATE deliveries SET status = 'pending', next_attempt_at = $1, schedule_base = attempts, internal_errors = 0,
         failure_reason = NULL, lease_token = NULL, replay_resume_at = NULL, version = ${CURRENT_PIN}, updated_at = $1 WHERE id = $2`,
      [now, row.id],
    );
  }
}

export async function recover(
  db: PgConnection,
  endpointId: string,
  since: number,
  until: number,
  now: number,
): Promise<number | undefined> {
  return db.tx(async (client) => {
    const exists = await client.query("SELECT 1 FROM endpoints WHERE id = $1 AND deleted_at IS NULL", [endpointId]);
    if (exists.rowCount === 0) return undefined;
    const changed = await client.query(
      `UPDATE deliveries SET status = 'pending', next_attempt_at = $1, schedule_base = attempts, internal_errors = 0,
         failure_reason = NULL, replay_resume_at = NULL, version = ${CURRENT_PIN}, updated_at = $1
       WHERE endpoint_id = $2 AND status = 'failed' AND created_at >= $3 AND created_at < $4`,
      [now, endpointId, since, until],
    );
    if ((changed.rowCount ?? 0) > 0) {
      await arrive(client, [{ endpointId, dueAt: now, fresh: true, now }]);
      await db.notify(client);
    }
    return changed.rowCount ?? 0;
  });
}
