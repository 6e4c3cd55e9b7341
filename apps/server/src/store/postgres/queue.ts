import { refillTokens } from "../../domain/token-bucket.js";
import { arrivalTurn, turnAfterClaim, turnApplies } from "../../domain/schedule.js";
import type { SecretBox } from "../secret-box.js";
import { toClaimed, type ClaimRow } from "../rows.js";
import type { ClaimedDelivery, ClaimRequest, QueueStats } from "../store.js";
import { QUEUED, type PgConnection, type Query, type Tx } from "./connection.js";

/** Endpoints in line: the partial index endpoints_turn holds exactly the rows this predicate selects. */
const IN_LINE = "turn_at IS NOT NULL AND NOT disabled AND deleted_at IS NULL";

/** Work arrives for endpoints; `due` per endpoint. One statement, rows locked in id order. */
export interface Arrival {
  readonly endpointId: string;
  readonly dueAt: number;
  readonly fresh: boolean;
  readonly now: number;
}

/**
 * Brings the endpoints' turns forward for new work (src/domain/schedule.ts). The condition sits in
 * the SET, not the WHERE, so the statement always locks the row and re-reads it after a concurrent
 * claim that moved the turn (a WHERE would be judged on the older row and skip it).
 * Ingest uses `arriveIfIdle` instead: see there.
 */
export async function arrive(client: Tx, arrivals: readonly Arrival[]): Promise<void> {
  const merged = mergeArrivals(arrivals);
  if (merged.length === 0) return;
  await client.query(
    `UPDATE endpoints e SET turn_at = CASE WHEN e.turn_at IS NULL OR e.turn_at > u.applies THEN u.turn ELSE e.turn_at END
     FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS u(id, turn, applies) WHERE e.id = u.id`,
    [merged.map((a) => a.id), merged.map((a) => a.turn), merged.map((a) => a.applies)],
  );
}

/**
 * `arrive` for ingest, writing only where the endpoint is out of line (a busy endpoint's row is not
 * rewritten on every batch). Safe because the delivery rows were inserted first: their foreign key
 * holds a KEY SHARE lock on each endpoint, which a claim's park (FOR UPDATE) cannot pass, so no claim
 * can move one of these endpoints out of line without seeing the new deliveries.
 */
export async function arriveIfIdle(client: Tx, arrivals: readonly Arrival[]): Promise<void> {
  const merged = mergeArrivals(arrivals);
  if (merged.length === 0) return;
  await client.query(
    `UPDATE endpoints e SET turn_at = u.turn FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS u(id, turn, applies)
     WHERE e.id = u.id AND (e.turn_at IS NULL OR e.turn_at > u.applies)`,
    [merged.map((a) => a.id), merged.map((a) => a.turn), merged.map((a) => a.applies)],
  );
}

/** The earliest arrival per endpoint, in id order (lock order). */
function mergeArrivals(arrivals: readonly Arrival[]): { id: string; turn: number; applies: number }[] {
  const byId = new Map<string, { id: string; turn: number; applies: number }>();
  for (const a of arrivals) {
    const turn = arrivalTurn(a.dueAt, a.fresh);
    const applies = turnApplies(turn, a.now);
    const current = byId.get(a.endpointId);
    if (current === undefined || turn < current.turn) byId.set(a.endpointId, { id: a.endpointId, turn, applies });
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

interface LockedEndpoint {
  id: string;
  rate_limit: number | null;
  rate_tokens: number | null;
  rate_at: number | null;
}

/**
 * One claim, inside a queue transaction: serves the endpoints first in line, each up to the global
 * in-flight cap, its rate limit and the caller's budget, until their due work fills the batch
 * (round-robin inside it), then gives each served endpoint its next turn.
 */
export async function claimIn(client: Tx, request: ClaimRequest, box: SecretBox): Promise<ClaimedDelivery[]> {
  const { now } = request;
  // 1. Expired leases (their holder died or stalled) put their endpoints back in line; then lock the
  //    endpoints first in line that no other instance is claiming for right now.
  await client.query(
    `UPDATE endpoints SET turn_at = $1
     WHERE id IN (SELECT endpoint_id FROM deliveries WHERE status = 'delivering' AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT 100)
       AND (turn_at IS NULL OR turn_at > $1)`,
    [now],
  );
  const locked = (
    await client.query<LockedEndpoint>(
      `SELECT id, rate_limit, rate_tokens, rate_at FROM endpoints
       WHERE ${IN_LINE} AND turn_at <= $2 AND id <> ALL ($1::text[])
       ORDER BY turn_at, seq LIMIT $3 FOR NO KEY UPDATE SKIP LOCKED`,
      [request.exclude, now, request.limit],
    )
  ).rows;
  if (locked.length === 0) return [];
  // 2. Which of them may leave the line if they turn out to have nothing due: only those no other
  //    transaction is adding deliveries to (a delivery insert holds KEY SHARE on its endpoint until
  //    it commits; FOR UPDATE waits for no one here and skips those).
  const parkable = new Set(
    (
      await client.query<{ id: string }>("SELECT id FROM endpoints WHERE id = ANY ($1::text[]) ORDER BY id FOR UPDATE SKIP LOCKED", [
        locked.map((e) => e.id),
      ])
    ).rows.map((r) => r.id),
  );
  // 3. What each may take before the global in-flight cap: the caller's budget and the global rate limit.
  const budgets: number[] = [];
  const tokens = new Map<string, number>();
  for (const e of locked) {
    let budget = Math.min(request.limit, request.budget(e.id, e.rate_limit));
    if (e.rate_limit !== null && e.rate_limit > 0) {
      const available = refillTokens(
        e.rate_tokens === null || e.rate_at === null ? undefined : { tokens: e.rate_tokens, at: e.rate_at },
        e.rate_limit,
        now,
      );
      budget = Math.min(budget, Math.floor(available + 1e-9));
      tokens.set(e.id, available);
    }
    budgets.push(Math.max(0, budget));
  }
  // 4. One statement, started after the locks were taken (so its snapshot sees every lease committed
  //    for these endpoints by whoever held them before us): count each endpoint's deliveries in
  //    flight on all instances, pick the oldest due within the cap skipping rows another transaction
  //    holds, serve endpoints in line order until their picks fill the batch, interleave the served
  //    ones round-robin (every endpoint's first delivery before anyone's second), lease them under
  //    the fencing token, and read what the attempts need.
  const rows = (
    await client.query<ClaimRow & { rank: number; ord: number }>(
      `WITH caps AS (
         SELECT t.endpoint_id, t.ord,
                LEAST(t.budget, $3::int - (SELECT count(*) FROM deliveries d
                                           WHERE d.endpoint_id = t.endpoint_id AND d.status = 'delivering' AND d.next_attempt_at > $4))::int AS take
         FROM unnest($1::text[], $2::int[]) WITH ORDINALITY AS t(endpoint_id, budget, ord)
       ),
       picked AS (
         SELECT p.id, c.ord, row_number() OVER (PARTITION BY c.endpoint_id ORDER BY p.next_attempt_at) AS rank
         FROM caps c CROSS JOIN LATERAL (
           SELECT id, next_attempt_at FROM deliveries
           WHERE endpoint_id = c.endpoint_id AND ${QUEUED} AND next_attempt_at <= $4
           ORDER BY next_attempt_at LIMIT GREATEST(c.take, 0) FOR UPDATE SKIP LOCKED
         ) p
       ),
       served AS (
         SELECT c.ord FROM caps c LEFT JOIN (SELECT ord, count(*) AS n FROM picked GROUP BY ord) k ON k.ord = c.ord
         WHERE COALESCE((SELECT sum(k2.n) FROM (SELECT ord, count(*) AS n FROM picked GROUP BY ord) k2 WHERE k2.ord < c.ord), 0) < $5
       ),
       chosen AS (SELECT id, rank, ord FROM picked WHERE ord IN (SELECT ord FROM served) ORDER BY rank, ord LIMIT $5),
       leased AS (
         UPDATE deliveries SET status = 'delivering', lease_token = $6, next_attempt_at = $7, updated_at = $4
         WHERE id IN (SELECT id FROM chosen)
         RETURNING id, event_id, endpoint_id, attempts, schedule_base, internal_errors, replay_resume_at, version
       )
       SELECT l.*, ev.type, ev.created_at AS event_created_at, ev.body, ev.version AS event_version, e.url, e.sealed_url, e.secret, e.previous_secrets, e.rate_limit, c.rank, c.ord
       FROM leased l JOIN chosen c ON c.id = l.id JOIN events ev ON ev.id = l.event_id JOIN endpoints e ON e.id = l.endpoint_id
       ORDER BY c.rank, c.ord`,
      [locked.map((e) => e.id), budgets, request.perEndpoint, now, request.limit, request.leaseToken, now + request.leaseMs],
    )
  ).rows;

  // 5. The served endpoints (in line order until the batch was full) get their next turn; rate-limited
  //    ones spend their tokens.
  const claimedBy = new Map<string, number>();
  for (const row of rows) claimedBy.set(row.endpoint_id, (claimedBy.get(row.endpoint_id) ?? 0) + 1);
  const served: LockedEndpoint[] = [];
  let total = 0;
  for (const e of locked) {
    if (total >= request.limit) break;
    served.push(e);
    total += claimedBy.get(e.id) ?? 0;
  }
  const heads = new Map(
    (
      await client.query<{ id: string; earliest: number | null; fresh: boolean | null }>(
        `SELECT u.id, h.next_attempt_at AS earliest, h.fresh FROM unnest($1::text[]) AS u(id)
         LEFT JOIN LATERAL (
           SELECT next_attempt_at, attempts = schedule_base AS fresh FROM deliveries d
           WHERE d.endpoint_id = u.id AND d.${QUEUED} AND d.status = 'pending' ORDER BY next_attempt_at LIMIT 1
         ) h ON TRUE`,
        [served.map((e) => e.id)],
      )
    ).rows.map((r) => [r.id, r]),
  );
  const update = { id: [] as string[], turn: [] as (number | null)[], tokens: [] as (number | null)[] };
  for (const e of served) {
    const head = heads.get(e.id);
    let tokenAt: number | null = null;
    let left: number | null = null;
    const available = tokens.get(e.id);
    if (available !== undefined && e.rate_limit !== null) {
      left = available - (claimedBy.get(e.id) ?? 0);
      if (left < 1) tokenAt = now + Math.ceil(((1 - left) * 1000) / e.rate_limit);
    }
    update.id.push(e.id);
    update.turn.push(
      turnAfterClaim({ now, earliest: head?.earliest ?? null, fresh: head?.fresh === true, tokenAt, mayPark: parkable.has(e.id) }),
    );
    update.tokens.push(left);
  }
  await client.query(
    `UPDATE endpoints e SET turn_at = u.turn,
       rate_tokens = CASE WHEN u.tokens IS NULL THEN e.rate_tokens ELSE u.tokens END,
       rate_at = CASE WHEN u.tokens IS NULL THEN e.rate_at ELSE $4 END
     FROM unnest($1::text[], $2::bigint[], $3::float8[]) AS u(id, turn, tokens) WHERE e.id = u.id`,
    [update.id, update.turn, update.tokens, now],
  );
  return rows.map((row) => toClaimed(row, request.leaseToken, now, box));
}

/** The first turn in line (ignoring `exclude`d endpoints) or lease expiry, whichever is sooner. */
const NEXT_DUE = `
  SELECT LEAST(
    (SELECT turn_at FROM endpoints WHERE ${IN_LINE} AND id <> ALL ($1::text[]) ORDER BY turn_at LIMIT 1),
    (SELECT min(next_attempt_at) FROM deliveries WHERE status = 'delivering')
  ) AS due`;

export async function stats(query: Query, now: number): Promise<QueueStats> {
  const row = (
    await query<{ depth: number; oldest: number | null; dead: number }>(
      `SELECT (SELECT count(*) FROM deliveries WHERE ${QUEUED}) AS depth,
              (SELECT min(next_attempt_at) FROM deliveries WHERE status = 'pending' AND next_attempt_at <= $1) AS oldest,
              (SELECT count(*) FROM deliveries WHERE status = 'failed') AS dead`,
      [now],
    )
  )[0];
  return { depth: row?.depth ?? 0, oldestDueAt: row?.oldest ?? null, deadLetters: row?.dead ?? 0 };
}

/** The first turn (ignoring `exclude`d endpoints) or lease expiry. */
export async function nextDueAt(query: Query, exclude: readonly string[]): Promise<number | null> {
  return (await query<{ due: number | null }>(NEXT_DUE, [exclude]))[0]?.due ?? null;
}

/** Gives a leased delivery back (due now, fenced by its lease token) and wakes every instance. */
export async function release(db: PgConnection, deliveryId: string, leaseToken: string, now: number): Promise<boolean> {
  return db.queueTx(async (client) => {
    const changed = await client.query<{ endpoint_id: string; fresh: boolean }>(
      `UPDATE deliveries SET status = 'pending', next_attempt_at = $1, lease_token = NULL, updated_at = $1
       WHERE id = $2 AND status = 'delivering' AND lease_token = $3 RETURNING endpoint_id, attempts = schedule_base AS fresh`,
      [now, deliveryId, leaseToken],
    );
    const row = changed.rows[0];
    if (row === undefined) return false;
    await arrive(client, [{ endpointId: row.endpoint_id, dueAt: now, fresh: row.fresh, now }]);
    await db.notify(client);
    return true;
  });
}
