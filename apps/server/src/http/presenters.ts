import { maskEndpointUrl } from "../domain/endpoint-url.js";
import { healthSummary, NO_ACTIVITY } from "../domain/endpoint-activity.js";
import type { AttemptRecord, DeliveryRecord, EndpointActivity, EndpointRecord, EventRecord, Page } from "../store/store.js";
import { rfc3339, rfc3339OrNull } from "../util/time.js";
import { encodeCursor } from "./query.js";

/** A page of a list (`listOf` in schemas.ts): its rows presented, and the cursor that continues after them. */
export function presentPage<T>(
  page: Page<T>,
  present: (row: T) => Record<string, unknown>,
): { data: Record<string, unknown>[]; nextCursor: string | null } {
  return { data: page.rows.map(present), nextCursor: encodeCursor(page.next) };
}

export function presentEndpoint(e: EndpointRecord): Record<string, unknown> {
  return {
    id: e.id,
    // Stored masked already; masked again for rows an older server version wrote in clear.
    url: maskEndpointUrl(e.url),
    eventTypes: e.eventTypes,
    tenant: e.tenant,
    description: e.description,
    rateLimit: e.rateLimit,
    disabled: e.disabled,
    disabledReason: e.disabledReason,
    metadata: e.metadata,
    pins: e.pins,
    createdAt: rfc3339(e.createdAt),
    updatedAt: rfc3339(e.updatedAt),
  };
}

/** An endpoint with its health (the endpoints list and read): `activity` from Store.endpointActivity. */
export function presentEndpointHealth(e: EndpointRecord, activity: EndpointActivity | undefined): Record<string, unknown> {
  const h = healthSummary(activity ?? NO_ACTIVITY, e.failingSince);
  return {
    ...presentEndpoint(e),
    health: {
      successRate: h.successRate,
      attempts24h: h.attempts24h,
      failures24h: h.failures24h,
      lastAttemptAt: rfc3339OrNull(h.lastAttemptAt),
      lastError: h.lastError === null ? null : { ...h.lastError, at: rfc3339(h.lastError.at) },
      failingSince: rfc3339OrNull(h.failingSince),
    },
  };
}

export function presentDelivery(d: DeliveryRecord): Record<string, unknown> {
  return {
    endpointId: d.endpointId,
    status: d.status,
    version: d.version,
    attempts: d.attempts,
    nextAttemptAt: rfc3339OrNull(d.nextAttemptAt),
    lastAttemptAt: rfc3339OrNull(d.lastAttemptAt),
    failureReason: d.failureReason,
  };
}

/** A delivery on its own (the deliveries list), with the ids that place it. */
export function presentDeliveryItem(d: DeliveryRecord): Record<string, unknown> {
  return { id: d.id, eventId: d.eventId, ...presentDelivery(d), createdAt: rfc3339(d.createdAt), updatedAt: rfc3339(d.updatedAt) };
}

export function presentAttempt(a: AttemptRecord): Record<string, unknown> {
  return {
    id: a.id,
    eventId: a.eventId,
    endpointId: a.endpointId,
    status: a.status,
    statusCode: a.statusCode,
    durationMs: a.durationMs,
    ...(a.errorCode === null ? {} : { error: { code: a.errorCode, message: a.errorMessage ?? a.errorCode } }),
    responseBody: a.responseBody,
    requestHeaders: a.requestHeaders,
    responseHeaders: a.responseHeaders,
    responseHeadersTruncated: a.responseHeadersTruncated,
    createdAt: rfc3339(a.createdAt),
  };
}

/**
 * An event as JSON text, with the stored envelope spliced in byte for byte: what a polling consumer
 * reads is exactly what a webhook receiver gets (no re-serialisation, large numbers intact).
 */
export function eventJson(e: EventRecord, extra?: Record<string, unknown>): string {
  return `${eventHead(e, extra)}${e.body.toString("utf8")}}`;
}

/** A page of events as JSON bytes: the stored envelopes are copied in as they are (no decoding and re-encoding). */
export function eventPageJson(events: readonly EventRecord[], nextCursor: string | null): Buffer {
  const parts: Buffer[] = [Buffer.from('{"data":[')];
  events.forEach((e, i) => {
    parts.push(Buffer.from(`${i === 0 ? "" : ","}${eventHead(e)}`), e.body, CLOSE);
  });
  parts.push(Buffer.from(`],"nextCursor":${JSON.stringify(nextCursor)}}`));
  return Buffer.concat(parts);
}

const CLOSE = Buffer.from("}");

function eventHead(e: EventRecord, extra?: Record<string, unknown>): string {
  const head = JSON.stringify({ id: e.id, type: e.type, version: e.version, tenant: e.tenant, createdAt: rfc3339(e.createdAt), ...extra });
  return `${head.slice(0, -1)},"envelope":`;
}
