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
import { SecretBox } from "../secret-box.js";
import { endpointActivity } from "./activity.js";
import { Batcher } from "./batcher.js";
import { completeBatch } from "./completion.js";
import { PgConnection, type PgConnectionOptions } from "./connection.js";
import * as endpoints from "./endpoints.js";
import * as events from "./events.js";
import * as listing from "./listing.js";
import * as pins from "./pins.js";
import { migrate } from "./migrate.js";
import { claimIn, nextDueAt, release, stats } from "./queue.js";
import { recover, replay, replayDeliveries } from "./rearm.js";
import { purge } from "./retention.js";
import * as tokens from "./tokens.js";

export interface PgStoreOptions extends PgConnectionOptions {
  readonly masterKey?: Buffer | undefined;
}

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
 * - Layout: this class only routes each call; the pool and transactions are in connection.ts, the
 *   SQL by aggregate in endpoints.ts, ingest.ts (events and their fan-out), rearm.ts (replay,
 *   recover), queue.ts (claims, turns, stats), completion.ts (attempt results and endpoint health),
 *   retention.ts, listing.ts (the lists) and migrate.ts.
 * - Outages surface as StoreUnavailableError (503 on the API, backoff in the worker); deadlocks and
 *   serialization failures are retried.
 */
export class PgStore implements Store {
  readonly kind = "postgres";
  readonly #db: PgConnection;
  readonly #box: SecretBox;
  readonly #ingests: Batcher<NewEvent, IngestResult>;
  readonly #completions: Batcher<CompleteRequest, CompleteResult>;

  constructor(options: PgStoreOptions) {
    this.#db = new PgConnection(options);
    this.#box = new SecretBox(options.masterKey);
    this.#ingests = new Batcher((items) => events.ingestBatch(this.#db, items), { maxBatch: 500, parallel: 2 });
    this.#completions = new Batcher((items) => completeBatch(this.#db, items), { maxBatch: 500, parallel: 2 });
  }

  get schema(): string {
    return this.#db.schema;
  }

  // ---- lifecycle --------------------------------------------------------------------------------

  migrate(): Promise<MigrationReport> {
    return migrate(this.#db, this.#box);
  }

  applyCatalog(newest: Readonly<Record<string, number>>): Promise<CatalogApplied> {
    return pins.applyCatalog(this.#db, newest);
  }

  pinnedVersionCounts(): Promise<PinnedVersionCount[]> {
    return pins.pinnedVersionCounts(this.#db.query);
  }

  pinnedEndpoints(type: string, version: number): Promise<PinnedEndpoint[]> {
    return pins.pinnedEndpoints(this.#db.query, type, version);
  }

  watch(onWork: () => void): void {
    this.#db.watch(onWork);
  }

  async ping(): Promise<void> {
    await this.#db.query("SELECT 1");
  }

  close(): Promise<void> {
    return this.#db.close();
  }

  // ---- meta -------------------------------------------------------------------------------------

  async getMeta(key: string): Promise<string | undefined> {
    return (await this.#db.query<{ value: string }>("SELECT value FROM meta WHERE key = $1", [key]))[0]?.value;
  }

  async setMetaIfAbsent(key: string, value: string): Promise<string> {
    // A no-op DO UPDATE returns the stored row even when a concurrent transaction inserted it first
    // (DO NOTHING would return nothing, and a second SELECT in the same statement could not see it).
    const rows = await this.#db.write<{ value: string }>(
      "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = meta.value RETURNING value",
      [key, value],
    );
    const stored = rows[0]?.value;
    if (stored === undefined) throw new Error(`meta key ${key} vanished`);
    return stored;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.#db.write("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [
      key,
      value,
    ]);
  }

  // ---- tokens (tokens.ts) -----------------------------------------------------------------------

  createToken(token: NewToken): Promise<TokenRecord> {
    return tokens.createToken(this.#db, token);
  }

  tokenByHash(hash: string): Promise<TokenRecord | undefined> {
    return tokens.tokenByHash(this.#db.query, hash);
  }

  listTokens(query: PageRequest): Promise<Page<TokenRecord>> {
    return listing.listTokens(this.#db.query, query);
  }

  revokeToken(id: string, now: number): Promise<boolean> {
    return tokens.revokeToken(this.#db, id, now);
  }

  touchToken(id: string, now: number, minIntervalMs: number): Promise<void> {
    return tokens.touchToken(this.#db.query, id, now, minIntervalMs);
  }

  createPortalCode(code: NewPortalCode): Promise<void> {
    return tokens.createPortalCode(this.#db, code);
  }

  redeemPortalCode(
    hash: string,
    session: { id: string; hash: string; description: string; now: number },
  ): Promise<TokenRecord | undefined> {
    return tokens.redeemPortalCode(this.#db, hash, session);
  }

  // ---- endpoints (endpoints.ts) -----------------------------------------------------------------

  createEndpoint(e: NewEndpoint): Promise<EndpointRecord> {
    return endpoints.createEndpoint(this.#db, this.#box, e);
  }

  getEndpoint(id: string): Promise<EndpointRecord | undefined> {
    return endpoints.getEndpoint(this.#db.query, id);
  }

  getEndpointSecrets(id: string): Promise<{ secret: string; previous: readonly PreviousSecret[] } | undefined> {
    return endpoints.endpointSecrets(this.#db.query, this.#box, id);
  }

  listEndpoints(query: PageRequest & { tenant?: string; disabled?: boolean }): Promise<Page<EndpointRecord>> {
    return listing.listEndpoints(this.#db.query, query);
  }

  updateEndpoint(id: string, patch: EndpointPatch, now: number, disabledReason?: string): Promise<EndpointRecord | undefined> {
    return endpoints.updateEndpoint(this.#db, this.#box, { id, patch, now, disabledReason });
  }

  deleteEndpoint(id: string, now: number): Promise<boolean> {
    return endpoints.deleteEndpoint(this.#db, id, now);
  }

  rotateSecret(
    id: string,
    secret: string,
    graceUntil: number,
    now: number,
    options: { expireOldest?: boolean } = {},
  ): Promise<RotateResult | undefined> {
    const request = { id, secret, graceUntil, now, expireOldest: options.expireOldest === true };
    return this.#db.tx(async (client) => endpoints.rotateSecret(client, this.#box, request));
  }

  // ---- events (ingest.ts, rearm.ts) -------------------------------------------------------------

  async ingest(event: NewEvent): Promise<IngestResult> {
    this.#db.checkOpen();
    return this.#ingests.submit(event);
  }

  getEvent(id: string): Promise<EventRecord | undefined> {
    return events.getEvent(this.#db.query, id);
  }

  listEvents(query: EventQuery): Promise<Page<EventRecord>> {
    return listing.listEvents(this.#db.query, query);
  }

  listDeliveries(eventId: string): Promise<readonly DeliveryRecord[]> {
    return events.listDeliveries(this.#db.query, eventId);
  }

  findDeliveries(query: DeliveryQuery): Promise<Page<DeliveryRecord & { seq: number }>> {
    return listing.findDeliveries(this.#db.query, query);
  }

  endpointActivity(endpointIds: readonly string[], since: number): Promise<ReadonlyMap<string, EndpointActivity>> {
    return endpointActivity(this.#db.query, endpointIds, since);
  }

  listAttempts(query: PageRequest & { eventId?: string; endpointId?: string; tenant?: string }): Promise<Page<AttemptRecord>> {
    return listing.listAttempts(this.#db.query, query);
  }

  replay(eventId: string, endpointId: string | undefined, now: number): Promise<ReplayResult> {
    return replay(this.#db, eventId, endpointId, now);
  }

  replayDeliveries(deliveryIds: readonly string[], now: number): Promise<ReplayDeliveriesResult> {
    return replayDeliveries(this.#db, deliveryIds, now);
  }

  recover(endpointId: string, since: number, until: number, now: number): Promise<number | undefined> {
    return recover(this.#db, endpointId, since, until, now);
  }

  // ---- the queue (queue.ts, completion.ts, retention.ts) ----------------------------------------

  /** See claimIn (queue.ts): endpoints take turns from the endpoints_turn index. */
  async claim(request: ClaimRequest): Promise<ClaimedDelivery[]> {
    if (request.limit <= 0) return [];
    return this.#db.queueTx((client) => claimIn(client, request, this.#box));
  }

  async complete(request: CompleteRequest): Promise<CompleteResult> {
    this.#db.checkOpen();
    return this.#completions.submit(request);
  }

  release(deliveryId: string, leaseToken: string, now: number): Promise<boolean> {
    return release(this.#db, deliveryId, leaseToken, now);
  }

  nextDueAt(exclude: readonly string[]): Promise<number | null> {
    return nextDueAt(this.#db.query, exclude);
  }

  stats(now: number): Promise<QueueStats> {
    return stats(this.#db.query, now);
  }

  purge(before: number, limit: number): Promise<number> {
    return purge(this.#db, before, limit);
  }
}
