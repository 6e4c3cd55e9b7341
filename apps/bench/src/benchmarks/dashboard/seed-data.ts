/**
 * The rows of a dashboard-sized database, generated deterministically (seeded PRNG) in batches:
 * events spread over the last 7 days, three deliveries each to endpoints of the event's tenant, and
 * their attempts. Most deliveries were delivered (some after a failed first attempt), some are dead
 * letters after three failed attempts, a few were cancelled; none is pending, so the server's delivery
 * loop stays idle while the pages are timed. Writers for each backend are in seed.ts.
 */
import { createRandom } from "../../fixtures/prng.js";

export const EVENT_TYPES = ["order.created", "order.shipped", "invoice.paid", "user.signed_up", "payment.failed"] as const;
export const TENANTS = 20;
export const DELIVERIES_PER_EVENT = 3;
const SPAN_MS = 7 * 24 * 60 * 60 * 1000;

export interface SeedEndpoint {
  readonly id: string;
  readonly tenant: string;
}

export interface SeedEvent {
  readonly id: string;
  readonly type: string;
  readonly tenant: string;
  readonly body: Buffer;
  readonly requestHash: string;
  readonly createdAt: number;
}

export interface SeedDelivery {
  readonly id: string;
  /** Index of its event in the batch. */
  readonly event: number;
  readonly endpointId: string;
  readonly status: "delivered" | "failed" | "cancelled";
  readonly attempts: number;
  readonly lastAttemptAt: number | null;
  readonly failureReason: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface SeedAttempt {
  readonly id: string;
  readonly deliveryId: string;
  readonly event: number;
  readonly endpointId: string;
  readonly status: "succeeded" | "failed";
  readonly statusCode: number | null;
  readonly durationMs: number;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly responseBody: string;
  readonly requestHeaders: string;
  readonly responseHeaders: string | null;
  readonly createdAt: number;
}

export interface SeedBatch {
  readonly events: SeedEvent[];
  readonly deliveries: SeedDelivery[];
  readonly attempts: SeedAttempt[];
}

/** `events` events in batches of `batchSize`, the newest ending at `now`. */
export function* seedBatches(options: {
  readonly events: number;
  readonly endpoints: readonly SeedEndpoint[];
  readonly now: number;
  readonly batchSize: number;
}): Generator<SeedBatch> {
  const random = createRandom(16_2);
  const byTenant = new Map<string, string[]>();
  for (const e of options.endpoints) byTenant.set(e.tenant, [...(byTenant.get(e.tenant) ?? []), e.id]);
  const tenants = [...byTenant.keys()];
  const start = options.now - SPAN_MS;
  const step = SPAN_MS / options.events;
  let batch: SeedBatch = { events: [], deliveries: [], attempts: [] };
  for (let i = 0; i < options.events; i++) {
    const createdAt = Math.round(start + i * step);
    const tenant = random.pick(tenants);
    const type = random.pick(EVENT_TYPES);
    const id = `evt_seed${i}`;
    const data = { orderId: `ord_${random.word(12)}`, amount: random.int(100, 99_999), currency: "EUR", note: random.word(120) };
    const body = Buffer.from(
      `{"type":${JSON.stringify(type)},"version":1,"timestamp":${JSON.stringify(new Date(createdAt).toISOString())},"data":${JSON.stringify(data)}}`,
    );
    const event = batch.events.length;
    batch.events.push({ id, type, tenant, body, requestHash: random.word(64), createdAt });
    const candidates = byTenant.get(tenant) ?? [];
    const chosen = new Set<string>();
    while (chosen.size < Math.min(DELIVERIES_PER_EVENT, candidates.length)) chosen.add(random.pick(candidates));
    let k = 0;
    for (const endpointId of chosen) {
      const deliveryId = `dlv_seed${i}_${k++}`;
      const roll = random.next();
      const status = roll < 0.9 ? "delivered" : roll < 0.99 ? "failed" : "cancelled";
      const outcomes: ("ok" | "500" | "timeout")[] =
        status === "delivered" ? (random.next() < 0.1 ? ["500", "ok"] : ["ok"]) : status === "failed" ? ["500", "timeout", "500"] : [];
      let at = createdAt;
      outcomes.forEach((outcome, n) => {
        at = Math.min(options.now, at + (n === 0 ? random.int(20, 400) : 60_000 * 2 ** n));
        batch.attempts.push(attempt(random, { deliveryId, event, endpointId, eventId: id, outcome, at, n }));
      });
      batch.deliveries.push({
        id: deliveryId,
        event,
        endpointId,
        status,
        attempts: outcomes.length,
        lastAttemptAt: outcomes.length === 0 ? null : at,
        failureReason:
          status === "failed" ? "retries exhausted after 3 attempts; last: The endpoint answered 500; only 2xx counts as delivered." : null,
        createdAt,
        updatedAt: at,
      });
    }
    if (batch.events.length === options.batchSize) {
      yield batch;
      batch = { events: [], deliveries: [], attempts: [] };
    }
  }
  if (batch.events.length > 0) yield batch;
}

function attempt(
  random: ReturnType<typeof createRandom>,
  a: { deliveryId: string; event: number; endpointId: string; eventId: string; outcome: "ok" | "500" | "timeout"; at: number; n: number },
): SeedAttempt {
  const requestHeaders = JSON.stringify({
    "content-type": "application/json",
    "user-agent": "hookline-server/seed",
    "webhook-id": a.eventId,
    "webhook-timestamp": String(Math.floor(a.at / 1000)),
    "webhook-signature": "v1,<redacted>",
    "content-length": "260",
  });
  const responseHeaders =
    a.outcome === "timeout"
      ? null
      : JSON.stringify({ "content-type": "application/json", date: new Date(a.at).toUTCString(), "content-length": "11", server: "seed" });
  return {
    id: `atm_seed_${a.deliveryId}_${a.n}`,
    deliveryId: a.deliveryId,
    event: a.event,
    endpointId: a.endpointId,
    status: a.outcome === "ok" ? "succeeded" : "failed",
    statusCode: a.outcome === "ok" ? 200 : a.outcome === "500" ? 500 : null,
    durationMs: random.int(2, 900),
    errorCode: a.outcome === "ok" ? null : a.outcome === "500" ? "http_status" : "timeout",
    errorMessage:
      a.outcome === "ok"
        ? null
        : a.outcome === "500"
          ? "The endpoint answered 500; only 2xx counts as delivered."
          : "no response within 30000 ms",
    responseBody: a.outcome === "ok" ? '{"ok":true}' : a.outcome === "500" ? '{"error":"boom"}' : "",
    requestHeaders,
    responseHeaders,
    createdAt: a.at,
  };
}
