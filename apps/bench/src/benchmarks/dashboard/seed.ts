/**
 * Writes seed-data.ts's rows straight into a delivery server's database (the schema the server
 * created at start, migration 7 or later), one transaction per batch: SQLite through better-sqlite3,
 * PostgreSQL through multi-row `unnest` inserts. Far faster than the API, which would also deliver
 * every event; the rows are the ones the server itself writes (same columns, same states).
 */
import Database from "better-sqlite3";
import pg from "pg";
import { type SeedBatch, type SeedEndpoint, seedBatches } from "./seed-data.js";

export interface SeedCounts {
  readonly events: number;
  readonly deliveries: number;
  readonly attempts: number;
}

const BATCH = 5000;

export function seedSqlite(dbPath: string, events: number, endpoints: readonly SeedEndpoint[], now: number): SeedCounts {
  const db = new Database(dbPath);
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 10000");
  db.pragma("synchronous = NORMAL");
  const insertEvent = db.prepare(
    "INSERT INTO events (id, type, tenant, version, body, request_hash, created_at) VALUES (?, ?, ?, 1, ?, ?, ?)",
  );
  const insertDelivery = db.prepare(
    `INSERT INTO deliveries (id, event_id, event_seq, tenant, endpoint_id, status, version, attempts, schedule_base, last_attempt_at, failure_reason, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 1, ?, 0, ?, ?, ?, ?)`,
  );
  const insertAttempt = db.prepare(
    `INSERT INTO attempts (id, delivery_id, event_id, endpoint_id, status, status_code, duration_ms, error_code, error_message, response_body,
       request_headers, response_headers, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const write = db.transaction((batch: SeedBatch) => {
    const seqs = batch.events.map((e) =>
      Number(insertEvent.run(e.id, e.type, e.tenant, e.body, e.requestHash, e.createdAt).lastInsertRowid),
    );
    for (const d of batch.deliveries) {
      const event = batch.events[d.event];
      insertDelivery.run(
        d.id,
        event?.id,
        seqs[d.event],
        event?.tenant,
        d.endpointId,
        d.status,
        d.attempts,
        d.lastAttemptAt,
        d.failureReason,
        d.createdAt,
        d.updatedAt,
      );
    }
    for (const a of batch.attempts) {
      insertAttempt.run(
        a.id,
        a.deliveryId,
        batch.events[a.event]?.id,
        a.endpointId,
        a.status,
        a.statusCode,
        a.durationMs,
        a.errorCode,
        a.errorMessage,
        a.responseBody,
        a.requestHeaders,
        a.responseHeaders,
        a.createdAt,
      );
    }
  });
  const counts = { events: 0, deliveries: 0, attempts: 0 };
  try {
    for (const batch of seedBatches({ events, endpoints, now, batchSize: BATCH })) {
      write(batch);
      count(counts, batch);
    }
    db.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
  }
  return counts;
}

export async function seedPostgres(
  url: string,
  schema: string,
  events: number,
  endpoints: readonly SeedEndpoint[],
  now: number,
): Promise<SeedCounts> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const counts = { events: 0, deliveries: 0, attempts: 0 };
  try {
    await client.query(`SET search_path TO ${client.escapeIdentifier(schema)}`);
    for (const batch of seedBatches({ events, endpoints, now, batchSize: BATCH })) {
      await client.query("BEGIN");
      const inserted = await client.query<{ id: string; seq: string | number }>(
        `INSERT INTO events (id, type, tenant, version, body, request_hash, created_at)
         SELECT id, type, tenant, 1, body, request_hash, created_at
         FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[], $5::text[], $6::bigint[]) AS u(id, type, tenant, body, request_hash, created_at)
         RETURNING id, seq`,
        [
          batch.events.map((e) => e.id),
          batch.events.map((e) => e.type),
          batch.events.map((e) => e.tenant),
          batch.events.map((e) => e.body),
          batch.events.map((e) => e.requestHash),
          batch.events.map((e) => e.createdAt),
        ],
      );
      const seqOf = new Map(inserted.rows.map((r) => [r.id, Number(r.seq)]));
      const eventId = (index: number): string => batch.events[index]?.id ?? "";
      const ds = batch.deliveries;
      await client.query(
        `INSERT INTO deliveries (id, event_id, event_seq, tenant, endpoint_id, status, version, attempts, schedule_base, last_attempt_at, failure_reason, created_at, updated_at)
         SELECT id, event_id, event_seq, tenant, endpoint_id, status, 1, attempts, 0, last_attempt_at, failure_reason, created_at, updated_at
         FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::int[], $7::bigint[], $8::text[], $9::bigint[], $10::bigint[], $11::text[])
           AS u(id, event_id, event_seq, endpoint_id, status, attempts, last_attempt_at, failure_reason, created_at, updated_at, tenant)`,
        [
          ds.map((d) => d.id),
          ds.map((d) => eventId(d.event)),
          ds.map((d) => seqOf.get(eventId(d.event))),
          ds.map((d) => d.endpointId),
          ds.map((d) => d.status),
          ds.map((d) => d.attempts),
          ds.map((d) => d.lastAttemptAt),
          ds.map((d) => d.failureReason),
          ds.map((d) => d.createdAt),
          ds.map((d) => d.updatedAt),
          ds.map((d) => batch.events[d.event]?.tenant ?? null),
        ],
      );
      const as = batch.attempts;
      await client.query(
        `INSERT INTO attempts (id, delivery_id, event_id, endpoint_id, status, status_code, duration_ms, error_code, error_message, response_body,
           request_headers, response_headers, created_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::text[], $9::text[], $10::text[],
           $11::text[], $12::text[], $13::bigint[])`,
        [
          as.map((a) => a.id),
          as.map((a) => a.deliveryId),
          as.map((a) => eventId(a.event)),
          as.map((a) => a.endpointId),
          as.map((a) => a.status),
          as.map((a) => a.statusCode),
          as.map((a) => a.durationMs),
          as.map((a) => a.errorCode),
          as.map((a) => a.errorMessage),
          as.map((a) => a.responseBody),
          as.map((a) => a.requestHeaders),
          as.map((a) => a.responseHeaders),
          as.map((a) => a.createdAt),
        ],
      );
      await client.query("COMMIT");
      count(counts, batch);
    }
    // What autovacuum does after a bulk load (PostgreSQL 13+ vacuums insert-only tables too):
    // planner statistics, and the visibility map that lets the health counts read only the index.
    await client.query("VACUUM (ANALYZE) events, deliveries, attempts");
  } finally {
    await client.end();
  }
  return counts;
}

function count(counts: { events: number; deliveries: number; attempts: number }, batch: SeedBatch): void {
  counts.events += batch.events.length;
  counts.deliveries += batch.deliveries.length;
  counts.attempts += batch.attempts.length;
}
