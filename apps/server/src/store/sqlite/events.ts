/**
 * SQLite statements for events: ingest (the event and its fan-out, src/domain/fan-out.ts) and reads.
 * Each function runs inside the caller's transaction.
 */
import { fanOut } from "../../domain/fan-out.js";
import { newId } from "../../util/ids.js";
import { toDelivery, toEvent, type DeliveryRow, type EndpointRow, type EventRow } from "../rows.js";
import type { DeliveryRecord, EventRecord, IngestResult, NewEvent } from "../store.js";
import type { Sql } from "./connection.js";
import { arrive } from "./queue.js";

export function ingest(sql: Sql, e: NewEvent): IngestResult {
  const existing = sql("SELECT * FROM events WHERE id = ?").get(e.id) as EventRow | undefined;
  if (existing !== undefined) {
    const event = toEvent(existing);
    if (existing.request_hash !== e.requestHash) return { outcome: "conflict", event };
    const deliveries = sql("SELECT COUNT(*) FROM deliveries WHERE event_id = ?").pluck().get(e.id) as number;
    return { outcome: "duplicate", event, deliveries };
  }
  const seq = Number(
    sql("INSERT INTO events (id, type, tenant, version, body, request_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)").run(
      e.id,
      e.type,
      e.tenant,
      e.version ?? null,
      e.body,
      e.requestHash,
      e.now,
    ).lastInsertRowid,
  );
  const endpoints = (
    sql(
      `SELECT e.id, e.event_types, e.tenant, e.disabled, p.version AS pin
       FROM endpoints e LEFT JOIN endpoint_pins p ON p.endpoint_id = e.id AND p.event_type = ?
       WHERE e.deleted_at IS NULL AND e.tenant IS ? ORDER BY e.seq`,
    ).all(e.type, e.tenant) as (Pick<EndpointRow, "id" | "event_types" | "tenant" | "disabled"> & { pin: number | null })[]
  ).map((row) => ({
    id: row.id,
    eventTypes: row.event_types === null ? null : (JSON.parse(row.event_types) as string[]),
    tenant: row.tenant,
    disabled: row.disabled === 1,
    pin: row.pin,
  }));
  const insert = sql(
    `INSERT INTO deliveries (id, event_id, event_seq, tenant, endpoint_id, status, version, next_attempt_at, failure_reason, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const deliveries = fanOut(endpoints, { type: e.type, tenant: e.tenant, version: e.version ?? null }, e.now);
  for (const d of deliveries) {
    insert.run(newId("dlv"), e.id, seq, e.tenant, d.endpointId, d.status, d.version, d.nextAttemptAt, d.failureReason, e.now, e.now);
    if (d.nextAttemptAt !== null) arrive(sql, d.endpointId, d.nextAttemptAt, true, e.now);
  }
  const event: EventRecord = {
    seq,
    id: e.id,
    type: e.type,
    tenant: e.tenant,
    version: e.version ?? null,
    body: e.body,
    requestHash: e.requestHash,
    createdAt: e.now,
  };
  return { outcome: "created", event, deliveries: deliveries.length };
}

export function getEvent(sql: Sql, id: string): EventRecord | undefined {
  const row = sql("SELECT * FROM events WHERE id = ?").get(id) as EventRow | undefined;
  return row === undefined ? undefined : toEvent(row);
}

export function listDeliveries(sql: Sql, eventId: string): DeliveryRecord[] {
  return (sql("SELECT * FROM deliveries WHERE event_id = ? ORDER BY seq").all(eventId) as DeliveryRow[]).map(toDelivery);
}
