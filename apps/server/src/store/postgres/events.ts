/**
 * PostgreSQL ingest: a batch of events and their fan-out (src/domain/fan-out.ts) in one transaction,
 * written with multi-row statements; plus the event reads.
 */
import { fanOut } from "../../domain/fan-out.js";
import { newId } from "../../util/ids.js";
import { DELIVERY_COLUMNS, EVENT_COLUMNS, toDelivery, toEvent, type DeliveryRow, type EndpointRow, type EventRow } from "../rows.js";
import type { DeliveryRecord, EventRecord, IngestResult, NewEvent } from "../store.js";
import { columns, compare, type PgConnection, type Query, type Tx } from "./connection.js";
import { arriveIfIdle, type Arrival } from "./queue.js";

/** One transaction for a batch: multi-row inserts of the events and their deliveries. */
export async function ingestBatch(db: PgConnection, items: readonly NewEvent[]): Promise<IngestResult[]> {
  return db.tx(async (client) => {
    // Inserting in id order keeps two concurrent batches from deadlocking on the same ids.
    const order = items.map((_, i) => i).sort((a, b) => compare(items[a]?.id ?? "", items[b]?.id ?? ""));
    const sorted = order.map((i) => items[i] as NewEvent);
    const inserted = await client.query<{ id: string; seq: number }>(
      `INSERT INTO events (id, type, tenant, body, request_hash, created_at, version)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[], $5::text[], $6::bigint[], $7::int[])
       ON CONFLICT (id) DO NOTHING RETURNING id, seq`,
      [
        sorted.map((e) => e.id),
        sorted.map((e) => e.type),
        sorted.map((e) => e.tenant),
        sorted.map((e) => e.body),
        sorted.map((e) => e.requestHash),
        sorted.map((e) => e.now),
        sorted.map((e) => e.version ?? null),
      ],
    );
    const seqs = new Map(inserted.rows.map((r) => [r.id, r.seq]));

    // The first item with an inserted id created it; every other item is a repeat of some event.
    const results: (IngestResult | undefined)[] = new Array(items.length);
    const created: { index: number; event: NewEvent; seq: number }[] = [];
    const repeated: number[] = [];
    items.forEach((event, index) => {
      const seq = seqs.get(event.id);
      if (seq !== undefined) {
        seqs.delete(event.id);
        created.push({ index, event, seq });
      } else repeated.push(index);
    });

    if (created.length > 0) {
      const counts = await insertDeliveries(client, db.channel, created);
      for (const { index, event, seq } of created) {
        results[index] = {
          outcome: "created",
          event: {
            seq,
            id: event.id,
            type: event.type,
            tenant: event.tenant,
            version: event.version ?? null,
            body: event.body,
            requestHash: event.requestHash,
            createdAt: event.now,
          },
          deliveries: counts.get(event.id) ?? 0,
        };
      }
    }

    if (repeated.length > 0) {
      const ids = [...new Set(repeated.map((i) => (items[i] as NewEvent).id))];
      const existing = await client.query<EventRow & { deliveries: number }>(
        `SELECT ${columns(EVENT_COLUMNS, "ev")}, (SELECT count(*) FROM deliveries d WHERE d.event_id = ev.id) AS deliveries FROM events ev WHERE ev.id = ANY ($1::text[])`,
        [ids],
      );
      const byId = new Map(existing.rows.map((r) => [r.id, r]));
      for (const index of repeated) {
        const item = items[index] as NewEvent;
        const row = byId.get(item.id);
        if (row === undefined) throw new Error(`event ${item.id} conflicted on insert but cannot be read`);
        const event = toEvent(row);
        results[index] =
          row.request_hash === item.requestHash
            ? { outcome: "duplicate", event, deliveries: row.deliveries }
            : { outcome: "conflict", event };
      }
    }
    return results as IngestResult[];
  });
}

/** The created events' deliveries, one multi-row insert; returns how many each event got. */
async function insertDeliveries(
  client: Tx,
  channel: string,
  created: readonly { event: NewEvent; seq: number }[],
): Promise<Map<string, number>> {
  const tenants = [...new Set(created.map((c) => c.event.tenant).filter((t): t is string => t !== null))];
  const types = [...new Set(created.map((c) => c.event.type))];
  const endpoints = (
    await client.query<Pick<EndpointRow, "id" | "event_types" | "tenant" | "disabled"> & { pins: Record<string, number> | null }>(
      `SELECT e.id, e.event_types, e.tenant, e.disabled,
              (SELECT json_object_agg(p.event_type, p.version) FROM endpoint_pins p
               WHERE p.endpoint_id = e.id AND p.event_type = ANY ($3::text[])) AS pins
       FROM endpoints e WHERE e.deleted_at IS NULL AND (e.tenant = ANY ($1::text[]) OR ($2 AND e.tenant IS NULL)) ORDER BY e.id`,
      [tenants, created.some((c) => c.event.tenant === null), types],
    )
  ).rows.map((row) => ({
    id: row.id,
    eventTypes: row.event_types === null ? null : (JSON.parse(row.event_types) as string[]),
    tenant: row.tenant,
    disabled: Boolean(row.disabled),
    pins: row.pins ?? {},
  }));
  const d = {
    id: [] as string[],
    event: [] as string[],
    eventSeq: [] as number[],
    tenant: [] as (string | null)[],
    endpoint: [] as string[],
    status: [] as string[],
    version: [] as (number | null)[],
    next: [] as (number | null)[],
    reason: [] as (string | null)[],
    at: [] as number[],
  };
  const counts = new Map<string, number>();
  for (const { event, seq } of created) {
    const deliveries = fanOut(
      endpoints.map((endpoint) => ({ ...endpoint, pin: endpoint.pins[event.type] ?? null })),
      { type: event.type, tenant: event.tenant, version: event.version ?? null },
      event.now,
    );
    for (const delivery of deliveries) {
      d.id.push(newId("dlv"));
      d.event.push(event.id);
      d.eventSeq.push(seq);
      d.tenant.push(event.tenant);
      d.endpoint.push(delivery.endpointId);
      d.status.push(delivery.status);
      d.version.push(delivery.version);
      d.next.push(delivery.nextAttemptAt);
      d.reason.push(delivery.failureReason);
      d.at.push(event.now);
    }
    counts.set(event.id, deliveries.length);
  }
  if (d.id.length === 0) return counts;
  // The NOTIFY rides in the same statement (one round trip); it is delivered at COMMIT.
  await client.query(
    `WITH inserted AS (
       INSERT INTO deliveries (id, event_id, event_seq, tenant, endpoint_id, status, version, next_attempt_at, failure_reason, created_at, updated_at)
       SELECT id, event_id, event_seq, tenant, endpoint_id, status, version, next_attempt_at, failure_reason, at, at
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::bigint[], $9::int[], $10::bigint[], $11::text[])
         AS u(id, event_id, endpoint_id, status, next_attempt_at, failure_reason, at, version, event_seq, tenant)
       RETURNING status
     )
     SELECT pg_notify($8, '') FROM (SELECT 1 FROM inserted WHERE status = 'pending' LIMIT 1) AS queued`,
    [d.id, d.event, d.endpoint, d.status, d.next, d.reason, d.at, channel, d.version, d.eventSeq, d.tenant],
  );
  // After the insert (its foreign keys lock the endpoints against a claim's park): see arriveIfIdle.
  const arrivals: Arrival[] = [];
  d.endpoint.forEach((endpointId, i) => {
    const at = d.next[i];
    if (at !== null && at !== undefined) arrivals.push({ endpointId, dueAt: at, fresh: true, now: at });
  });
  await arriveIfIdle(client, arrivals);
  return counts;
}

export async function getEvent(query: Query, id: string): Promise<EventRecord | undefined> {
  const row = (await query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = $1`, [id]))[0];
  return row === undefined ? undefined : toEvent(row);
}

export async function listDeliveries(query: Query, eventId: string): Promise<DeliveryRecord[]> {
  return (await query<DeliveryRow>(`SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE event_id = $1 ORDER BY seq`, [eventId])).map(
    toDelivery,
  );
}
