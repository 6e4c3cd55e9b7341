/**
 * The storage contract between the HTTP/worker code and SQL. Every method is async so a networked
 * backend (PostgreSQL, next) can implement the same interface with the same behaviour; all SQL lives
 * behind it (SqliteStore, PgStore). Times are epoch milliseconds; the HTTP layer renders them as RFC 3339.
 *
 * Data model:
 * - endpoint: a subscriber URL with its routing (event types, tenant), signing secret(s) and health.
 * - event: one accepted message; `body` holds the exact envelope bytes signed and sent on every attempt.
 * - delivery: one (event, endpoint) pair — the queue item. At most one row per pair: replay and
 *   recover re-arm the same row, which is what makes concurrent replays collapse into one attempt.
 * - attempt: one HTTP request made for a delivery (history; never updated).
 * - pin: the version of one event type an endpoint receives (src/domain/pinning.ts); one per
 *   (endpoint, type). Events record the version they were sent in, deliveries the version they are
 *   sent in.
 *
 * Lists take a `PageRequest` (src/store/paging.ts): a page is bounded by rows and by stored bytes.
 *
 * Delivery states: `pending` (due at `nextAttemptAt`) → `delivering` (leased; `nextAttemptAt` is
 * then the lease expiry, after which any worker may claim it again) → `delivered` | `pending` (retry)
 * | `failed` (dead letter; `failureReason`). `cancelled` when its endpoint was deleted.
 */

import type { NextState } from "../domain/attempt-outcome.js";
import type { EndpointActivity } from "../domain/endpoint-activity.js";
import type { HealthSignal } from "../domain/endpoint-health.js";
import type { Page, PageRequest } from "./paging.js";

export type { NextState } from "../domain/attempt-outcome.js";
export type { EndpointActivity } from "../domain/endpoint-activity.js";
export type { HealthSignal } from "../domain/endpoint-health.js";

export type { Page, PageRequest } from "./paging.js";

export type DeliveryStatus = "pending" | "delivering" | "delivered" | "failed" | "cancelled";

export interface PreviousSecret {
  readonly secret: string;
  /** Until when deliveries are also signed with this secret (epoch ms). */
  readonly expiresAt: number;
}

export interface EndpointRecord {
  readonly seq: number;
  readonly id: string;
  /** The URL as shown: credentials and query values masked (domain/endpoint-url.ts). The real URL
   * is stored sealed and only opened for attempts (ClaimedDelivery.endpoint.url). */
  readonly url: string;
  /** Exact types and trailing wildcards (`order.*`); null = every type. */
  readonly eventTypes: readonly string[] | null;
  readonly tenant: string | null;
  readonly description: string | null;
  /** Deliveries per second; null = unlimited. */
  readonly rateLimit: number | null;
  readonly disabled: boolean;
  readonly disabledReason: string | null;
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Start of the current run of failed attempts; null after any success. */
  readonly failingSince: number | null;
  /** The version of each event type this endpoint receives, by type. */
  readonly pins: Readonly<Record<string, number>>;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface NewEndpoint {
  readonly id: string;
  /** The real URL, credentials included: the store masks and seals it. */
  readonly url: string;
  readonly eventTypes: readonly string[] | null;
  readonly tenant: string | null;
  readonly secret: string;
  readonly description: string | null;
  readonly rateLimit: number | null;
  readonly disabled: boolean;
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Its pins (src/domain/pinning.ts `initialPins`); absent = none until the next `applyCatalog`. */
  readonly pins?: Readonly<Record<string, number>>;
  readonly now: number;
}

export interface EndpointPatch {
  /** A new real URL (replaces the stored one, credentials included). */
  readonly url?: string;
  readonly eventTypes?: readonly string[] | null;
  readonly tenant?: string | null;
  readonly description?: string | null;
  readonly rateLimit?: number | null;
  readonly disabled?: boolean;
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** Replaces the secret at once (no grace period: use rotateSecret for one). */
  readonly secret?: string;
  /** Pins to set (a partial map: types not named keep their pin). */
  readonly pins?: Readonly<Record<string, number>>;
}

export interface EventRecord {
  readonly seq: number;
  readonly id: string;
  readonly type: string;
  readonly tenant: string | null;
  /** The version the producer sent; null for an event of a type no longer in the catalog stored before versions were recorded. */
  readonly version: number | null;
  /** The envelope `{"type","version","timestamp","data"}` exactly as accepted (and sent to endpoints pinned to `version`). */
  readonly body: Buffer;
  /** sha256 of the canonical request (type, tenant, payload): tells a retry from a different event with the same id. */
  readonly requestHash: string;
  readonly createdAt: number;
}

export interface NewEvent {
  readonly id: string;
  readonly type: string;
  readonly tenant: string | null;
  /** The version the producer sent; absent = not known (stored as null, sent as stored). */
  readonly version?: number;
  readonly body: Buffer;
  readonly requestHash: string;
  readonly now: number;
}

export type IngestResult =
  | { readonly outcome: "created"; readonly event: EventRecord; readonly deliveries: number }
  | { readonly outcome: "duplicate"; readonly event: EventRecord; readonly deliveries: number }
  | { readonly outcome: "conflict"; readonly event: EventRecord };

export interface DeliveryRecord {
  readonly id: string;
  readonly eventId: string;
  readonly endpointId: string;
  readonly status: DeliveryStatus;
  /** The version the delivery is sent in: its endpoint's pin at fan-out (replay and recover reset it to the current pin). */
  readonly version: number | null;
  /** HTTP attempts made, all time. */
  readonly attempts: number;
  /** Due time when pending (lease expiry when delivering); null when final. */
  readonly nextAttemptAt: number | null;
  readonly lastAttemptAt: number | null;
  readonly failureReason: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface AttemptRecord {
  readonly seq: number;
  readonly id: string;
  readonly deliveryId: string;
  readonly eventId: string;
  readonly endpointId: string;
  readonly status: "succeeded" | "failed";
  readonly statusCode: number | null;
  readonly durationMs: number;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  /** Capped (see Config.responseBodyLimit). */
  readonly responseBody: string;
  /**
   * The request headers sent, with every signature and credential redacted
   * (src/domain/attempt-headers.ts); null for attempts recorded before they were kept.
   */
  readonly requestHeaders: Readonly<Record<string, string>> | null;
  /** The response headers as received (untrusted text), capped at 8 KiB; null without a response. */
  readonly responseHeaders: Readonly<Record<string, string>> | null;
  /** Some response headers were left out (or cut) by the cap. */
  readonly responseHeadersTruncated: boolean;
  readonly createdAt: number;
}

type AttemptHeaders = "requestHeaders" | "responseHeaders" | "responseHeadersTruncated";

/** An attempt to record; the headers are optional (absent = not known, stored as null). */
export type NewAttempt = Omit<AttemptRecord, "seq" | AttemptHeaders> & Partial<Pick<AttemptRecord, AttemptHeaders>>;

/** `GET /v1/events` filters; times are epoch ms, `until` exclusive. */
export interface EventQuery extends PageRequest {
  readonly type?: string;
  readonly tenant?: string;
  readonly since?: number;
  readonly until?: number;
  /** Events with at least one delivery in this status. */
  readonly status?: DeliveryStatus;
  /** Events with a delivery to this endpoint. */
  readonly endpointId?: string;
  /** List order by position; default oldest first ("asc"), the polling order. */
  readonly order?: "asc" | "desc";
}

/** `GET /v1/deliveries` filters (newest first); times are epoch ms, `until` exclusive. */
export interface DeliveryQuery extends PageRequest {
  readonly status?: DeliveryStatus;
  readonly endpointId?: string;
  readonly eventId?: string;
  /** Deliveries of events sent with this tenant. */
  readonly tenant?: string;
  /** Created at or after. */
  readonly since?: number;
  /** Created before. */
  readonly until?: number;
  /** Changed (created, attempted, re-armed) strictly after: live polling. */
  readonly updatedAfter?: number;
}

/** What `replayDeliveries` did. */
export interface ReplayDeliveriesResult {
  /** Deliveries re-armed by the replay rule (one already due or in flight counts, left as is). */
  readonly scheduled: number;
  /** Ids asked for that do not exist, or whose endpoint was deleted. */
  readonly notFound: readonly string[];
}

export interface ClaimRequest {
  readonly now: number;
  readonly leaseMs: number;
  /** Written into each claimed row; completing or releasing must present it (fencing). */
  readonly leaseToken: string;
  /** Most deliveries to claim in total. */
  readonly limit: number;
  /** Most deliveries in flight for one endpoint, counting every live lease on it (all workers, all instances). */
  readonly perEndpoint: number;
  /** Endpoints not to consider at all (saturated or rate-limited right now). */
  readonly exclude: readonly string[];
  /** How many more deliveries the caller will take for this endpoint now (in-flight cap, rate limit). */
  readonly budget: (endpointId: string, rateLimit: number | null) => number;
  /**
   * When the caller's rate limit next lets this endpoint send, if it has no token now (else null). A
   * store without rate-limit state of its own parks an endpoint served without a token until then.
   */
  readonly tokenAt?: (endpointId: string, rateLimit: number) => number | null;
}

/** Everything one attempt needs, read in the claiming transaction. */
export interface ClaimedDelivery {
  readonly deliveryId: string;
  readonly leaseToken: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly eventCreatedAt: number;
  /** The stored envelope, in the version the event was sent in (`eventVersion`). */
  readonly body: Buffer;
  readonly eventVersion: number | null;
  /** The version to send: the body is converted to it when it differs from `eventVersion`. */
  readonly version: number | null;
  /** Attempts made before this one, all time. */
  readonly attempts: number;
  /** Attempts made before this one since the delivery was (re-)armed: indexes the retry schedule. */
  readonly attemptsInRun: number;
  readonly internalErrors: number;
  /**
   * Set when this is a replay's extra attempt of a delivery that was waiting for a retry: the time
   * of that retry, which the delivery goes back to if this attempt fails (see `replay`).
   */
  readonly replayResumeAt: number | null;
  readonly endpoint: {
    readonly id: string;
    /** The masked URL: safe to log. */
    readonly displayUrl: string;
    /** The real URL, credentials included (opened from its sealed form). Throws when it cannot be read. */
    readonly url: () => string;
    readonly rateLimit: number | null;
    /** Current secret first, then previous ones still in their grace period at claim time. Throws
     * when a stored secret cannot be read (an internal error for this delivery only). */
    readonly signingSecrets: () => string[];
  };
}

export interface CompleteRequest {
  readonly deliveryId: string;
  readonly leaseToken: string;
  readonly now: number;
  /** The HTTP attempt to record; absent for an internal error where no request was made. */
  readonly attempt?: NewAttempt;
  /** An internal error (database, signing): counted apart from attempts. */
  readonly internalError?: boolean;
  /** The attempt was a replay's extra attempt: it counts in `attempts` but not toward the retry schedule. */
  readonly outsideSchedule?: boolean;
  /**
   * The attempt row records a failure on our side before any request (a conversion that failed):
   * written to the history, not counted in `attempts` (domain/attempt-outcome.ts afterConversionFailure).
   */
  readonly uncounted?: boolean;
  readonly next: NextState;
  readonly health?: HealthSignal;
}

export interface CompleteResult {
  /** False when the lease was lost (another worker reclaimed the delivery): nothing but the attempt was written. */
  readonly applied: boolean;
  /** Set when this completion disabled the endpoint. */
  readonly endpointDisabled?: string;
}

export type RotateResult =
  /** `expired`: previous secrets still in their grace period that were dropped because `expireOldest` was set. */
  | { readonly outcome: "rotated"; readonly endpoint: EndpointRecord; readonly expired: number }
  /** Refused: the endpoint already has the most previous secrets it keeps, all still valid (their expiry times, soonest first). */
  | { readonly outcome: "too_many_secrets"; readonly validUntil: readonly number[] };

export type ReplayResult =
  | { readonly outcome: "ok"; readonly scheduled: number }
  | { readonly outcome: "event_not_found" | "endpoint_not_found" | "not_subscribed" };

export interface QueueStats {
  /** Deliveries pending or in flight. */
  readonly depth: number;
  /** Due time of the oldest pending delivery that is due now (epoch ms), or null. */
  readonly oldestDueAt: number | null;
  /** Deliveries in `failed`. */
  readonly deadLetters: number;
}

/** How many endpoints are pinned to one version of one type (only endpoints subscribed to the type count). */
export interface PinnedVersionCount {
  readonly type: string;
  readonly version: number;
  readonly endpoints: number;
}

/** An endpoint pinned to a version (the subscribers list). */
export interface PinnedEndpoint {
  readonly id: string;
  /** Masked, as stored. */
  readonly url: string;
  readonly tenant: string | null;
  readonly disabled: boolean;
  readonly eventTypes: readonly string[] | null;
}

/** What `applyCatalog` changed. */
export interface CatalogApplied {
  /** Pins added (endpoint × type). */
  readonly pinsAdded: number;
  /** Events and deliveries stored before versions were recorded that got their version now. */
  readonly versionsFilled: number;
}

/** What `migrate` did: the versions it applied now (empty when already current) and the version in place after it. */
export interface MigrationReport {
  readonly applied: readonly number[];
  readonly version: number;
}

export type TokenAccess = "read" | "write";

/** A stored API token (never its secret: only its SHA-256 is kept). `tenant` null = every tenant. */
export interface TokenRecord {
  readonly seq: number;
  readonly id: string;
  readonly tenant: string | null;
  readonly access: TokenAccess;
  readonly description: string | null;
  /** Epoch ms; null = never expires. */
  readonly expiresAt: number | null;
  readonly createdAt: number;
  /** Recorded at most about once a minute per token. */
  readonly lastUsedAt: number | null;
  readonly revokedAt: number | null;
}

export interface NewToken {
  readonly id: string;
  /** SHA-256 of the token, hex. */
  readonly hash: string;
  readonly tenant: string | null;
  readonly access: TokenAccess;
  readonly description: string | null;
  readonly expiresAt: number | null;
  readonly now: number;
}

/** A single-use portal code: exchanged once for a session token of `tenant` lasting `sessionMs`. */
export interface NewPortalCode {
  /** SHA-256 of the code, hex. */
  readonly hash: string;
  readonly tenant: string;
  readonly access: TokenAccess;
  readonly sessionMs: number;
  readonly expiresAt: number;
  readonly now: number;
}

export interface Store {
  /** Which backend this is, for logs and the banner. */
  readonly kind: "sqlite" | "postgres";
  /**
   * Creates or upgrades the schema; safe to run at every start, and from several processes at once.
   * Also masks and seals endpoint URLs stored in clear (rows from before URLs were sealed, or clear
   * ones once a master key is configured).
   * Throws SchemaTooNewError when the database was migrated by a newer server.
   */
  migrate(): Promise<MigrationReport>;
  /**
   * Calls `onWork` when another process may have queued work (new events, replays, released leases).
   * A single-process backend never calls it: that process wakes its own worker.
   */
  watch(onWork: () => void): void;
  /**
   * Brings stored data in line with a loaded catalog (start, reload); `newest` is each type's newest
   * version. Every endpoint gets a pin at the newest version for each type it has none for
   * (src/domain/pinning.ts `missingPins`), and events and deliveries stored before versions were
   * recorded (NULL version, migration 5) get the newest version of their type, the only one the
   * server carried when they were accepted (a one-time pass: later rows always carry a version).
   */
  applyCatalog(newest: Readonly<Record<string, number>>): Promise<CatalogApplied>;
  /** Endpoints (not deleted) pinned to each version of each type they subscribe to. */
  pinnedVersionCounts(): Promise<PinnedVersionCount[]>;
  /** Endpoints (not deleted) pinned to `version` of `type`, subscribed or not (the caller applies the routing rule), by seq. */
  pinnedEndpoints(type: string, version: number): Promise<PinnedEndpoint[]>;
  /** Throws when the database does not answer (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;

  getMeta(key: string): Promise<string | undefined>;
  /** Sets `key` only when absent; returns the value now stored. */
  setMetaIfAbsent(key: string, value: string): Promise<string>;
  setMeta(key: string, value: string): Promise<void>;

  createToken(token: NewToken): Promise<TokenRecord>;
  /** The token with this SHA-256 (hex), revoked or expired ones included (the caller judges them). */
  tokenByHash(hash: string): Promise<TokenRecord | undefined>;
  /** Tokens not revoked, oldest first. */
  listTokens(query: PageRequest): Promise<Page<TokenRecord>>;
  /** False when no such token is live. */
  revokeToken(id: string, now: number): Promise<boolean>;
  /** Records a use, only when the last recorded one is older than `minIntervalMs` (one cheap UPDATE at most). */
  touchToken(id: string, now: number, minIntervalMs: number): Promise<void>;
  createPortalCode(code: NewPortalCode): Promise<void>;
  /**
   * Consumes the code with this SHA-256 and creates the session token (tenant and access from the
   * code, expiring `sessionMs` from now), atomically: undefined when the code is unknown, used or expired.
   */
  redeemPortalCode(hash: string, session: { id: string; hash: string; description: string; now: number }): Promise<TokenRecord | undefined>;

  createEndpoint(endpoint: NewEndpoint): Promise<EndpointRecord>;
  getEndpoint(id: string): Promise<EndpointRecord | undefined>;
  /** The current secret and the previous ones (expired ones included until the next rotation). */
  getEndpointSecrets(id: string): Promise<{ secret: string; previous: readonly PreviousSecret[] } | undefined>;
  listEndpoints(query: PageRequest & { tenant?: string; disabled?: boolean }): Promise<Page<EndpointRecord>>;
  /** Re-enabling (`disabled: false`) clears the reason and the failing run. */
  updateEndpoint(id: string, patch: EndpointPatch, now: number, disabledReason?: string): Promise<EndpointRecord | undefined>;
  /** Soft-deletes the endpoint and cancels its pending deliveries; history stays readable. */
  deleteEndpoint(id: string, now: number): Promise<boolean>;
  /**
   * New current secret; the old one keeps signing until `graceUntil` (not at all when `graceUntil <= now`).
   * Refuses rather than drop a previous secret still in its grace period (domain/rotation.ts), unless
   * `expireOldest` is set.
   */
  rotateSecret(
    id: string,
    secret: string,
    graceUntil: number,
    now: number,
    options?: { expireOldest?: boolean },
  ): Promise<RotateResult | undefined>;

  /** Event + one delivery per matching endpoint, in one transaction (or the original, for a repeated id). */
  ingest(event: NewEvent): Promise<IngestResult>;
  getEvent(id: string): Promise<EventRecord | undefined>;
  listEvents(query: EventQuery): Promise<Page<EventRecord>>;
  listDeliveries(eventId: string): Promise<readonly DeliveryRecord[]>;
  /** Newest first; e.g. the dead letters: `{ status: "failed" }`. `tenant`: only deliveries of that tenant's events. */
  findDeliveries(query: DeliveryQuery): Promise<Page<DeliveryRecord & { seq: number }>>;
  /**
   * Each endpoint's attempts since `since` (counts) and its newest attempt and failure, all time
   * (endpoints without attempts are absent). Conversion failures (no request made) are left out.
   */
  endpointActivity(endpointIds: readonly string[], since: number): Promise<ReadonlyMap<string, EndpointActivity>>;
  /** Newest first. `tenant`: only attempts for that tenant's events. */
  listAttempts(query: PageRequest & { eventId?: string; endpointId?: string; tenant?: string }): Promise<Page<AttemptRecord>>;

  /**
   * Sends the event's deliveries (or the one to `endpointId`) again now. A final delivery (delivered,
   * failed) is re-armed with a fresh retry schedule. One waiting for a retry gets one extra attempt
   * now (`replayResumeAt` remembers the retry): it does not count toward the schedule, and if it
   * fails the delivery waits for the same retry again. One already due or in flight is left as is.
   */
  replay(eventId: string, endpointId: string | undefined, now: number): Promise<ReplayResult>;
  /** `replay` for each of these deliveries (the dashboard's "replay selected"), in one transaction. */
  replayDeliveries(deliveryIds: readonly string[], now: number): Promise<ReplayDeliveriesResult>;
  /** Re-arms the endpoint's failed deliveries created in [since, until). Undefined when the endpoint does not exist. */
  recover(endpointId: string, since: number, until: number, now: number): Promise<number | undefined>;

  claim(request: ClaimRequest): Promise<ClaimedDelivery[]>;
  complete(request: CompleteRequest): Promise<CompleteResult>;
  /** Gives a leased delivery back without an attempt (shutdown): due now, lease cleared. */
  release(deliveryId: string, leaseToken: string, now: number): Promise<boolean>;
  /** Earliest due time among deliveries that could be claimed, ignoring `exclude`d endpoints. */
  nextDueAt(exclude: readonly string[]): Promise<number | null>;
  stats(now: number): Promise<QueueStats>;
  /**
   * Deletes events older than `before` whose deliveries are all final; returns how many. Also deletes
   * portal codes, and tokens expired or revoked, before `before` (not counted).
   */
  purge(before: number, limit: number): Promise<number>;
}
