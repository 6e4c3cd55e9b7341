/**
 * Fan-out: the delivery rows an accepted event gets, the same on every backend. One per endpoint
 * that receives it (src/domain/routing.ts): due now, or — for a disabled endpoint — a dead letter at
 * once, which "recover" sends after the endpoint is re-enabled.
 */

import { deliveryVersion } from "./pinning.js";
import { endpointReceives } from "./routing.js";

export const DISABLED_AT_INGEST = "endpoint disabled when the event was accepted";

/**
 * The reason on deliveries cancelled because their endpoint was deleted: those queued when it was,
 * and (PostgreSQL) those an ingest racing with the deletion still created.
 */
export const ENDPOINT_DELETED = "endpoint deleted";

export interface FanOutEndpoint {
  readonly id: string;
  readonly eventTypes: readonly string[] | null;
  readonly tenant: string | null;
  readonly disabled: boolean;
  /** The endpoint's pin for the event's type (src/domain/pinning.ts); null when it has none. */
  readonly pin: number | null;
}

/** `version`: the version the delivery is sent in (the endpoint's pin for the type). */
export type NewDelivery = { readonly endpointId: string; readonly version: number | null } & (
  | { readonly status: "pending"; readonly nextAttemptAt: number; readonly failureReason: null }
  | { readonly status: "failed"; readonly nextAttemptAt: null; readonly failureReason: string }
);

/** The deliveries of an event accepted at `now`, in the endpoints' order, each in its endpoint's pinned version. */
export function fanOut(
  endpoints: readonly FanOutEndpoint[],
  event: { type: string; tenant: string | null; version: number | null },
  now: number,
): NewDelivery[] {
  return endpoints
    .filter((endpoint) => endpointReceives(endpoint, event))
    .map((endpoint) => {
      const version = deliveryVersion(endpoint.pin, event.version);
      return endpoint.disabled
        ? { endpointId: endpoint.id, version, status: "failed", nextAttemptAt: null, failureReason: DISABLED_AT_INGEST }
        : { endpointId: endpoint.id, version, status: "pending", nextAttemptAt: now, failureReason: null };
    });
}
