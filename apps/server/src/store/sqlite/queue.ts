import { applyHealth } from "../../domain/endpoint-health.js";
import { arrivalTurn, turnAfterClaim, turnApplies } from "../../domain/schedule.js";
import type { SecretBox } from "../secret-box.js";
import { headersJson, toClaimed, type ClaimRow, type DeliveryRow, type EndpointRow } from "../rows.js";
import type { ClaimedDelivery, ClaimRequest, CompleteRequest, CompleteResult, QueueStats } from "../store.js";
import type { Sql } from "./connection.js";

/** Endpoints in line: the partial index endpoints_turn holds exactly the rows this predicate selects. */
const IN_LINE = "turn_at IS NOT NULL AND disabled = 0 AND deleted_at IS NULL";

/** Work for `endpointId` becomes due at `dueAt`: puts the endpoint in line unless it is there already. */
export function arrive(sql: Sql, endpointId: string, dueAt: number, fresh: boolean, now: number): void {
  const turn = arrivalTurn(dueAt, fresh);
  sql("UPDATE endpoints SET turn_at = ? WHERE id = ? AND (turn_at IS NULL OR turn_at > ?)").run(turn, endpointId, turnApplies(turn, now));
}

/**
 * The SQLite queue: claim, complete, release and the endpoint schedule (see src/domain/schedule.ts).
 * Runs inside the store's transactions (SqliteStore decides when and how they commit); every method
 * is synchronous, as better-sqlite3 is.
 */
export class SqliteQueue {
  readonly #sql: Sql;
  readonly #box: SecretBox;

  constructor(sql: Sql, box: SecretBox) {
    this.#sql = sql;
    this.#box = box;
  }

  /**
   * Serves the endpoints first in line (skipping excluded ones), each up to its in-flight cap and
   * budget, until their due work fills the batch; within the batch, round-robin: every served
   * endpoint's first delivery ranks before anyone's second, so one backlog cannot fill it. Each
   * served endpoint then gets its next turn (src/domain/schedule.ts): the back of the line while it
   * still has due work, else its next due time.
   */
  claim(request: ClaimRequest): ClaimedDelivery[] {
    const { now } = request;
    // Expired leases (their holder died or stalled) put their endpoints back in line.
    const expired = this.#sql(
      "SELECT endpoint_id FROM deliveries INDEXED BY deliveries_leases WHERE status = 'delivering' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT 100",
    )
      .pluck()
      .all(now) as string[];
    for (const endpointId of new Set(expired)) arrive(this.#sql, endpointId, now, false, now);
    const endpoints = this.#sql(
      `SELECT id, rate_limit FROM endpoints INDEXED BY endpoints_turn
       WHERE ${IN_LINE} AND turn_at <= ? AND id NOT IN (SELECT value FROM json_each(?))
       ORDER BY turn_at, seq LIMIT ?`,
    ).all(now, JSON.stringify(request.exclude), request.limit) as Pick<EndpointRow, "id" | "rate_limit">[];
    if (endpoints.length === 0) return [];
    const pick = this.#sql(
      `SELECT id FROM deliveries INDEXED BY deliveries_queue WHERE endpoint_id = ? AND status IN ('pending', 'delivering') AND next_attempt_at <= ?
       ORDER BY next_attempt_at LIMIT ?`,
    ).pluck();
    // The cap counts every live lease on the endpoint, whichever worker or process holds it.
    const leased = this.#sql(
      // (the IN repeats the partial index's predicate so SQLite can prove the index applies)
      "SELECT COUNT(*) FROM deliveries INDEXED BY deliveries_queue WHERE endpoint_id = ? AND status IN ('pending', 'delivering') AND status = 'delivering' AND next_attempt_at > ?",
    ).pluck();
    // Endpoints take their turn in order until their due work fills the batch; the rest keep their place.
    const queues: string[][] = [];
    const served: string[] = [];
    // Served endpoints with no rate-limit token now: out of line until the next one.
    const tokenAt = new Map<string, number | null>();
    let found = 0;
    for (const endpoint of endpoints) {
      if (found >= request.limit) break;
      served.push(endpoint.id);
      if (endpoint.rate_limit !== null && endpoint.rate_limit > 0)
        tokenAt.set(endpoint.id, request.tokenAt?.(endpoint.id, endpoint.rate_limit) ?? null);
      const inFlight = leased.get(endpoint.id, now) as number;
      const take = Math.min(request.perEndpoint - inFlight, request.limit, request.budget(endpoint.id, endpoint.rate_limit));
      if (take <= 0) continue;
      const ids = pick.all(endpoint.id, now, take) as string[];
      queues.push(ids);
      found += ids.length;
    }
    const chosen: string[] = [];
    for (let round = 0; chosen.length < request.limit && queues.some((q) => q.length > round); round++) {
      for (const queue of queues) {
        const id = queue[round];
        if (id !== undefined && chosen.length < request.limit) chosen.push(id);
      }
    }

    const lease = this.#sql(
      `UPDATE deliveries SET status = 'delivering', lease_token = @token, next_attempt_at = @until, updated_at = @now
       WHERE id = @id AND status IN ('pending', 'delivering') AND next_attempt_at <= @now`,
    );
    const read = this.#sql(
      `SELECT d.id, d.event_id, d.attempts, d.schedule_base, d.internal_errors, d.replay_resume_at,
              ev.type, ev.created_at AS event_created_at, ev.body, ev.version AS event_version, d.version,
              e.id AS endpoint_id, e.url, e.sealed_url, e.secret, e.previous_secrets, e.rate_limit
       FROM deliveries d JOIN events ev ON ev.id = d.event_id JOIN endpoints e ON e.id = d.endpoint_id
       WHERE d.id = ?`,
    );
    const claimed: ClaimedDelivery[] = [];
    for (const id of chosen) {
      const changes = lease.run({ id, token: request.leaseToken, until: now + request.leaseMs, now }).changes;
      if (changes === 0) continue;
      claimed.push(toClaimed(read.get(id) as ClaimRow, request.leaseToken, now, this.#box));
    }

    // The next pending delivery of each endpoint (leases are watched apart, see above).
    const head = this.#sql(
      `SELECT next_attempt_at AS earliest, attempts = schedule_base AS fresh FROM deliveries INDEXED BY deliveries_queue
       WHERE endpoint_id = ? AND status IN ('pending', 'delivering') AND status = 'pending' ORDER BY next_attempt_at LIMIT 1`,
    );
    const turn = this.#sql("UPDATE endpoints SET turn_at = ? WHERE id = ?");
    for (const endpointId of served) {
      const next = head.get(endpointId) as { earliest: number; fresh: number } | undefined;
      turn.run(
        turnAfterClaim({ now, earliest: next?.earliest ?? null, fresh: next?.fresh === 1, tokenAt: tokenAt.get(endpointId) ?? null }),
        endpointId,
      );
    }
    return claimed;
  }

  complete(r: CompleteRequest): CompleteResult {
    const a = r.attempt;
    if (a !== undefined) {
      this.#sql(
        `INSERT INTO attempts (id, delivery_id, event_id, endpoint_id, status, status_code, duration_ms, error_code, error_message, response_body,
             request_headers, response_headers, response_headers_truncated, created_at)
           VALUES (@id, @deliveryId, @eventId, @endpointId, @status, @statusCode, @durationMs, @errorCode, @errorMessage, @responseBody,
             @requestHeaders, @responseHeaders, @responseHeadersTruncated, @createdAt)`,
      ).run({
        id: a.id,
        deliveryId: a.deliveryId,
        eventId: a.eventId,
        endpointId: a.endpointId,
        status: a.status,
        statusCode: a.statusCode,
        durationMs: a.durationMs,
        errorCode: a.errorCode,
        errorMessage: a.errorMessage,
        responseBody: a.responseBody,
        requestHeaders: headersJson(a.requestHeaders),
        responseHeaders: headersJson(a.responseHeaders),
        responseHeadersTruncated: a.responseHeadersTruncated === true ? 1 : 0,
        createdAt: a.createdAt,
      });
    }
    const endpointDisabled = this.#applyHealth(r);
    const current = this.#sql("SELECT endpoint_id, status, lease_token, attempts, schedule_base FROM deliveries WHERE id = ?").get(
      r.deliveryId,
    ) as Pick<DeliveryRow, "endpoint_id" | "status" | "lease_token" | "attempts" | "schedule_base"> | undefined;
    // Fencing: a worker whose lease expired and was taken over writes nothing but its attempt.
    if (current?.status !== "delivering" || current.lease_token !== r.leaseToken) {
      return endpointDisabled === undefined ? { applied: false } : { applied: false, endpointDisabled };
    }
    const params = {
      id: r.deliveryId,
      now: r.now,
      attempted: a === undefined || r.uncounted === true ? 0 : 1,
      internal: r.internalError === true ? 1 : 0,
      outside: r.outsideSchedule === true ? 1 : 0,
      next: r.next.status === "pending" ? r.next.nextAttemptAt : null,
      reason: r.next.status === "failed" ? r.next.reason : null,
      status: r.next.status,
    };
    this.#sql(
      `UPDATE deliveries SET status = @status, next_attempt_at = @next, failure_reason = @reason, lease_token = NULL,
           attempts = attempts + @attempted, internal_errors = internal_errors + @internal, schedule_base = schedule_base + @outside,
           -- A replay's extra attempt is over once it was made (or the delivery is final); an internal error keeps it due.
           replay_resume_at = CASE WHEN @attempted = 1 OR @status <> 'pending' THEN NULL ELSE replay_resume_at END,
           last_attempt_at = CASE WHEN @attempted = 1 THEN @now ELSE last_attempt_at END, updated_at = @now
         WHERE id = @id`,
    ).run(params);
    // The retry becomes the endpoint's turn unless it already has an earlier one.
    // (A first attempt that failed on our side, with no request made, is still a first attempt.)
    if (r.next.status === "pending")
      arrive(this.#sql, current.endpoint_id, r.next.nextAttemptAt, a === undefined && current.attempts === current.schedule_base, r.now);
    return endpointDisabled === undefined ? { applied: true } : { applied: true, endpointDisabled };
  }

  /** Endpoint health (src/domain/endpoint-health.ts); returns the reason when this attempt disabled the endpoint. */
  #applyHealth(r: CompleteRequest): string | undefined {
    const endpointId = r.attempt?.endpointId;
    if (r.health === undefined || endpointId === undefined) return undefined;
    const row = this.#sql("SELECT disabled, failing_since FROM endpoints WHERE id = ?").get(endpointId) as
      | Pick<EndpointRow, "disabled" | "failing_since">
      | undefined;
    if (row === undefined) return undefined;
    const { health, disabledBy } = applyHealth({ disabled: row.disabled === 1, failingSince: row.failing_since }, [
      { health: r.health, now: r.now },
    ]);
    if (disabledBy !== undefined) {
      this.#sql("UPDATE endpoints SET failing_since = ?, disabled = 1, disabled_reason = ?, updated_at = ? WHERE id = ?").run(
        health.failingSince,
        disabledBy.reason,
        r.now,
        endpointId,
      );
    } else if (health.failingSince !== row.failing_since) {
      this.#sql("UPDATE endpoints SET failing_since = ? WHERE id = ?").run(health.failingSince, endpointId);
    }
    return disabledBy?.reason;
  }

  release(deliveryId: string, leaseToken: string, now: number): boolean {
    const row = this.#sql(
      `UPDATE deliveries SET status = 'pending', next_attempt_at = ?, lease_token = NULL, updated_at = ?
       WHERE id = ? AND status = 'delivering' AND lease_token = ? RETURNING endpoint_id, attempts = schedule_base AS fresh`,
    ).get(now, now, deliveryId, leaseToken) as { endpoint_id: string; fresh: number } | undefined;
    if (row === undefined) return false;
    arrive(this.#sql, row.endpoint_id, now, row.fresh === 1, now);
    return true;
  }

  /** The first turn (ignoring `exclude`d endpoints) or lease expiry: two index seeks, past the excluded endpoints. */
  nextDueAt(exclude: readonly string[]): number | null {
    const turn = this.#sql(
      `SELECT turn_at FROM endpoints INDEXED BY endpoints_turn WHERE ${IN_LINE} AND id NOT IN (SELECT value FROM json_each(?))
       ORDER BY turn_at LIMIT 1`,
    )
      .pluck()
      .get(JSON.stringify(exclude)) as number | undefined;
    const lease = this.#sql("SELECT MIN(next_attempt_at) FROM deliveries INDEXED BY deliveries_leases WHERE status = 'delivering'")
      .pluck()
      .get() as number | null;
    if (turn === undefined) return lease;
    return lease === null ? turn : Math.min(turn, lease);
  }

  stats(now: number): QueueStats {
    const row = this.#sql(
      `SELECT
           (SELECT COUNT(*) FROM deliveries WHERE status IN ('pending', 'delivering')) AS depth,
           (SELECT MIN(next_attempt_at) FROM deliveries WHERE status = 'pending' AND next_attempt_at <= @now) AS oldest,
           (SELECT COUNT(*) FROM deliveries WHERE status = 'failed') AS dead`,
    ).get({ now }) as { depth: number; oldest: number | null; dead: number };
    return { depth: row.depth, oldestDueAt: row.oldest, deadLetters: row.dead };
  }
}
