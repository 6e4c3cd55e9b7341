import { createHash } from "node:crypto";
import pg from "pg";
import { endpointReceives } from "../../domain/routing.js";
import { newId } from "../../util/ids.js";
import { SchemaTooNewError, StoreUnavailableError } from "../errors.js";
import { SecretBox } from "../secret-box.js";
import {
  DELIVERY_COLUMNS,
  ENDPOINT_COLUMNS,
  EVENT_COLUMNS,
  openPrevious,
  toDelivery,
  toEndpoint,
  toEvent,
  type DeliveryRow,
  type EndpointRow,
  type EventRow,
} from "../rows.js";
import type {
  AttemptRecord,
  ClaimedDelivery,
  ClaimRequest,
  CompleteRequest,
  CompleteResult,
  DeliveryRecord,
  DeliveryStatus,
  EndpointPatch,
  EndpointRecord,
  EventRecord,
  HealthSignal,
  IngestResult,
  MigrationReport,
  NewEndpoint,
  NewEvent,
  Page,
  PageRequest,
  PreviousSecret,
  QueueStats,
  ReplayResult,
  RotateResult,
  Store,
} from "../store.js";
import { urlColumns } from "../endpoint-urls.js";
import { Batcher } from "./batcher.js";
import { protectEndpointUrls, rotateSecret } from "./endpoints.js";
import { PgListener } from "./listener.js";
import * as listing from "./listing.js";
import { Params } from "./listing.js";
import { PG_MIGRATIONS } from "./migrations.js";
import { arrive, arriveIfIdle, claimIn, NEXT_DUE, type Arrival } from "./queue.js";
import { isRetryable, translate } from "./pg-errors.js";

export interface PgStoreOptions {
  readonly connectionString: string;
  /** Schema holding Hookline's tables (created by `migrate`); lets several deployments share one database. */
  readonly schema?: string | undefined;
  /** Connections in this process's pool (HOOKLINE_DB_POOL_SIZE). */
  readonly poolSize?: number | undefined;
  /** Server-side limit for any one statement, ms (HOOKLINE_DB_STATEMENT_TIMEOUT). */
  readonly statementTimeoutMs?: number | undefined;
  readonly masterKey?: Buffer | undefined;
  /** Where connection trouble of the pool and the LISTEN connection is reported. */
  readonly onError?: ((error: unknown, context: string) => void) | undefined;
}

export const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

const QUEUED = "status IN ('pending', 'delivering')";

/** int8 (bigint, count(*)) as a JS number: every value stored here (epoch ms, counters, seq) is a safe integer. */
export const PG_TYPES = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

/**
 * The PostgreSQL backend, for several server processes sharing one database.
 *
 * - Work sharing: claims lock the endpoints first in line (`FOR NO KEY UPDATE SKIP LOCKED`; see
 *   queue.ts and src/domain/schedule.ts), count each endpoint's
 *   deliveries in flight across all instances, take up to the global per-endpoint cap and rate limit
 *   (a token bucket stored on the endpoint row), then lease deliveries with `FOR UPDATE SKIP LOCKED`.
 *   Each lease carries a fencing token: completing or releasing must present it, so an instance that
 *   stalled past its lease cannot overwrite the instance that took the delivery over.
 * - Wake-ups: ingest, replay, recover, re-enabling and lease releases `NOTIFY`; every instance
 *   LISTENs (`watch`) and wakes its delivery loop.
 * - Group commit: concurrent ingests, and concurrent attempt results, are written in shared
 *   transactions with multi-row statements (see Batcher).
 * - Durability: connections run with `synchronous_commit = off`; ingests and API writes raise it to
 *   `on` for their own transaction, so a 201 or 202 waits for PostgreSQL's WAL flush and survives a
 *   database crash. Queue bookkeeping (claims, attempt results) does not wait: after a database crash
 *   the last few results may be lost and those deliveries re-sent with the same webhook-id.
 * - Layout: the claim is in queue.ts, the list queries in listing.ts, endpoint URL sealing and
 *   rotation in endpoints.ts; this class owns the pool, the transactions and the rest.
 * - Outages surface as StoreUnavailableError (503 on the API, backoff in the worker); deadlocks and
 *   serialization failures are retried.
 */
export class PgStore implements Store {
  readonly kind = "postgres";
  readonly #pool: pg.Pool;
  readonly #clientConfig: pg.ClientConfig;
  readonly #schema: string;
  readonly #channel: string;
  readonly #box: SecretBox;
  readonly #onError: (error: unknown, context: string) => void;
  readonly #ingests: Batcher<NewEvent, IngestResult>;
  readonly #completions: Batcher<CompleteRequest, CompleteResult>;
  #listener: PgListener | undefined;
  #closed = false;

  constructor(options: PgStoreOptions) {
    const schema = options.schema ?? "public";
    if (!SCHEMA_PATTERN.test(schema)) throw new Error(`HOOKLINE_DB_SCHEMA must match ${SCHEMA_PATTERN} (got "${schema}").`);
    this.#schema = schema;
    this.#channel = schema === "public" ? "hookline_work" : `hookline_work_${schema}`.slice(0, 63);
    this.#onError = options.onError ?? (() => undefined);
    this.#clientConfig = {
      connectionString: options.connectionString,
      application_name: "hookline",
      // Every connection defaults to the queue's durability; durable transactions raise it (see #tx).
      // Statements are prepared once per connection (see `prepared`) and planned once: replanning
      // the claim's queries cost three times their execution.
      options: `-c search_path=${schema} -c synchronous_commit=off -c plan_cache_mode=force_generic_plan`,
      statement_timeout: options.statementTimeoutMs ?? 30_000,
      idle_in_transaction_session_timeout: 60_000,
      connectionTimeoutMillis: 5000,
      // A connection that dies without a reset (failover, dropped packets) is noticed in seconds,
      // and no query waits longer than the server-side limit plus a margin.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      query_timeout: (options.statementTimeoutMs ?? 30_000) + 5000,
      types: PG_TYPES,
    };
    this.#pool = new pg.Pool({ ...this.#clientConfig, max: options.poolSize ?? 10, idleTimeoutMillis: 30_000 });
    // An idle connection dropped by the server must not crash the process; the pool replaces it.
    this.#pool.on("error", (error) => this.#onError(error, "idle database connection lost"));
    this.#box = new SecretBox(options.masterKey);
    this.#ingests = new Batcher((items) => this.#ingestBatch(items), { maxBatch: 500, parallel: 2 });
    this.#completions = new Batcher((items) => this.#completeBatch(items), { maxBatch: 500, parallel: 2 });
  }

  get schema(): string {
    return this.#schema;
  }

  // ---- plumbing ---------------------------------------------------------------------------------

  /** `#query` for the list queries (./listing.ts). */
  readonly #list: listing.Query = (text, values) => this.#query(text, values);

  async #query<R extends pg.QueryResultRow>(text: string, values: readonly unknown[] = []): Promise<R[]> {
    if (this.#closed) throw new StoreUnavailableError("the database pool is closed (the server is shutting down)");
    for (let attempt = 1; ; attempt++) {
      try {
        return (await this.#pool.query<R>(prepared(text, values))).rows;
      } catch (error) {
        // A single statement can be a deadlock victim too (e.g. two completions touching the same endpoints).
        if (attempt < 5 && isRetryable(error)) continue;
        throw translate(error);
      }
    }
  }

  /**
   * One transaction on one pooled connection; re-run on deadlock or serialization failure.
   * `durable` transactions (ingest, every API write, migrations) wait for the WAL flush
   * (synchronous_commit = on) before the caller answers. Everything else — claims, attempt results,
   * lease releases — uses the connections' default, off: if PostgreSQL crashes, the last few may be
   * forgotten and those deliveries are attempted again with the same webhook-id, so the
   * at-least-once promise holds (the SQLite backend makes the same trade with synchronous=NORMAL).
   */
  async #tx<T>(run: (client: Tx) => Promise<T>, durability: "durable" | "queue" = "durable"): Promise<T> {
    if (this.#closed) throw new StoreUnavailableError("the database pool is closed (the server is shutting down)");
    for (let attempt = 1; ; attempt++) {
      let client: pg.PoolClient;
      try {
        client = await this.#pool.connect();
      } catch (error) {
        throw translate(error);
      }
      // A checked-out client has no listener of the pool's: a connection lost between two statements
      // would otherwise be an uncaught 'error' event. The failing statement reports it to us anyway.
      const onLost = (): void => undefined;
      client.on("error", onLost);
      const release = (destroy?: boolean): void => {
        client.off("error", onLost);
        client.release(destroy);
      };
      const tx: Tx = { query: async (text, values) => client.query(prepared(text, values ?? [])) };
      try {
        await client.query(durability === "durable" ? "BEGIN; SET LOCAL synchronous_commit = on" : "BEGIN");
        const result = await run(tx);
        await client.query("COMMIT");
        release();
        return result;
      } catch (error) {
        try {
          await client.query("ROLLBACK");
          release();
        } catch {
          release(true);
        }
        if (attempt < 5 && isRetryable(error)) continue;
        throw translate(error);
      }
    }
  }

  /** One durable write statement (an API write: its answer must survive a database crash). */
  async #write<R extends pg.QueryResultRow>(text: string, values: readonly unknown[]): Promise<R[]> {
    return this.#tx(async (client) => (await client.query<R>(text, values as unknown[])).rows);
  }

  #queueTx<T>(run: (client: Tx) => Promise<T>): Promise<T> {
    return this.#tx(run, "queue");
  }

  async #notify(client: Tx): Promise<void> {
    await client.query("SELECT pg_notify($1, '')", [this.#channel]);
  }

  // ---- lifecycle --------------------------------------------------------------------------------

  async migrate(): Promise<MigrationReport> {
    const client = new pg.Client({ ...this.#clientConfig, statement_timeout: 0 });
    try {
      await client.connect();
    } catch (error) {
      throw translate(error);
    }
    client.on("error", (error) => this.#onError(error, "migration connection lost"));
    try {
      // One migrator per schema at a time, across every process and machine; the others wait, then
      // find the work done. Session-level, so it spans the per-migration transactions.
      await client.query("SET lock_timeout = '5min'");
      await client.query("SELECT pg_advisory_lock(hashtext($1))", [`hookline.migrate.${this.#schema}`]);
      try {
        // Only when missing: PostgreSQL checks the CREATE privilege before IF NOT EXISTS, and an
        // application role often lacks it on the database while owning its (existing) schema.
        const exists = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [this.#schema]);
        if (exists.rowCount === 0) await client.query(`CREATE SCHEMA IF NOT EXISTS ${client.escapeIdentifier(this.#schema)}`);
        await client.query(
          "CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
        );
        const applied = new Set((await client.query<{ version: number }>("SELECT version FROM migrations")).rows.map((r) => r.version));
        const known = Math.max(...PG_MIGRATIONS.map((m) => m.version));
        const found = Math.max(0, ...applied);
        if (found > known) throw new SchemaTooNewError(`schema "${this.#schema}"`, found, known);
        const now: number[] = [];
        for (const migration of PG_MIGRATIONS) {
          if (applied.has(migration.version)) continue;
          await client.query("BEGIN; SET LOCAL synchronous_commit = on");
          try {
            await client.query(migration.sql);
            await client.query("INSERT INTO migrations (version, name, applied_at) VALUES ($1, $2, $3)", [
              migration.version,
              migration.name,
              Date.now(),
            ]);
            await client.query("COMMIT");
          } catch (error) {
            await client.query("ROLLBACK").catch(() => undefined);
            throw error;
          }
          now.push(migration.version);
        }
        await protectEndpointUrls(client, this.#box);
        return { applied: now, version: Math.max(found, ...now) };
      } finally {
        await client.query("SELECT pg_advisory_unlock(hashtext($1))", [`hookline.migrate.${this.#schema}`]).catch(() => undefined);
      }
    } catch (error) {
      throw translate(error);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  watch(onWork: () => void): void {
    if (this.#listener !== undefined || this.#closed) return;
    this.#listener = new PgListener({
      client: this.#clientConfig,
      channel: this.#channel,
      onNotify: onWork,
      onError: (error, retryInMs) => this.#onError(error, `LISTEN connection lost; reconnecting in ${retryInMs} ms`),
    });
    this.#listener.start();
  }

  async ping(): Promise<void> {
    await this.#query("SELECT 1");
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#listener?.close();
    await this.#pool.end();
  }

  // ---- meta -------------------------------------------------------------------------------------

  async getMeta(key: string): Promise<string | undefined> {
    return (await this.#query<{ value: string }>("SELECT value FROM meta WHERE key = $1", [key]))[0]?.value;
  }

  async setMetaIfAbsent(key: string, value: string): Promise<string> {
    // A no-op DO UPDATE returns the stored row even when a concurrent transaction inserted it first
    // (DO NOTHING would return nothing, and a second SELECT in the same statement could not see it).
    const rows = await this.#write<{ value: string }>(
      "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = meta.value RETURNING value",
      [key, value],
    );
    const stored = rows[0]?.value;
    if (stored === undefined) throw new Error(`meta key ${key} vanished`);
    return stored;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.#write("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [key, value]);
  }

  // ---- endpoints --------------------------------------------------------------------------------

  async createEndpoint(e: NewEndpoint): Promise<EndpointRecord> {
    const url = urlColumns(e.url, this.#box);
    const rows = await this.#write<EndpointRow>(
      `INSERT INTO endpoints (id, url, sealed_url, event_types, tenant, secret, description, rate_limit, disabled, disabled_reason, metadata, created_at, updated_at)
       VALUES ($1, $2, $12, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING ${ENDPOINT_COLUMNS}`,
      [
        e.id,
        url.url,
        e.eventTypes === null ? null : JSON.stringify(e.eventTypes),
        e.tenant,
        this.#box.seal(e.secret),
        e.description,
        e.rateLimit,
        e.disabled,
        e.disabled ? "disabled when created" : null,
        JSON.stringify(e.metadata),
        e.now,
        url.sealedUrl,
      ],
    );
    return toEndpoint(first(rows, "inserted endpoint"));
  }

  async getEndpoint(id: string): Promise<EndpointRecord | undefined> {
    const row = (await this.#query<EndpointRow>(`SELECT ${ENDPOINT_COLUMNS} FROM endpoints WHERE id = $1 AND deleted_at IS NULL`, [id]))[0];
    return row === undefined ? undefined : toEndpoint(row);
  }

  async getEndpointSecrets(id: string): Promise<{ secret: string; previous: readonly PreviousSecret[] } | undefined> {
    const row = (
      await this.#query<EndpointRow>("SELECT secret, previous_secrets FROM endpoints WHERE id = $1 AND deleted_at IS NULL", [id])
    )[0];
    if (row === undefined) return undefined;
    return {
      secret: this.#box.open(row.secret),
      previous: openPrevious(row.previous_secrets, this.#box),
    };
  }

  async listEndpoints(query: PageRequest & { tenant?: string; disabled?: boolean }): Promise<Page<EndpointRecord>> {
    return listing.listEndpoints(this.#list, query);
  }

  async updateEndpoint(id: string, patch: EndpointPatch, now: number, disabledReason?: string): Promise<EndpointRecord | undefined> {
    return this.#tx(async (client) => {
      const current = (
        await client.query<EndpointRow>("SELECT disabled FROM endpoints WHERE id = $1 AND deleted_at IS NULL FOR UPDATE", [id])
      ).rows[0];
      if (current === undefined) return undefined;
      const p = new Params();
      const sets = [`updated_at = ${p.add(now)}`];
      const set = (column: string, value: unknown): void => {
        sets.push(`${column} = ${p.add(value)}`);
      };
      if (patch.url !== undefined) {
        const columns = urlColumns(patch.url, this.#box);
        set("url", columns.url);
        set("sealed_url", columns.sealedUrl);
      }
      if (patch.eventTypes !== undefined) set("event_types", patch.eventTypes === null ? null : JSON.stringify(patch.eventTypes));
      if (patch.tenant !== undefined) set("tenant", patch.tenant);
      if (patch.description !== undefined) set("description", patch.description);
      if (patch.rateLimit !== undefined) {
        set("rate_limit", patch.rateLimit);
        sets.push("rate_tokens = NULL", "rate_at = NULL");
      }
      if (patch.metadata !== undefined) set("metadata", JSON.stringify(patch.metadata));
      if (patch.secret !== undefined) {
        set("secret", this.#box.seal(patch.secret));
        set("previous_secrets", "[]");
      }
      const reenabled = patch.disabled === false && current.disabled;
      if (patch.disabled === true && !current.disabled) {
        set("disabled", true);
        set("disabled_reason", disabledReason ?? "disabled via the API");
      } else if (reenabled) {
        set("disabled", false);
        set("disabled_reason", null);
        set("failing_since", null);
      }
      const rows = await client.query<EndpointRow>(
        `UPDATE endpoints SET ${sets.join(", ")} WHERE id = ${p.add(id)} RETURNING ${ENDPOINT_COLUMNS}`,
        p.values,
      );
      if (reenabled) await this.#notify(client);
      return toEndpoint(first(rows.rows, "updated endpoint"));
    });
  }

  async deleteEndpoint(id: string, now: number): Promise<boolean> {
    return this.#tx(async (client) => {
      const changed = await client.query("UPDATE endpoints SET deleted_at = $1, updated_at = $1 WHERE id = $2 AND deleted_at IS NULL", [
        now,
        id,
      ]);
      if (changed.rowCount === 0) return false;
      await client.query(
        `UPDATE deliveries SET status = 'cancelled', next_attempt_at = NULL, lease_token = NULL, failure_reason = 'endpoint deleted', updated_at = $1
         WHERE endpoint_id = $2 AND ${QUEUED}`,
        [now, id],
      );
      return true;
    });
  }

  async rotateSecret(
    id: string,
    secret: string,
    graceUntil: number,
    now: number,
    options: { expireOldest?: boolean } = {},
  ): Promise<RotateResult | undefined> {
    return this.#tx(async (client) =>
      rotateSecret(client, this.#box, { id, secret, graceUntil, now, expireOldest: options.expireOldest === true }),
    );
  }

  // ---- events -----------------------------------------------------------------------------------

  ingest(event: NewEvent): Promise<IngestResult> {
    if (this.#closed) return Promise.reject(new StoreUnavailableError("the database pool is closed (the server is shutting down)"));
    return this.#ingests.submit(event);
  }

  /** One transaction for a batch: multi-row inserts of the events and their deliveries. */
  async #ingestBatch(items: readonly NewEvent[]): Promise<IngestResult[]> {
    return this.#tx(async (client) => {
      // Inserting in id order keeps two concurrent batches from deadlocking on the same ids.
      const order = items.map((_, i) => i).sort((a, b) => compare(items[a]?.id ?? "", items[b]?.id ?? ""));
      const sorted = order.map((i) => items[i] as NewEvent);
      const inserted = await client.query<{ id: string; seq: number }>(
        `INSERT INTO events (id, type, tenant, body, request_hash, created_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[], $5::text[], $6::bigint[])
         ON CONFLICT (id) DO NOTHING RETURNING id, seq`,
        [
          sorted.map((e) => e.id),
          sorted.map((e) => e.type),
          sorted.map((e) => e.tenant),
          sorted.map((e) => e.body),
          sorted.map((e) => e.requestHash),
          sorted.map((e) => e.now),
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

      const deliveryCounts = new Map<string, number>();
      if (created.length > 0) {
        const tenants = [...new Set(created.map((c) => c.event.tenant).filter((t): t is string => t !== null))];
        const endpoints = (
          await client.query<Pick<EndpointRow, "id" | "event_types" | "tenant" | "disabled">>(
            "SELECT id, event_types, tenant, disabled FROM endpoints WHERE deleted_at IS NULL AND (tenant = ANY ($1::text[]) OR ($2 AND tenant IS NULL)) ORDER BY id",
            [tenants, created.some((c) => c.event.tenant === null)],
          )
        ).rows.map((row) => ({ ...row, eventTypes: row.event_types === null ? null : (JSON.parse(row.event_types) as string[]) }));
        const d = {
          id: [] as string[],
          event: [] as string[],
          endpoint: [] as string[],
          status: [] as string[],
          next: [] as (number | null)[],
          reason: [] as (string | null)[],
          at: [] as number[],
        };
        for (const { event } of created) {
          let count = 0;
          for (const endpoint of endpoints) {
            if (!endpointReceives({ eventTypes: endpoint.eventTypes, tenant: endpoint.tenant }, event)) continue;
            d.id.push(newId("dlv"));
            d.event.push(event.id);
            d.endpoint.push(endpoint.id);
            // A disabled endpoint gets its delivery as a dead letter: "recover" after re-enabling sends it.
            d.status.push(endpoint.disabled ? "failed" : "pending");
            d.next.push(endpoint.disabled ? null : event.now);
            d.reason.push(endpoint.disabled ? "endpoint disabled when the event was accepted" : null);
            d.at.push(event.now);
            count++;
          }
          deliveryCounts.set(event.id, count);
        }
        if (d.id.length > 0) {
          // The NOTIFY rides in the same statement (one round trip); it is delivered at COMMIT.
          await client.query(
            `WITH inserted AS (
               INSERT INTO deliveries (id, event_id, endpoint_id, status, next_attempt_at, failure_reason, created_at, updated_at)
               SELECT id, event_id, endpoint_id, status, next_attempt_at, failure_reason, at, at
               FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::bigint[])
                 AS u(id, event_id, endpoint_id, status, next_attempt_at, failure_reason, at)
               RETURNING status
             )
             SELECT pg_notify($8, '') FROM (SELECT 1 FROM inserted WHERE status = 'pending' LIMIT 1) AS queued`,
            [d.id, d.event, d.endpoint, d.status, d.next, d.reason, d.at, this.#channel],
          );
          // After the insert (its foreign keys lock the endpoints against a claim's park): see arriveIfIdle.
          const arrivals: Arrival[] = [];
          d.endpoint.forEach((endpointId, i) => {
            const at = d.next[i];
            if (at !== null && at !== undefined) arrivals.push({ endpointId, dueAt: at, fresh: true, now: at });
          });
          await arriveIfIdle(client, arrivals);
        }
        for (const { index, event, seq } of created) {
          results[index] = {
            outcome: "created",
            event: {
              seq,
              id: event.id,
              type: event.type,
              tenant: event.tenant,
              body: event.body,
              requestHash: event.requestHash,
              createdAt: event.now,
            },
            deliveries: deliveryCounts.get(event.id) ?? 0,
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

  async getEvent(id: string): Promise<EventRecord | undefined> {
    const row = (await this.#query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = $1`, [id]))[0];
    return row === undefined ? undefined : toEvent(row);
  }

  async listEvents(query: PageRequest & { type?: string; tenant?: string; since?: number }): Promise<Page<EventRecord>> {
    return listing.listEvents(this.#list, query);
  }

  async listDeliveries(eventId: string): Promise<readonly DeliveryRecord[]> {
    return (await this.#query<DeliveryRow>(`SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE event_id = $1 ORDER BY seq`, [eventId])).map(
      toDelivery,
    );
  }

  async findDeliveries(
    query: PageRequest & { status?: DeliveryStatus; endpointId?: string },
  ): Promise<Page<DeliveryRecord & { seq: number }>> {
    return listing.findDeliveries(this.#list, query);
  }

  async listAttempts(query: PageRequest & { eventId?: string; endpointId?: string }): Promise<Page<AttemptRecord>> {
    return listing.listAttempts(this.#list, query);
  }

  // ---- replay and recover -----------------------------------------------------------------------

  async replay(eventId: string, endpointId: string | undefined, now: number): Promise<ReplayResult> {
    return this.#tx(async (client): Promise<ReplayResult> => {
      const event = (await client.query<Pick<EventRow, "type" | "tenant">>("SELECT type, tenant FROM events WHERE id = $1", [eventId]))
        .rows[0];
      if (event === undefined) return { outcome: "event_not_found" };
      let rows: DeliveryRow[];
      if (endpointId !== undefined) {
        const endpoint = (
          await client.query<EndpointRow>(`SELECT ${ENDPOINT_COLUMNS} FROM endpoints WHERE id = $1 AND deleted_at IS NULL`, [endpointId])
        ).rows[0];
        if (endpoint === undefined) return { outcome: "endpoint_not_found" };
        if (!endpointReceives(toEndpoint(endpoint), event)) return { outcome: "not_subscribed" };
        // Insert-or-lock: concurrent replays of one pair end on the same row.
        await client.query(
          `INSERT INTO deliveries (id, event_id, endpoint_id, status, next_attempt_at, created_at, updated_at)
           VALUES ($1, $2, $3, 'pending', $4, $4, $4) ON CONFLICT (event_id, endpoint_id) DO NOTHING`,
          [newId("dlv"), eventId, endpointId, now],
        );
        rows = (
          await client.query<DeliveryRow>(
            `SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE event_id = $1 AND endpoint_id = $2 FOR UPDATE`,
            [eventId, endpointId],
          )
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
      for (const row of rows) await this.#rearm(client, row, now);
      await arrive(
        client,
        rows.filter((row) => row.status !== "delivering").map((row) => ({ endpointId: row.endpoint_id, dueAt: now, fresh: true, now })),
      );
      if (rows.length > 0) await this.#notify(client);
      return { outcome: "ok", scheduled: rows.length };
    });
  }

  /** The replay rule (see Store.replay): at most one extra attempt per delivery at a time, and never a used-up retry. */
  async #rearm(client: Tx, row: DeliveryRow, now: number): Promise<void> {
    if (row.status === "pending") {
      // Waiting for a retry: due now, remembering the retry. Already due (or already replayed): as is.
      await client.query(
        `UPDATE deliveries SET replay_resume_at = next_attempt_at, next_attempt_at = $1, updated_at = $1
         WHERE id = $2 AND next_attempt_at > $1 AND replay_resume_at IS NULL`,
        [now, row.id],
      );
    } else if (row.status !== "delivering") {
      await client.query(
        `UPDATE deliveries SET status = 'pending', next_attempt_at = $1, schedule_base = attempts, internal_errors = 0,
           failure_reason = NULL, lease_token = NULL, replay_resume_at = NULL, updated_at = $1 WHERE id = $2`,
        [now, row.id],
      );
    }
  }

  async recover(endpointId: string, since: number, until: number, now: number): Promise<number | undefined> {
    return this.#tx(async (client) => {
      const exists = await client.query("SELECT 1 FROM endpoints WHERE id = $1 AND deleted_at IS NULL", [endpointId]);
      if (exists.rowCount === 0) return undefined;
      const changed = await client.query(
        `UPDATE deliveries SET status = 'pending', next_attempt_at = $1, schedule_base = attempts, internal_errors = 0,
           failure_reason = NULL, replay_resume_at = NULL, updated_at = $1
         WHERE endpoint_id = $2 AND status = 'failed' AND created_at >= $3 AND created_at < $4`,
        [now, endpointId, since, until],
      );
      if ((changed.rowCount ?? 0) > 0) {
        await arrive(client, [{ endpointId, dueAt: now, fresh: true, now }]);
        await this.#notify(client);
      }
      return changed.rowCount ?? 0;
    });
  }

  // ---- the queue --------------------------------------------------------------------------------

  /** See claimIn (queue.ts): endpoints take turns from the endpoints_turn index. */
  async claim(request: ClaimRequest): Promise<ClaimedDelivery[]> {
    if (request.limit <= 0) return [];
    return this.#queueTx((client) => claimIn(client, request, this.#box));
  }

  complete(request: CompleteRequest): Promise<CompleteResult> {
    if (this.#closed) return Promise.reject(new StoreUnavailableError("the database pool is closed (the server is shutting down)"));
    return this.#completions.submit(request);
  }

  /**
   * Attempt rows, endpoint health and the fenced delivery updates of many completions in one
   * transaction — one statement for the common case where no attempt failed.
   */
  async #completeBatch(items: readonly CompleteRequest[]): Promise<CompleteResult[]> {
    const { failing, healthy } = groupHealth(items);
    const retrying = items.some((r) => r.next.status === "pending");
    // Without failures or retries it is one statement: atomic on its own, so no BEGIN/COMMIT round trips.
    if (failing.length === 0 && !retrying)
      return (await this.#completeWith((text, values) => this.#query(text, values), items, new Map(), healthy)).results;
    return this.#queueTx(async (client) => {
      const disabledBy = failing.length === 0 ? new Map<number, string>() : await this.#applyFailures(client, failing, healthy);
      const { results, updated } = await this.#completeWith(
        async (text, values) => (await client.query(text, values as unknown[])).rows,
        items,
        disabledBy,
        healthy,
      );
      // A retry becomes its endpoint's turn unless the endpoint has an earlier one (after the
      // delivery update, in its own statement: see `arrive`).
      const arrivals: Arrival[] = [];
      items.forEach((r, i) => {
        const row = updated.get(r.deliveryId);
        if (r.next.status === "pending" && results[i]?.applied === true && row !== undefined) {
          arrivals.push({ endpointId: row.endpoint_id, dueAt: r.next.nextAttemptAt, fresh: row.fresh, now: r.now });
        }
      });
      await arrive(client, arrivals);
      return results;
    });
  }

  async #completeWith(
    query: (text: string, values: readonly unknown[]) => Promise<pg.QueryResultRow[]>,
    items: readonly CompleteRequest[],
    disabledBy: ReadonlyMap<number, string>,
    healthy: readonly string[],
  ): Promise<{ results: CompleteResult[]; updated: Map<string, { endpoint_id: string; fresh: boolean }> }> {
    const attempts = items.flatMap((r) => (r.attempt === undefined ? [] : [r.attempt]));
    const sorted = [...items].sort((a, b) => compare(a.deliveryId, b.deliveryId));
    const updated = (await query(
      `WITH recorded AS (
               INSERT INTO attempts (id, delivery_id, event_id, endpoint_id, status, status_code, duration_ms, error_code, error_message, response_body, created_at)
               SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::text[], $9::text[], $10::text[], $11::bigint[])
             ),
             recovered AS (
               -- A success ends the endpoint's failing run.
               UPDATE endpoints SET failing_since = NULL WHERE id = ANY ($20::text[]) AND failing_since IS NOT NULL
             )
             UPDATE deliveries d SET status = u.status, next_attempt_at = u.next, failure_reason = u.reason, lease_token = NULL,
               attempts = d.attempts + u.attempted, internal_errors = d.internal_errors + u.internal, schedule_base = d.schedule_base + u.outside,
               -- A replay's extra attempt is over once it was made (or the delivery is final); an internal error keeps it due.
               replay_resume_at = CASE WHEN u.attempted = 1 OR u.status <> 'pending' THEN NULL ELSE d.replay_resume_at END,
               last_attempt_at = CASE WHEN u.attempted = 1 THEN u.now ELSE d.last_attempt_at END, updated_at = u.now
             FROM unnest($12::text[], $13::text[], $14::text[], $15::bigint[], $16::text[], $17::int[], $18::int[], $19::bigint[], $21::int[])
               AS u(id, token, status, next, reason, attempted, internal, now, outside)
             -- Fencing: a worker whose lease expired and was taken over writes nothing but its attempt.
             WHERE d.id = u.id AND d.status = 'delivering' AND d.lease_token = u.token
             RETURNING d.id, d.endpoint_id, d.attempts = d.schedule_base AS fresh`,
      [
        attempts.map((a) => a.id),
        attempts.map((a) => a.deliveryId),
        attempts.map((a) => a.eventId),
        attempts.map((a) => a.endpointId),
        attempts.map((a) => a.status),
        attempts.map((a) => a.statusCode),
        attempts.map((a) => a.durationMs),
        attempts.map((a) => a.errorCode),
        attempts.map((a) => a.errorMessage),
        attempts.map((a) => a.responseBody),
        attempts.map((a) => a.createdAt),
        sorted.map((r) => r.deliveryId),
        sorted.map((r) => r.leaseToken),
        sorted.map((r) => r.next.status),
        sorted.map((r) => (r.next.status === "pending" ? r.next.nextAttemptAt : null)),
        sorted.map((r) => (r.next.status === "failed" ? r.next.reason : null)),
        sorted.map((r) => (r.attempt === undefined ? 0 : 1)),
        sorted.map((r) => (r.internalError === true ? 1 : 0)),
        sorted.map((r) => r.now),
        healthy,
        sorted.map((r) => (r.outsideSchedule === true ? 1 : 0)),
      ],
    )) as { id: string; endpoint_id: string; fresh: boolean }[];
    const byId = new Map(updated.map((r) => [r.id, r]));
    const results = items.map((r, i): CompleteResult => {
      const endpointDisabled = disabledBy.get(i);
      const ok = byId.has(r.deliveryId);
      return endpointDisabled === undefined ? { applied: ok } : { applied: ok, endpointDisabled };
    });
    return { results, updated: byId };
  }

  /**
   * Endpoint health for the endpoints with a failure in the batch, applied in submission order (the
   * same rules as SQLite: success ends the failing run; a failure starts or continues it and disables
   * past `disableAfterMs`; 410 disables). The `healthy` ones are updated by the caller's combined
   * statement. Returns which item disabled which endpoint.
   */
  async #applyFailures(client: Tx, failing: readonly EndpointSignals[], healthy: readonly string[]): Promise<Map<number, string>> {
    const disabledBy = new Map<number, string>();
    // Every endpoint this batch will update, locked (and read) in one sorted pass: batches never wait on each other in a cycle.
    const rows = await client.query<{ id: string; disabled: boolean; failing_since: number | null }>(
      "SELECT id, disabled, failing_since FROM endpoints WHERE id = ANY ($1::text[]) ORDER BY id FOR NO KEY UPDATE",
      [[...failing.map(([id]) => id), ...healthy]],
    );
    const current = new Map(rows.rows.map((row) => [row.id, row]));
    // Written in one statement (one per endpoint made a batch of refused attempts cost a round trip each).
    const out = { id: [] as string[], since: [] as (number | null)[], reason: [] as (string | null)[], at: [] as number[] };
    for (const [endpointId, list] of [...failing].sort(([a], [b]) => compare(a, b))) {
      const row = current.get(endpointId);
      if (row === undefined) continue;
      let { disabled, failing_since: failingSince } = row;
      let reason: string | undefined;
      let at = 0;
      for (const signal of list) {
        at = signal.now;
        if (signal.health.kind === "success") {
          failingSince = null;
          continue;
        }
        failingSince ??= signal.now;
        if (disabled) continue;
        if (signal.health.kind === "gone") reason = signal.health.reason;
        else if (signal.now - failingSince >= signal.health.disableAfterMs)
          reason = `every attempt failed since ${new Date(failingSince).toISOString()}`;
        if (reason !== undefined) {
          disabled = true;
          disabledBy.set(signal.index, reason);
        }
      }
      out.id.push(endpointId);
      out.since.push(failingSince);
      out.reason.push(reason ?? null);
      out.at.push(at);
    }
    if (out.id.length > 0) {
      await client.query(
        `UPDATE endpoints e SET failing_since = u.since,
           disabled = e.disabled OR u.reason IS NOT NULL,
           disabled_reason = COALESCE(u.reason, e.disabled_reason),
           updated_at = CASE WHEN u.reason IS NULL THEN e.updated_at ELSE u.at END
         FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[]) AS u(id, since, reason, at) WHERE e.id = u.id`,
        [out.id, out.since, out.reason, out.at],
      );
    }
    return disabledBy;
  }

  async release(deliveryId: string, leaseToken: string, now: number): Promise<boolean> {
    return this.#queueTx(async (client) => {
      const changed = await client.query<{ endpoint_id: string; fresh: boolean }>(
        `UPDATE deliveries SET status = 'pending', next_attempt_at = $1, lease_token = NULL, updated_at = $1
         WHERE id = $2 AND status = 'delivering' AND lease_token = $3 RETURNING endpoint_id, attempts = schedule_base AS fresh`,
        [now, deliveryId, leaseToken],
      );
      const row = changed.rows[0];
      if (row === undefined) return false;
      await arrive(client, [{ endpointId: row.endpoint_id, dueAt: now, fresh: row.fresh, now }]);
      await this.#notify(client);
      return true;
    });
  }

  async nextDueAt(exclude: readonly string[]): Promise<number | null> {
    const rows = await this.#query<{ due: number | null }>(NEXT_DUE, [exclude]);
    return rows[0]?.due ?? null;
  }

  async stats(now: number): Promise<QueueStats> {
    const row = (
      await this.#query<{ depth: number; oldest: number | null; dead: number }>(
        `SELECT (SELECT count(*) FROM deliveries WHERE ${QUEUED}) AS depth,
                (SELECT min(next_attempt_at) FROM deliveries WHERE status = 'pending' AND next_attempt_at <= $1) AS oldest,
                (SELECT count(*) FROM deliveries WHERE status = 'failed') AS dead`,
        [now],
      )
    )[0];
    return { depth: row?.depth ?? 0, oldestDueAt: row?.oldest ?? null, deadLetters: row?.dead ?? 0 };
  }

  async purge(before: number, limit: number): Promise<number> {
    return this.#queueTx(async (client) => {
      // A delivery inserted by an ingest that read an endpoint just before it was deleted is cancelled
      // here (SQLite has no such race: one connection does everything in order).
      await client.query(
        `UPDATE deliveries SET status = 'cancelled', next_attempt_at = NULL, lease_token = NULL, failure_reason = 'endpoint deleted', updated_at = $1
         WHERE status = 'pending' AND endpoint_id IN (SELECT id FROM endpoints WHERE deleted_at IS NOT NULL)`,
        [Date.now()],
      );
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
}

/** One endpoint's health signals in a completion batch, in submission order (`index` = the item). */
type EndpointSignals = readonly [endpointId: string, signals: readonly { index: number; health: HealthSignal; now: number }[]];

/** The batch's health signals by endpoint: those with any failure, and those that only succeeded. */
function groupHealth(items: readonly CompleteRequest[]): { failing: EndpointSignals[]; healthy: string[] } {
  const byEndpoint = new Map<string, { index: number; health: HealthSignal; now: number }[]>();
  items.forEach((r, index) => {
    const endpointId = r.attempt?.endpointId;
    if (r.health === undefined || endpointId === undefined) return;
    let list = byEndpoint.get(endpointId);
    if (list === undefined) {
      list = [];
      byEndpoint.set(endpointId, list);
    }
    list.push({ index, health: r.health, now: r.now });
  });
  const failing: EndpointSignals[] = [];
  const healthy: string[] = [];
  for (const [id, list] of byEndpoint) {
    if (list.some((s) => s.health.kind !== "success")) failing.push([id, list]);
    else healthy.push(id);
  }
  return { failing, healthy };
}

/** A column list qualified by a table alias (named columns, never `*`: see EVENT_COLUMNS). */
function columns(list: string, alias: string): string {
  return list
    .split(", ")
    .map((c) => `${alias}.${c}`)
    .join(", ");
}

/** What a transaction body may do: run statements (prepared, see `prepared`). */
interface Tx {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: readonly unknown[]): Promise<pg.QueryResult<R>>;
}

const statementNames = new Map<string, string>();

/**
 * A named (prepared) statement for parameterised SQL: PostgreSQL parses and plans it once per
 * connection instead of on every call. Statements without parameters (BEGIN, COMMIT, several
 * statements in one string) go as simple queries.
 */
function prepared(text: string, values: readonly unknown[]): pg.QueryConfig {
  if (values.length === 0) return { text };
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `hookline_${createHash("sha256").update(text).digest("hex").slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return { name, text, values: values as unknown[] };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function first<T>(rows: readonly T[], what: string): T {
  const row = rows[0];
  if (row === undefined) throw new Error(`no row returned for the ${what}`);
  return row;
}
