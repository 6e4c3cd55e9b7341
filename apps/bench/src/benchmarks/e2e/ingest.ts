/**
 * Ingest traffic for the delivery server: `order.created` events of about 1 KiB, POSTed to
 * /v1/events with unique ids, closed-loop (as fast as the server answers) or paced (open loop at a
 * fixed rate). Send times are kept per event id so delivery latency can be computed.
 */

import type { Pool } from "undici";
import { cycle, orderMessages } from "../../fixtures/deliveries.js";

export interface IngestTraffic {
  /** Request body of event `n` (id `${prefix}-${n}`). */
  body(n: number): string;
  id(n: number): string;
  readonly headers: Readonly<Record<string, string>>;
}

export function ingestTraffic(prefix: string, apiKey: string): IngestTraffic {
  const payload = cycle(orderMessages().map((message) => JSON.stringify(message.payload)));
  const id = (n: number) => `${prefix}-${n}`;
  return {
    id,
    body: (n) => `{"type":"order.created","id":"${id(n)}","payload":${payload(n)}}`,
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
  };
}

async function post(pool: Pool, traffic: IngestTraffic, n: number): Promise<void> {
  const response = await pool.request({ method: "POST", path: "/v1/events", headers: traffic.headers, body: traffic.body(n) });
  const text = await response.body.text();
  if (response.statusCode !== 202) throw new Error(`POST /v1/events answered ${response.statusCode}: ${text.slice(0, 300)}`);
}

export interface IngestRun {
  /** Events accepted (202). */
  readonly events: number;
  readonly firstSentAt: number;
  readonly lastAcceptedAt: number;
  /** Send time (performance.now()) per event id. */
  readonly sentAt: ReadonlyMap<string, number>;
}

/** Closed loop: `concurrency` clients POST events back to back for `durationMs` or until `events` were sent, whichever comes first. */
export async function ingestClosedLoop(
  pool: Pool,
  traffic: IngestTraffic,
  options: { concurrency: number; startIndex: number; durationMs?: number; events?: number },
): Promise<IngestRun> {
  if (options.durationMs === undefined && options.events === undefined)
    throw new RangeError("ingestClosedLoop needs durationMs, events or both.");
  const sentAt = new Map<string, number>();
  let next = options.startIndex;
  let lastAcceptedAt = 0;
  const firstSentAt = performance.now();
  const deadline = firstSentAt + (options.durationMs ?? Infinity);
  const end = options.startIndex + (options.events ?? Infinity);
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < deadline && next < end) {
        const n = next++;
        sentAt.set(traffic.id(n), performance.now());
        await post(pool, traffic, n);
        lastAcceptedAt = performance.now();
      }
    }),
  );
  return { events: next - options.startIndex, firstSentAt, lastAcceptedAt, sentAt };
}

/** Open loop: events at a fixed `rate` per second for `durationMs`, whatever the response time. */
export async function ingestPaced(
  pool: Pool,
  traffic: IngestTraffic,
  options: { rate: number; durationMs: number; startIndex: number; maxInFlight: number },
): Promise<IngestRun> {
  const sentAt = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  let lastAcceptedAt = 0;
  const firstSentAt = performance.now();
  const total = Math.floor((options.rate * options.durationMs) / 1000);
  let sent = 0;
  while (sent < total && failure === undefined) {
    const due = firstSentAt + (sent * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    if (inFlight.size >= options.maxInFlight) {
      await Promise.race(inFlight);
      continue;
    }
    const n = options.startIndex + sent++;
    sentAt.set(traffic.id(n), performance.now());
    const request: Promise<void> = post(pool, traffic, n).then(
      () => {
        lastAcceptedAt = performance.now();
        inFlight.delete(request);
      },
      (error: unknown) => {
        failure ??= error;
        inFlight.delete(request);
      },
    );
    inFlight.add(request);
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  return { events: sent, firstSentAt, lastAcceptedAt, sentAt };
}
