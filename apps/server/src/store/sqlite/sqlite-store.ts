import type {
  AttemptRecord,
  CatalogApplied,
  ClaimedDelivery,
  ClaimRequest,
  CompleteRequest,
  CompleteResult,
  DeliveryQuery,
  DeliveryRecord,
  EndpointActivity,
  EndpointPatch,
  EndpointRecord,
  EventQuery,
  EventRecord,
  IngestResult,
  MigrationReport,
  NewEndpoint,
  NewEvent,
  Page,
  PageRequest,
  PinnedEndpoint,
  PinnedVersionCount,
  PreviousSecret,
  QueueStats,
  ReplayDeliveriesResult,
  ReplayResult,
  NewPortalCode,
  NewToken,
  RotateResult,
  Store,
  TokenRecord,
} from "../store.js";
import { SchemaTooNewError } from "../errors.js";
import { toEndpoint } from "../rows.js";
import { SecretBox } from "../secret-box.js";
import { SqliteConnection } from "./connection.js";
import { endpointActivity } from "./activity.js";
import * as endpoints from "./endpoints.js";
import * as events from "./events.js";
import * as listing from "./listing.js";
import { MIGRATIONS } from "./migrations.js";
import * as pins from "./pins.js";
import { SqliteQueue } from "./queue.js";
import { recover, replay, replayDeliveries } from "./rearm.js";
import { purge } from "./retention.js";
import * as tokens from "./tokens.js";

export interface SqliteStoreOptions {
  readonly path: string;
  readonly masterKey?: Buffer | undefined;
}

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
 * This class only chooses the transaction of each call; the connection, transactions and group
 * commit are in connection.ts, and the SQL by aggregate in endpoints.ts, events.ts (ingest and
 * reads), rearm.ts (replay, recover), queue.ts (claims, results, turns, stats), retention.ts and
 * listing.ts (the lists).
 *
 * better-sqlite3 is synchronous, so every method runs atomically with respect to the others in this
 * process; transactions are still used wherever several statements must commit together.
 */
export class SqliteStore implements Store {
  readonly kind = "sqlite";
  readonly #db: SqliteConnection;
  readonly #box: SecretBox;
  readonly #queue: SqliteQueue;

  constructor(options: SqliteStoreOptions) {
    this.#db = new SqliteConnection(options.path);
    this.#box = new SecretBox(options.masterKey);
    this.#queue = new SqliteQueue(this.#db.sql, this.#box);
  }

  async migrate(): Promise<MigrationReport> {
    const { db, sql } = this.#db;
    // IMMEDIATE takes the write lock first: two processes starting on one file apply each version once.
    const report = this.#db.inTransaction("FULL", () => {
      db.exec(
        "CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT",
      );
      const applied = new Set(sql("SELECT version FROM migrations").pluck().all() as number[]);
      const known = Math.max(...MIGRATIONS.map((m) => m.version));
      const found = Math.max(0, ...applied);
      if (found > known) throw new SchemaTooNewError(this.#db.path, found, known);
      const now: number[] = [];
      for (const migration of MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        db.exec(migration.sql);
        sql("INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)").run(migration.version, migration.name, Date.now());
        now.push(migration.version);
      }
      return { applied: now, version: Math.max(found, ...now) };
    });
    // URLs still stored in clear get masked and sealed; the WAL keeps copies of the old pages until truncated.
    const sealed = this.#db.inTransaction("FULL", () => endpoints.protectEndpointUrls(db, sql, this.#box));
    if (sealed > 0) db.pragma("wal_checkpoint(TRUNCATE)");
    return report;
  }

  async applyCatalog(newest: Readonly<Record<string, number>>): Promise<CatalogApplied> {
    return this.#db.inTransaction("FULL", () => pins.applyCatalog(this.#db.sql, newest));
  }

  async pinnedVersionCounts(): Promise<PinnedVersionCount[]> {
    return pins.pinnedVersionCounts(this.#db.sql);
  }

  async pinnedEndpoints(type: string, version: number): Promise<PinnedEndpoint[]> {
    return pins.pinnedEndpoints(this.#db.sql, type, version);
  }

  watch(): void {
    // One process per database file: the process that queues work wakes its own worker.
  }

  async ping(): Promise<void> {
    if (this.#db.closed) throw new Error("the database is closed");
    this.#db.sql("SELECT 1").get();
  }

  close(): Promise<void> {
    return this.#db.close();
  }

  /** The integrity check's answer ("ok" when sound); for operators and the crash test. */
  integrityCheck(): string {
    return (this.#db.db.pragma("integrity_check", { simple: true }) as string | undefined) ?? "no answer";
  }

  // ---- meta -------------------------------------------------------------------------------------

  async getMeta(key: string): Promise<string | undefined> {
    return this.#db.sql("SELECT value FROM meta WHERE key = ?").pluck().get(key) as string | undefined;
  }

  async setMetaIfAbsent(key: string, value: string): Promise<string> {
    return this.#db.inTransaction("FULL", () => {
      this.#db.sql("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING").run(key, value);
      return this.#db.sql("SELECT value FROM meta WHERE key = ?").pluck().get(key) as string;
    });
  }

  async setMeta(key: string, value: string): Promise<void> {
    this.#db.inTransaction("FULL", () => {
      this.#db.sql("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(key, value);
    });
  }

  // ---- tokens (tokens.ts) -----------------------------------------------------------------------

  async createToken(token: NewToken): Promise<TokenRecord> {
    return this.#db.inTransaction("FULL", () => tokens.createToken(this.#db.sql, token));
  }

  async tokenByHash(hash: string): Promise<TokenRecord | undefined> {
    return tokens.tokenByHash(this.#db.sql, hash);
  }

  async listTokens(query: PageRequest): Promise<Page<TokenRecord>> {
    return listing.listTokens(this.#db.sql, query);
  }

  async revokeToken(id: string, now: number): Promise<boolean> {
    return this.#db.inTransaction("FULL", () => tokens.revokeToken(this.#db.sql, id, now));
  }

  async touchToken(id: string, now: number, minIntervalMs: number): Promise<void> {
    // A last-used time is bookkeeping: no fsync for it.
    this.#db.inTransaction("NORMAL", () => tokens.touchToken(this.#db.sql, id, now, minIntervalMs));
  }

  async createPortalCode(code: NewPortalCode): Promise<void> {
    this.#db.inTransaction("FULL", () => tokens.createPortalCode(this.#db.sql, code));
  }

  async redeemPortalCode(
    hash: string,
    session: { id: string; hash: string; description: string; now: number },
  ): Promise<TokenRecord | undefined> {
    return this.#db.inTransaction("FULL", () => tokens.redeemPortalCode(this.#db.sql, hash, session));
  }

  // ---- endpoints (endpoints.ts) -----------------------------------------------------------------

  async createEndpoint(e: NewEndpoint): Promise<EndpointRecord> {
    return this.#db.inTransaction("FULL", () => endpoints.createEndpoint(this.#db.sql, this.#box, e));
  }

  async getEndpoint(id: string): Promise<EndpointRecord | undefined> {
    const row = endpoints.endpointRow(this.#db.sql, id);
    return row === undefined ? undefined : toEndpoint(row);
  }

  async getEndpointSecrets(id: string): Promise<{ secret: string; previous: readonly PreviousSecret[] } | undefined> {
    return endpoints.endpointSecrets(this.#db.sql, this.#box, id);
  }

  async listEndpoints(query: PageRequest & { tenant?: string; disabled?: boolean }): Promise<Page<EndpointRecord>> {
    return listing.listEndpoints(this.#db.sql, query);
  }

  async updateEndpoint(id: string, patch: EndpointPatch, now: number, disabledReason?: string): Promise<EndpointRecord | undefined> {
    return this.#db.inTransaction("FULL", () => endpoints.updateEndpoint(this.#db.sql, this.#box, { id, patch, now, disabledReason }));
  }

  async deleteEndpoint(id: string, now: number): Promise<boolean> {
    return this.#db.inTransaction("FULL", () => endpoints.deleteEndpoint(this.#db.sql, id, now));
  }

  async rotateSecret(
    id: string,
    secret: string,
    graceUntil: number,
    now: number,
    options: { expireOldest?: boolean } = {},
  ): Promise<RotateResult | undefined> {
    const request = { id, secret, graceUntil, now, expireOldest: options.expireOldest === true };
    return this.#db.inTransaction("FULL", () => endpoints.rotateSecret(this.#db.sql, this.#box, request));
  }

  // ---- events (events.ts, rearm.ts) -------------------------------------------------------------

  ingest(event: NewEvent): Promise<IngestResult> {
    return this.#db.enqueue(() => events.ingest(this.#db.sql, event), true);
  }

  async getEvent(id: string): Promise<EventRecord | undefined> {
    return events.getEvent(this.#db.sql, id);
  }

  async listEvents(query: EventQuery): Promise<Page<EventRecord>> {
    return listing.listEvents(this.#db.sql, query);
  }

  async listDeliveries(eventId: string): Promise<readonly DeliveryRecord[]> {
    return events.listDeliveries(this.#db.sql, eventId);
  }

  async findDeliveries(query: DeliveryQuery): Promise<Page<DeliveryRecord & { seq: number }>> {
    return listing.findDeliveries(this.#db.sql, query);
  }

  async endpointActivity(endpointIds: readonly string[], since: number): Promise<ReadonlyMap<string, EndpointActivity>> {
    return endpointActivity(this.#db.sql, endpointIds, since);
  }

  async listAttempts(query: PageRequest & { eventId?: string; endpointId?: string; tenant?: string }): Promise<Page<AttemptRecord>> {
    return listing.listAttempts(this.#db.sql, query);
  }

  async replay(eventId: string, endpointId: string | undefined, now: number): Promise<ReplayResult> {
    return this.#db.inTransaction("FULL", () => replay(this.#db.sql, eventId, endpointId, now));
  }

  async replayDeliveries(deliveryIds: readonly string[], now: number): Promise<ReplayDeliveriesResult> {
    return this.#db.inTransaction("FULL", () => replayDeliveries(this.#db.sql, deliveryIds, now));
  }

  async recover(endpointId: string, since: number, until: number, now: number): Promise<number | undefined> {
    return this.#db.inTransaction("FULL", () => recover(this.#db.sql, endpointId, since, until, now));
  }

  // ---- the queue (queue.ts, retention.ts) -------------------------------------------------------

  /**
   * Claims ride in the group commit with the ingests and completions queued in the same tick: a
   * claim right after completions shares their transaction (and sees their freed leases) instead of
   * paying for a commit of its own.
   */
  claim(request: ClaimRequest): Promise<ClaimedDelivery[]> {
    if (request.limit <= 0) return Promise.resolve([]);
    return this.#db.enqueue(() => this.#queue.claim(request), false);
  }

  complete(request: CompleteRequest): Promise<CompleteResult> {
    return this.#db.enqueue(() => this.#queue.complete(request), false);
  }

  release(deliveryId: string, leaseToken: string, now: number): Promise<boolean> {
    return this.#db.enqueue(() => this.#queue.release(deliveryId, leaseToken, now), false);
  }

  async nextDueAt(exclude: readonly string[]): Promise<number | null> {
    return this.#queue.nextDueAt(exclude);
  }

  async stats(now: number): Promise<QueueStats> {
    return this.#queue.stats(now);
  }

  async purge(before: number, limit: number): Promise<number> {
    return this.#db.inTransaction("NORMAL", () => purge(this.#db.sql, before, limit));
  }
}
