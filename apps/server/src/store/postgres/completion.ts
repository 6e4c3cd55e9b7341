/**
 * PostgreSQL attempt results: many completions in one transaction (see Batcher) — the attempt rows,
 * endpoint health (src/domain/endpoint-health.ts) and the fenced delivery updates.
 */
import { applyHealth, type HealthSignal } from "../../domain/endpoint-health.js";
import { headersJson } from "../rows.js";
import type { CompleteRequest, CompleteResult } from "../store.js";
import { compare, type PgConnection, type Tx } from "./connection.js";
import { arrive, type Arrival } from "./queue.js";

type Rows = (text: string, values: readonly unknown[]) => Promise<Record<string, unknown>[]>;

/** One endpoint's health signals in a completion batch, in submission order (`index` = the item). */
type EndpointSignals = readonly [endpointId: string, signals: readonly { index: number; health: HealthSignal; now: number }[]];

/** One statement for the common case where no attempt failed and none retries, else one queue transaction. */
export async function completeBatch(db: PgConnection, items: readonly CompleteRequest[]): Promise<CompleteResult[]> {
  const { failing, healthy } = groupHealth(items);
  const retrying = items.some((r) => r.next.status === "pending");
  // Without failures or retries it is one statement: atomic on its own, so no BEGIN/COMMIT round trips.
  if (failing.length === 0 && !retrying) return (await completeWith(db.query, items, new Map(), healthy)).results;
  return db.queueTx(async (client) => {
    const disabledBy = failing.length === 0 ? new Map<number, string>() : await applyFailures(client, failing, healthy);
    const { results, updated } = await completeWith(
      async (text, values) => (await client.query(text, values)).rows,
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

async function completeWith(
  query: Rows,
  items: readonly CompleteRequest[],
  disabledBy: ReadonlyMap<number, string>,
  healthy: readonly string[],
): Promise<{ results: CompleteResult[]; updated: Map<string, { endpoint_id: string; fresh: boolean }> }> {
  const attempts = items.flatMap((r) => (r.attempt === undefined ? [] : [r.attempt]));
  const sorted = [...items].sort((a, b) => compare(a.deliveryId, b.deliveryId));
  const updated = (await query(
    `WITH recorded AS (
             INSERT INTO attempts (id, delivery_id, event_id, endpoint_id, status, status_code, duration_ms, error_code, error_message, response_body, created_at,
               request_headers, response_headers, response_headers_truncated)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::text[], $9::text[], $10::text[], $11::bigint[],
               $22::text[], $23::text[], $24::boolean[])
           ),
           recovered AS (
             -- Endpoints with only successes in the batch: their failing run ends (applyHealth, done in SQL).
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
      sorted.map((r) => (r.attempt === undefined || r.uncounted === true ? 0 : 1)),
      sorted.map((r) => (r.internalError === true ? 1 : 0)),
      sorted.map((r) => r.now),
      healthy,
      sorted.map((r) => (r.outsideSchedule === true ? 1 : 0)),
      attempts.map((a) => headersJson(a.requestHeaders)),
      attempts.map((a) => headersJson(a.responseHeaders)),
      attempts.map((a) => a.responseHeadersTruncated === true),
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
 * Endpoint health for the endpoints with a failure in the batch, each endpoint's signals applied in
 * submission order (applyHealth). The `healthy` ones are updated by the caller's combined
 * statement. Returns which item disabled which endpoint.
 */
async function applyFailures(client: Tx, failing: readonly EndpointSignals[], healthy: readonly string[]): Promise<Map<number, string>> {
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
    const change = applyHealth({ disabled: row.disabled, failingSince: row.failing_since }, list);
    const disabling = change.disabledBy === undefined ? undefined : list[change.disabledBy.index];
    if (change.disabledBy !== undefined && disabling !== undefined) disabledBy.set(disabling.index, change.disabledBy.reason);
    out.id.push(endpointId);
    out.since.push(change.health.failingSince);
    out.reason.push(change.disabledBy?.reason ?? null);
    out.at.push(list[list.length - 1]?.now ?? 0);
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
