import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { endpointReceives } from "../../domain/routing.js";
import { newId } from "../../util/ids.js";
import { SecretBox } from "../secret-box.js";
import {
  ENDPOINT_COLUMNS,
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
import { SchemaTooNewError, StoreUnavailableError } from "../errors.js";
import { urlColumns } from "../endpoint-urls.js";
import { protectEndpointUrls, rotateSecret } from "./endpoints.js";
import { MIGRATIONS } from "./migrations.js";
import * as listing from "./listing.js";
import { SqliteQueue } from "./queue.js";
import { WalSync } from "./wal-sync.js";

export interface SqliteStoreOptions {
  readonly path: string;
  readonly masterKey?: Buffer | undefined;
}

interface Queued {
  readonly run: () => unknown;
  readonly durable: boolean;
  readonly resolve: (result: never) => void;
  readonly reject: (error: unknown) => void;
}

type Sync = "FULL" | "NORMAL";

/**
 * The SQLite backend (better-sqlite3, one connection, WAL).
 *
 * Durability, chosen per transaction (WAL mode):
 * - API writes (endpoints, rotation, replay, recover) commit with `synchronous = FULL`: the WAL is
 *   fsynced before the answer, so a 201 or 202 survives a power loss, not only a process crash.
 * - Ingests commit with `synchronous = NORMAL` and are answered only after `WalSync` has fsynced the
 *   WAL on the thread pool: as durable as FULL, but the event loop never waits for the disk.
 * - Queue bookkeeping (claim, attempt results, lease release) commits with `NORMAL` and is not
 *   synced: safe against kill -9 (the WAL is in the OS) and made durable by the next sync or
 *   checkpoint. A power loss can forget the last few results; those deliveries are then attempted
 *   again with the same webhook-id, which the at-least-once promise allows.
 * - Group commit: ingests, claims and attempt results arriving in the same event-loop turn share one
 *   transaction, each in its own savepoint so one failure cannot undo the others.
 *
 * The queue (claims, results, turns) is in queue.ts, the list queries in listing.ts, endpoint URL
 * sealing and rotation in endpoints.ts; this class owns the connection, the transactions and the rest.
 *
 * better-sqlite3 is synchronous, so every method runs atomically with respect to the others in this
 * process; transactions are still used wherever several statements must commit together.
 */
export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #path: string;
  readonly #box: SecretBox;
  readonly #statements = new Map<string, Database.Statement>();
  readonly #deliveries: SqliteQueue;
  #queue: Queued[] = [];
  #sync: Sync = "FULL";
  #closed = false;

  readonly #walSync: WalSync | undefined;
  /** Runs its argument in a savepoint. Made once: better-sqlite3 builds four wrappers per `transaction()` call. */
  readonly #savepoint: (run: () => unknown) => unknown;

  constructor(options: SqliteStoreOptions) {
    if (options.path !== ":memory:") mkdirSync(dirname(options.path), { recursive: true });
    this.#path = options.path;
    this.#db = new Database(options.path);
    this.#db.pragma("journal_mode = WAL");
    this.#db.pragma("synchronous = FULL");
    this.#db.pragma("foreign_keys = ON");
    this.#db.pragma("busy_timeout = 5000");
    this.#box = new SecretBox(options.masterKey);
    this.#deliveries = new SqliteQueue((source) => this.#sql(source), this.#box);
    this.#savepoint = this.#db.transaction((run: () => unknown) => run());
    // An in-memory database has no WAL (and nothing to make durable).
    this.#walSync = options.path === ":memory:" ? undefined : new WalSync(`${options.path}-wal`);
  }

  /** `#sql` for the list queries (./listing.ts). */
  readonly #list: listing.Sql = (source) => this.#sql(source);

  /** Prepared once per SQL text, reused for every call (preparing dominates otherwise). */
  #sql(source: string): Database.Statement {
    let statement = this.#statements.get(source);
    if (statement === undefined) {
      statement = this.#db.prepare(source);
      this.#statements.set(source, statement);
    }
    return statement;
  }

  readonly kind = "sqlite";

  async migrate(): Promise<MigrationReport> {
    // IMMEDIATE takes the write lock first: two processes starting on one file apply each version once.
    const report = this.#inTransaction("FULL", () => {
      this.#db.exec(
        "CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT",
      );
      const applied = new Set(this.#sql("SELECT version FROM migrations").pluck().all() as number[]);
      const known = Math.max(...MIGRATIONS.map((m) => m.version));
      const found = Math.max(0, ...applied);
      if (found > known) throw new SchemaTooNewError(this.#path, found, known);
      const now: number[] = [];
      for (const migration of MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        this.#db.exec(migration.sql);
        this.#sql("INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)").run(migration.version, migration.name, Date.now());
        now.push(migration.version);
      }
      return { applied: now, version: Math.max(found, ...now) };
    });
    // URLs still stored in clear get masked and sealed; the WAL keeps copies of the old pages until truncated.
    const sealed = this.#inTransaction("FULL", () => protectEndpointUrls(this.#db, (source) => this.#sql(source), this.#box));
    if (sealed > 0) this.#db.pragma("wal_checkpoint(TRUNCATE)");
    return report;
  }

  watch(): void {
    // One process per database file: the process that queues work wakes its own worker.
  }

  async ping(): Promise<void> {
    if (this.#closed) throw new Error("the database is closed");
    this.#sql("SELECT 1").get();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#flush();
    this.#closed = true;
    await this.#walSync?.close();
    this.#db.pragma("optimize");
    this.#db.close();
  }

  /** The integrity check's answer ("ok" when sound); for operators and the crash test. */
  integrityCheck(): string {
    return (this.#db.pragma("integrity_check", { simple: true }) as string | undefined) ?? "no answer";
  }

  // ---- meta -------------------------------------------------------------------------------------

  async getMeta(key: string): Promise<string | undefined> {
    return this.#sql("SELECT value FROM meta WHERE key = ?").pluck().get(key) as string | undefined;
  }

  async setMetaIfAbsent(key: string, value: string): Promise<string> {
    return this.#inTransaction("FULL", () => {
      this.#sql("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING").run(key, value);
      return this.#sql("SELECT value FROM meta WHERE key = ?").pluck().get(key) as string;
    });
  }

  async setMeta(key: string, value: string): Promise<void> {
    this.#inTransaction("FULL", () => {
      this.#sql("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(key, value);
    });
  }

  // ---- endpoints --------------------------------------------------------------------------------

  async createEndpoint(e: NewEndpoint): Promise<EndpointRecord> {
    return this.#inTransaction("FULL", () => {
      this.#sql(
        `INSERT INTO endpoints (id, url, sealed_url, event_types, tenant, secret, description, rate_limit, disabled, disabled_reason, metadata, created_at, updated_at)
         VALUES (@id, @url, @sealedUrl, @eventTypes, @tenant, @secret, @description, @rateLimit, @disabled, @disabledReason, @metadata, @now, @now)`,
      ).run({
        id: e.id,
        ...urlColumns(e.url, this.#box),
        eventTypes: e.eventTypes === null ? null : JSON.stringify(e.eventTypes),
        tenant: e.tenant,
        secret: this.#box.seal(e.secret),
        description: e.description,
        rateLimit: e.rateLimit,
        disabled: e.disabled ? 1 : 0,
        disabledReason: e.disabled ? "disabled when created" : null,
        metadata: JSON.stringify(e.metadata),
        now: e.now,
      });
      return this.#endpointOrThrow(e.id);
    });
  }

  async getEndpoint(id: string): Promise<EndpointRecord | undefined> {
    const row = this.#endpointRow(id);
    return row === undefined ? undefined : toEndpoint(row);
  }

  async getEndpointSecrets(id: string): Promise<{ secret: string; previous: readonly PreviousSecret[] } | undefined> {
    const row = this.#endpointRow(id);
    if (row === undefined) return undefined;
    return { secret: this.#box.open(row.secret), previous: openPrevious(row.previous_secrets, this.#box) };
  }

  async listEndpoints(query: PageRequest & { tenant?: string; disabled?: boolean }): Promise<Page<EndpointRecord>> {
    return listing.listEndpoints(this.#list, query);
  }

  async updateEndpoint(id: string, patch: EndpointPatch, now: number, disabledReason?: string): Promise<EndpointRecord | undefined> {
    return this.#inTransaction("FULL", () => {
      const current = this.#endpointRow(id);
      if (current === undefined) return undefined;
      const sets: string[] = ["updated_at = @now"];
      const params: Record<string, unknown> = { id, now };
      const set = (column: string, value: unknown): void => {
        sets.push(`${column} = @${column}`);
        params[column] = value;
      };
      if (patch.url !== undefined) {
        const columns = urlColumns(patch.url, this.#box);
        set("url", columns.url);
        set("sealed_url", columns.sealedUrl);
      }
      if (patch.eventTypes !== undefined) set("event_types", patch.eventTypes === null ? null : JSON.stringify(patch.eventTypes));
      if (patch.tenant !== undefined) set("tenant", patch.tenant);
      if (patch.description !== undefined) set("description", patch.description);
      if (patch.rateLimit !== undefined) set("rate_limit", patch.rateLimit);
      if (patch.metadata !== undefined) set("metadata", JSON.stringify(patch.metadata));
      if (patch.secret !== undefined) {
        set("secret", this.#box.seal(patch.secret));
        set("previous_secrets", "[]");
      }
      if (patch.disabled === true && current.disabled === 0) {
        set("disabled", 1);
        set("disabled_reason", disabledReason ?? "disabled via the API");
      } else if (patch.disabled === false && current.disabled === 1) {
        set("disabled", 0);
        set("disabled_reason", null);
        set("failing_since", null);
      }
      this.#sql(`UPDATE endpoints SET ${sets.join(", ")} WHERE id = @id AND deleted_at IS NULL`).run(params);
      return this.#endpointOrThrow(id);
    });
  }

  async deleteEndpoint(id: string, now: number): Promise<boolean> {
    return this.#inTransaction("FULL", () => {
      const changed = this.#sql("UPDATE endpoints SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL").run(
        now,
        now,
        id,
      ).changes;
      if (changed === 0) return false;
      this.#sql(
        `UPDATE deliveries SET status = 'cancelled', next_attempt_at = NULL, lease_token = NULL, failure_reason = 'endpoint deleted', updated_at = ?
           WHERE endpoint_id = ? AND status IN ('pending', 'delivering')`,
      ).run(now, id);
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
    const request = { id, secret, graceUntil, now, expireOldest: options.expireOldest === true };
    return this.#inTransaction("FULL", () =>
      rotateSecret(
        (source) => this.#sql(source),
        this.#box,
        (rid) => this.#endpointOrThrow(rid),
        request,
      ),
    );
  }

  #endpointRow(id: string): EndpointRow | undefined {
    return this.#sql(`SELECT ${ENDPOINT_COLUMNS} FROM endpoints WHERE id = ? AND deleted_at IS NULL`).get(id) as EndpointRow | undefined;
  }

  #endpointOrThrow(id: string): EndpointRecord {
    const row = this.#endpointRow(id);
    if (row === undefined) throw new Error(`endpoint ${id} vanished inside its own transaction`);
    return toEndpoint(row);
  }

  // ---- events -----------------------------------------------------------------------------------

  /** Runs `run` in the next group commit; resolves once that transaction is committed. */
  #enqueue<T>(run: () => T, durable: boolean): Promise<T> {
    if (this.#closed) return Promise.reject(new StoreUnavailableError("the database is closed (the server is shutting down)"));
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ run, durable, resolve: resolve as (result: never) => void, reject });
      if (this.#queue.length === 1) setImmediate(() => this.#flush());
    });
  }

  #flush(): void {
    const batch = this.#queue;
    if (batch.length === 0) return;
    this.#queue = [];
    const durable = batch.some((item) => item.durable);
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      // Durable batches commit with NORMAL and are answered after an fsync off the event loop (WalSync).
      this.#inTransaction(durable && this.#walSync === undefined ? "FULL" : "NORMAL", () => {
        for (const item of batch) {
          try {
            // A nested better-sqlite3 transaction is a savepoint: a failing item rolls back alone.
            outcomes.push({ ok: true, value: this.#savepoint(item.run) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      for (const item of batch) item.reject(asUnavailable(error));
      return;
    }
    const settle = (item: Queued, i: number): void => {
      const outcome = outcomes[i];
      if (outcome?.ok === true) item.resolve(outcome.value as never);
      else item.reject(outcome?.error ?? new Error("lost batch result"));
    };
    if (!durable || this.#walSync === undefined) {
      batch.forEach(settle);
      return;
    }
    // Bookkeeping items need no sync: answer them now; the durable ones once their commit is on disk.
    batch.forEach((item, i) => {
      if (!item.durable) settle(item, i);
    });
    this.#walSync.sync().then(
      () => {
        batch.forEach((item, i) => {
          if (item.durable) settle(item, i);
        });
      },
      (error: unknown) => {
        const failure = new StoreUnavailableError("the commit could not be synced to disk; nothing is confirmed, retry", { cause: error });
        for (const item of batch) if (item.durable) item.reject(failure);
      },
    );
  }

  /** One IMMEDIATE transaction committed with the given durability. */
  #inTransaction<T>(sync: Sync, run: () => T): T {
    if (this.#sync !== sync) {
      this.#db.pragma(`synchronous = ${sync}`);
      this.#sync = sync;
    }
    try {
      return this.#db.transaction(run).immediate();
    } catch (error) {
      throw asUnavailable(error);
    }
  }

  ingest(event: NewEvent): Promise<IngestResult> {
    return this.#enqueue(() => this.#ingestOne(event), true);
  }

  #ingestOne(e: NewEvent): IngestResult {
    const existing = this.#sql("SELECT * FROM events WHERE id = ?").get(e.id) as EventRow | undefined;
    if (existing !== undefined) {
      const event = toEvent(existing);
      if (existing.request_hash !== e.requestHash) return { outcome: "conflict", event };
      const deliveries = this.#sql("SELECT COUNT(*) FROM deliveries WHERE event_id = ?").pluck().get(e.id) as number;
      return { outcome: "duplicate", event, deliveries };
    }
    const seq = Number(
      this.#sql("INSERT INTO events (id, type, tenant, body, request_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)").run(
        e.id,
        e.type,
        e.tenant,
        e.body,
        e.requestHash,
        e.now,
      ).lastInsertRowid,
    );
    const endpoints = this.#sql("SELECT id, event_types, tenant, disabled FROM endpoints WHERE deleted_at IS NULL AND tenant IS ?").all(
      e.tenant,
    ) as Pick<EndpointRow, "id" | "event_types" | "tenant" | "disabled">[];
    const insert = this.#sql(
      `INSERT INTO deliveries (id, event_id, endpoint_id, status, next_attempt_at, failure_reason, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    let deliveries = 0;
    for (const endpoint of endpoints) {
      const eventTypes = endpoint.event_types === null ? null : (JSON.parse(endpoint.event_types) as string[]);
      if (!endpointReceives({ eventTypes, tenant: endpoint.tenant }, e)) continue;
      // A disabled endpoint gets its delivery as a dead letter: "recover" after re-enabling sends it.
      if (endpoint.disabled === 1)
        insert.run(newId("dlv"), e.id, endpoint.id, "failed", null, "endpoint disabled when the event was accepted", e.now, e.now);
      else {
        insert.run(newId("dlv"), e.id, endpoint.id, "pending", e.now, null, e.now, e.now);
        this.#deliveries.arrive(endpoint.id, e.now, true, e.now);
      }
      deliveries++;
    }
    const event: EventRecord = {
      seq,
      id: e.id,
      type: e.type,
      tenant: e.tenant,
      body: e.body,
      requestHash: e.requestHash,
      createdAt: e.now,
    };
    return { outcome: "created", event, deliveries };
  }

  async getEvent(id: string): Promise<EventRecord | undefined> {
    const row = this.#sql("SELECT * FROM events WHERE id = ?").get(id) as EventRow | undefined;
    return row === undefined ? undefined : toEvent(row);
  }

  async listEvents(query: PageRequest & { type?: string; tenant?: string; since?: number }): Promise<Page<EventRecord>> {
    return listing.listEvents(this.#list, query);
  }

  async listDeliveries(eventId: string): Promise<readonly DeliveryRecord[]> {
    const rows = this.#sql("SELECT * FROM deliveries WHERE event_id = ? ORDER BY seq").all(eventId) as DeliveryRow[];
    return rows.map(toDelivery);
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
    return this.#inTransaction("FULL", (): ReplayResult => {
      const event = this.#sql("SELECT type, tenant FROM events WHERE id = ?").get(eventId) as Pick<EventRow, "type" | "tenant"> | undefined;
      if (event === undefined) return { outcome: "event_not_found" };
      if (endpointId !== undefined) {
        const endpoint = this.#endpointRow(endpointId);
        if (endpoint === undefined) return { outcome: "endpoint_not_found" };
        if (!endpointReceives(toEndpoint(endpoint), event)) return { outcome: "not_subscribed" };
        const existing = this.#sql("SELECT * FROM deliveries WHERE event_id = ? AND endpoint_id = ?").get(eventId, endpointId) as
          | DeliveryRow
          | undefined;
        if (existing === undefined) {
          this.#sql(
            `INSERT INTO deliveries (id, event_id, endpoint_id, status, next_attempt_at, created_at, updated_at)
               VALUES (?, ?, ?, 'pending', ?, ?, ?)`,
          ).run(newId("dlv"), eventId, endpointId, now, now, now);
          this.#deliveries.arrive(endpointId, now, true, now);
          return { outcome: "ok", scheduled: 1 };
        }
        this.#rearm(existing, now);
        return { outcome: "ok", scheduled: 1 };
      }
      const rows = this.#sql(
        `SELECT d.* FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
           WHERE d.event_id = ? AND e.deleted_at IS NULL ORDER BY d.seq`,
      ).all(eventId) as DeliveryRow[];
      for (const row of rows) this.#rearm(row, now);
      return { outcome: "ok", scheduled: rows.length };
    });
  }

  /** The replay rule (see Store.replay): at most one extra attempt per delivery at a time, and never a used-up retry. */
  #rearm(row: DeliveryRow, now: number): void {
    if (row.status !== "delivering") this.#deliveries.arrive(row.endpoint_id, now, true, now);
    if (row.status === "pending") {
      // Waiting for a retry: due now, remembering the retry. Already due (or already replayed): as is.
      this.#sql(
        `UPDATE deliveries SET replay_resume_at = next_attempt_at, next_attempt_at = ?, updated_at = ?
           WHERE id = ? AND next_attempt_at > ? AND replay_resume_at IS NULL`,
      ).run(now, now, row.id, now);
    } else if (row.status !== "delivering") {
      this.#sql(
        `UPDATE deliveries SET status = 'pending', next_attempt_at = ?, schedule_base = attempts, internal_errors = 0,
             failure_reason = NULL, lease_token = NULL, replay_resume_at = NULL, updated_at = ? WHERE id = ?`,
      ).run(now, now, row.id);
    }
  }

  async recover(endpointId: string, since: number, until: number, now: number): Promise<number | undefined> {
    return this.#inTransaction("FULL", () => {
      if (this.#endpointRow(endpointId) === undefined) return undefined;
      const changed = this.#sql(
        `UPDATE deliveries SET status = 'pending', next_attempt_at = @now, schedule_base = attempts, internal_errors = 0,
             failure_reason = NULL, replay_resume_at = NULL, updated_at = @now
           WHERE endpoint_id = @endpointId AND status = 'failed' AND created_at >= @since AND created_at < @until`,
      ).run({ endpointId, since, until, now }).changes;
      if (changed > 0) this.#deliveries.arrive(endpointId, now, true, now);
      return changed;
    });
  }

  // ---- the queue (SQL in queue.ts) ---------------------------------------------------------------

  /**
   * Claims ride in the group commit with the ingests and completions queued in the same tick: a
   * claim right after completions shares their transaction (and sees their freed leases) instead of
   * paying for a commit of its own.
   */
  claim(request: ClaimRequest): Promise<ClaimedDelivery[]> {
    if (request.limit <= 0) return Promise.resolve([]);
    return this.#enqueue(() => this.#deliveries.claim(request), false);
  }

  complete(request: CompleteRequest): Promise<CompleteResult> {
    return this.#enqueue(() => this.#deliveries.complete(request), false);
  }

  release(deliveryId: string, leaseToken: string, now: number): Promise<boolean> {
    return this.#enqueue(() => this.#deliveries.release(deliveryId, leaseToken, now), false);
  }

  async nextDueAt(exclude: readonly string[]): Promise<number | null> {
    return this.#deliveries.nextDueAt(exclude);
  }

  async stats(now: number): Promise<QueueStats> {
    const row = this.#sql(
      `SELECT
           (SELECT COUNT(*) FROM deliveries WHERE status IN ('pending', 'delivering')) AS depth,
           (SELECT MIN(next_attempt_at) FROM deliveries WHERE status = 'pending' AND next_attempt_at <= @now) AS oldest,
           (SELECT COUNT(*) FROM deliveries WHERE status = 'failed') AS dead`,
    ).get({ now }) as { depth: number; oldest: number | null; dead: number };
    return { depth: row.depth, oldestDueAt: row.oldest, deadLetters: row.dead };
  }

  async purge(before: number, limit: number): Promise<number> {
    return this.#inTransaction("NORMAL", () => {
      const ids = this.#sql(
        `SELECT id FROM events ev WHERE created_at < ?
             AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = ev.id AND d.status IN ('pending', 'delivering'))
           ORDER BY seq LIMIT ?`,
      )
        .pluck()
        .all(before, limit) as string[];
      if (ids.length === 0) return 0;
      const list = JSON.stringify(ids);
      this.#sql("DELETE FROM attempts WHERE event_id IN (SELECT value FROM json_each(?))").run(list);
      this.#sql("DELETE FROM deliveries WHERE event_id IN (SELECT value FROM json_each(?))").run(list);
      return this.#sql("DELETE FROM events WHERE id IN (SELECT value FROM json_each(?))").run(list).changes;
    });
  }
}

/** SQLite errors that mean "not now" rather than "wrong": locked, I/O failure, disk full, read-only. */
const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|READONLY|CANTOPEN|NOMEM)/;

function asUnavailable(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && UNAVAILABLE_CODES.test(code)) {
    return new StoreUnavailableError(`the SQLite database cannot take the write right now (${code})`, { cause: error });
  }
  return error;
}
