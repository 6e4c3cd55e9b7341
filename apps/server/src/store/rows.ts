/**
 * Row shapes shared by both SQL backends (the same columns in SQLite and PostgreSQL) and their
 * mapping to the Store's records. Only `disabled` differs in type: INTEGER 0/1 in SQLite, BOOLEAN in
 * PostgreSQL.
 */
import { realUrl } from "./endpoint-urls.js";
import type { SecretBox } from "./secret-box.js";
import type {
  AttemptRecord,
  ClaimedDelivery,
  DeliveryRecord,
  DeliveryStatus,
  EndpointRecord,
  EventRecord,
  PreviousSecret,
} from "./store.js";

/*
 * Column lists, named rather than `*`: a prepared statement's result type is fixed when it is first
 * planned, so after a migration adds a column a `SELECT *` prepared by an older instance still
 * running during a rolling upgrade would fail ("cached plan must not change result type").
 */
export const EVENT_COLUMNS = "seq, id, type, tenant, version, body, request_hash, created_at";
export const DELIVERY_COLUMNS =
  "seq, id, event_id, endpoint_id, status, version, attempts, schedule_base, internal_errors, next_attempt_at, lease_token, last_attempt_at, failure_reason, created_at, updated_at";
export const ATTEMPT_COLUMNS =
  "seq, id, delivery_id, event_id, endpoint_id, status, status_code, duration_ms, error_code, error_message, response_body, request_headers, response_headers, response_headers_truncated, created_at";

export const ENDPOINT_COLUMNS =
  "seq, id, url, event_types, tenant, secret, previous_secrets, description, rate_limit, disabled, disabled_reason, metadata, failing_since, created_at, updated_at";

export interface EndpointRow {
  seq: number;
  id: string;
  url: string;
  event_types: string | null;
  tenant: string | null;
  secret: string;
  previous_secrets: string;
  description: string | null;
  rate_limit: number | null;
  disabled: number | boolean;
  disabled_reason: string | null;
  metadata: string;
  failing_since: number | null;
  created_at: number;
  updated_at: number;
  /** The endpoint's pins as a JSON object (text in SQLite, parsed in PostgreSQL), when the select includes them. */
  pins?: string | Record<string, number> | null;
}

export interface EventRow {
  seq: number;
  id: string;
  type: string;
  tenant: string | null;
  version: number | null;
  body: Buffer;
  request_hash: string;
  created_at: number;
}

export interface DeliveryRow {
  seq: number;
  id: string;
  event_id: string;
  endpoint_id: string;
  status: DeliveryStatus;
  version: number | null;
  attempts: number;
  schedule_base: number;
  internal_errors: number;
  next_attempt_at: number | null;
  lease_token: string | null;
  last_attempt_at: number | null;
  failure_reason: string | null;
  created_at: number;
  updated_at: number;
}

export interface AttemptRow {
  seq: number;
  id: string;
  delivery_id: string;
  event_id: string;
  endpoint_id: string;
  status: "succeeded" | "failed";
  status_code: number | null;
  duration_ms: number;
  error_code: string | null;
  error_message: string | null;
  response_body: string;
  /** JSON objects (migration 7); NULL before. */
  request_headers: string | null;
  response_headers: string | null;
  response_headers_truncated: number | boolean;
  created_at: number;
}

/** What a claim reads per leased delivery: the delivery, its event and its endpoint. */
export interface ClaimRow {
  id: string;
  event_id: string;
  attempts: number;
  schedule_base: number;
  internal_errors: number;
  replay_resume_at: number | null;
  type: string;
  event_created_at: number;
  body: Buffer;
  event_version: number | null;
  version: number | null;
  endpoint_id: string;
  url: string;
  sealed_url: string | null;
  secret: string;
  previous_secrets: string;
  rate_limit: number | null;
}

export function toEndpoint(row: EndpointRow): EndpointRecord {
  return {
    seq: row.seq,
    id: row.id,
    url: row.url,
    eventTypes: row.event_types === null ? null : (JSON.parse(row.event_types) as string[]),
    tenant: row.tenant,
    description: row.description,
    rateLimit: row.rate_limit,
    disabled: row.disabled === true || row.disabled === 1,
    disabledReason: row.disabled_reason,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    failingSince: row.failing_since,
    pins: typeof row.pins === "string" ? (JSON.parse(row.pins) as Record<string, number>) : (row.pins ?? {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toEvent(row: EventRow): EventRecord {
  return {
    seq: row.seq,
    id: row.id,
    type: row.type,
    tenant: row.tenant,
    version: row.version,
    body: row.body,
    requestHash: row.request_hash,
    createdAt: row.created_at,
  };
}

export function toDelivery(row: DeliveryRow): DeliveryRecord {
  return {
    id: row.id,
    eventId: row.event_id,
    endpointId: row.endpoint_id,
    status: row.status,
    version: row.version,
    attempts: row.attempts,
    nextAttemptAt: row.status === "pending" ? row.next_attempt_at : null,
    lastAttemptAt: row.last_attempt_at,
    failureReason: row.failure_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toAttempt(row: AttemptRow): AttemptRecord {
  return {
    seq: row.seq,
    id: row.id,
    deliveryId: row.delivery_id,
    eventId: row.event_id,
    endpointId: row.endpoint_id,
    status: row.status,
    statusCode: row.status_code,
    durationMs: row.duration_ms,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    responseBody: row.response_body,
    requestHeaders: headersOf(row.request_headers),
    responseHeaders: headersOf(row.response_headers),
    responseHeadersTruncated: row.response_headers_truncated === true || row.response_headers_truncated === 1,
    createdAt: row.created_at,
  };
}

/** Stored header JSON (written by `headersJson`) → a record without a prototype. */
function headersOf(json: string | null): Record<string, string> | null {
  return json === null ? null : (Object.assign(Object.create(null), JSON.parse(json)) as Record<string, string>);
}

/** Header records as stored: JSON text, NULL when not known. */
export function headersJson(headers: Readonly<Record<string, string>> | null | undefined): string | null {
  return headers === null || headers === undefined ? null : JSON.stringify(headers);
}

/** Secrets and the sealed URL are opened only when the attempt is made, and previous secrets only while in their grace period at claim time. */
export function toClaimed(row: ClaimRow, leaseToken: string, now: number, box: SecretBox): ClaimedDelivery {
  return {
    deliveryId: row.id,
    leaseToken,
    eventId: row.event_id,
    eventType: row.type,
    eventCreatedAt: row.event_created_at,
    body: row.body,
    eventVersion: row.event_version,
    version: row.version,
    attempts: row.attempts,
    attemptsInRun: row.attempts - row.schedule_base,
    internalErrors: row.internal_errors,
    replayResumeAt: row.replay_resume_at,
    endpoint: {
      id: row.endpoint_id,
      displayUrl: row.url,
      url: () => realUrl(row.url, row.sealed_url, box),
      rateLimit: row.rate_limit,
      signingSecrets: () => [
        box.open(row.secret),
        ...(JSON.parse(row.previous_secrets) as PreviousSecret[]).filter((p) => p.expiresAt > now).map((p) => box.open(p.secret)),
      ],
    },
  };
}

/** Previous secrets, opened (sealed values are stored as JSON [{secret, expiresAt}]). */
export function openPrevious(json: string, box: SecretBox): PreviousSecret[] {
  return (JSON.parse(json) as PreviousSecret[]).map((p) => ({ secret: box.open(p.secret), expiresAt: p.expiresAt }));
}
