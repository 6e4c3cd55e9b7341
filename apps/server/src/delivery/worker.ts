import { randomBytes } from "node:crypto";
import { WebhookSigner } from "@hookline/core";
import type { CatalogView } from "../catalog/catalog-view.js";
import type { Config } from "../config.js";
import type { AttemptOutcome, AttemptRequest } from "../egress/index.js";
import type { Logger } from "../logger.js";
import { Metrics } from "../metrics.js";
import { capResponseHeaders, sentHeaders } from "../domain/attempt-headers.js";
import { afterConversionFailure, afterInternalError, judgeAttempt, type Judgement } from "../domain/attempt-outcome.js";
import type { ClaimedDelivery, CompleteRequest, NewAttempt, Store } from "../store/store.js";
import { newId } from "../util/ids.js";
import { redactUrl } from "../util/url.js";
import { DeliveryBodies } from "./conversion.js";
import { RateLimiter } from "./rate-limiter.js";

/** What the worker needs from the egress module (injectable in tests). */
export interface EgressClient {
  attempt(request: AttemptRequest): Promise<AttemptOutcome>;
  close(): Promise<void>;
}

export interface WorkerDeps {
  readonly store: Store;
  readonly egress: EgressClient;
  readonly config: Config;
  readonly now: () => number;
  readonly random: () => number;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** The catalog in force (read at each use: a reload swaps it); converts deliveries to pinned versions. */
  readonly catalog: () => CatalogView;
  readonly userAgent: string;
}

interface InFlight {
  readonly claim: ClaimedDelivery;
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

/** Signers kept (one per endpoint): enough for the endpoints that receive most deliveries. */
const SIGNER_CACHE_SIZE = 1024;

/** Longest pause after repeated loop errors (database down): slow enough not to spin, quick enough to recover. */
const MAX_ERROR_BACKOFF_MS = 10_000;

/**
 * The delivery loop of one process: claim due deliveries under a lease, send each as one signed
 * attempt, record the attempt and the next state, repeat.
 *
 * Fairness: at most `concurrency` attempts in flight, at most `endpointConcurrency` per endpoint,
 * and per-endpoint rate limits, all decided *before* claiming: a saturated or rate-limited endpoint
 * is excluded from the claim, so its backlog holds no lease and no slot, and endpoints take turns
 * (src/domain/schedule.ts: a claim serves the endpoints first in line). A hanging endpoint therefore ties up at
 * most its own cap of slots until the request timeout.
 *
 * Wake-ups: `wake()` (new events, replays, re-enabled endpoints, finished attempts) or the next due
 * time, polled at most every `pollIntervalMs`. Errors back off exponentially up to 10 s.
 */
export class DeliveryWorker {
  readonly #d: WorkerDeps;
  readonly #inFlight = new Map<string, InFlight>();
  readonly #perEndpoint = new Map<string, number>();
  readonly #rateBlockedUntil = new Map<string, number>();
  readonly #limiter = new RateLimiter();
  readonly #signers = new Map<string, { readonly key: string; readonly signer: WebhookSigner }>();
  readonly #bodies: DeliveryBodies;
  #loop: Promise<void> | undefined;
  #stopping = false;
  #woken = false;
  #sleeper: (() => void) | undefined;
  #lastTick = Date.now();
  #lastError: unknown;
  /** Lease tokens: random per worker, then a counter — unique without a CSPRNG call per claim. */
  readonly #tokenPrefix = `${randomBytes(9).toString("base64url")}.`;
  #claims = 0;
  /** Consecutive idle rounds that found work due but could not claim it (other instances hold it). */
  #contended = 0;

  constructor(deps: WorkerDeps) {
    this.#d = deps;
    this.#bodies = new DeliveryBodies(deps.catalog, deps.config.maxPayloadBytes);
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** New work may be due: skip the current sleep. */
  wake(): void {
    this.#woken = true;
    this.#sleeper?.();
  }

  /** Alive = the loop is running and went round recently (it goes round at least every poll interval). */
  isAlive(): boolean {
    return this.#loop !== undefined && !this.#stopping && Date.now() - this.#lastTick < Math.max(30_000, this.#d.config.pollIntervalMs * 5);
  }

  get inFlightCount(): number {
    return this.#inFlight.size;
  }

  /**
   * Stops claiming, lets in-flight attempts finish until `deadlineMs`, then aborts the rest and gives
   * their deliveries back (due now, no attempt counted) so no lease is left behind.
   */
  async stop(deadlineMs = this.#d.config.shutdownTimeoutMs): Promise<void> {
    this.#stopping = true;
    this.wake();
    await this.#loop;
    const pending = [...this.#inFlight.values()].map((f) => f.done);
    if (pending.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"deadline">((resolve) => {
      timer = setTimeout(() => resolve("deadline"), deadlineMs);
    });
    const result = await Promise.race([Promise.allSettled(pending).then(() => "done" as const), deadline]);
    clearTimeout(timer);
    if (result === "deadline") {
      this.#d.logger.warn(
        { inFlight: this.#inFlight.size },
        "shutdown deadline reached: aborting in-flight deliveries and releasing their leases",
      );
      for (const f of this.#inFlight.values()) f.controller.abort();
      await Promise.allSettled([...this.#inFlight.values()].map((f) => f.done));
    }
  }

  async #run(): Promise<void> {
    const { config, logger } = this.#d;
    let errorDelay = 0;
    while (!this.#stopping) {
      this.#lastTick = Date.now();
      try {
        const now = this.#d.now();
        const free = config.concurrency - this.#inFlight.size;
        let claimed = 0;
        if (free > 0) {
          const batch = await this.#d.store.claim({
            now,
            leaseMs: config.leaseMs,
            leaseToken: `${this.#tokenPrefix}${++this.#claims}`,
            limit: free,
            perEndpoint: config.endpointConcurrency,
            exclude: this.#excluded(now),
            budget: (endpointId, rate) => this.#budget(endpointId, rate, now),
            tokenAt: (endpointId, rate) =>
              this.#limiter.available(endpointId, rate, now) < 1 ? this.#limiter.nextTokenAt(endpointId, rate, now) : null,
          });
          for (const claim of batch) this.#dispatch(claim, now);
          claimed = batch.length;
          if (claimed > 0) this.#contended = 0;
        }
        if (errorDelay > 0) logger.info("delivery loop recovered");
        errorDelay = 0;
        this.#lastError = undefined;
        if (claimed > 0 || this.#stopping) continue;
        await this.#sleep(free > 0 ? await this.#idleDelay() : config.pollIntervalMs);
      } catch (error) {
        errorDelay = Math.min(MAX_ERROR_BACKOFF_MS, Math.max(100, errorDelay * 2));
        if (String(error) !== String(this.#lastError))
          logger.error({ err: error, retryInMs: errorDelay }, "delivery loop error; backing off");
        this.#lastError = error;
        await this.#sleep(errorDelay, true);
      }
    }
  }

  /**
   * Endpoints that cannot take a delivery now: at their in-flight cap. Not those waiting for a
   * rate-limit token: the store moves them out of line until the token (budget 0, `tokenAt`), so
   * claims stop looking at them; excluded here, one that new work brought back in line would stay
   * there, and every claim would step over it until its token.
   */
  #excluded(now: number): string[] {
    const out: string[] = [];
    for (const [endpointId, count] of this.#perEndpoint) if (count >= this.#d.config.endpointConcurrency) out.push(endpointId);
    for (const [endpointId, until] of this.#rateBlockedUntil) if (until <= now) this.#rateBlockedUntil.delete(endpointId);
    return out;
  }

  #budget(endpointId: string, rate: number | null, now: number): number {
    const slots = this.#d.config.endpointConcurrency - (this.#perEndpoint.get(endpointId) ?? 0);
    if (rate === null || rate <= 0) return slots;
    const tokens = this.#limiter.available(endpointId, rate, now);
    if (tokens < 1) this.#rateBlockedUntil.set(endpointId, this.#limiter.nextTokenAt(endpointId, rate, now));
    return Math.min(slots, tokens);
  }

  async #idleDelay(): Promise<number> {
    const { pollIntervalMs } = this.#d.config;
    const now = this.#d.now();
    const exclude = this.#excluded(now);
    let wakeAt = now + pollIntervalMs;
    const due = await this.#d.store.nextDueAt(exclude);
    // Due already but not claimed: another worker or instance holds it, or the endpoint is at its global
    // cap. Look again soon, backing off (20 ms doubling up to the poll interval) so waiting is no spin.
    if (due !== null && due <= now) {
      wakeAt = Math.min(wakeAt, now + Math.min(pollIntervalMs, 20 * 2 ** Math.min(this.#contended, 10)));
      this.#contended++;
    } else if (due !== null) {
      wakeAt = Math.min(wakeAt, due);
      this.#contended = 0;
    }
    for (const until of this.#rateBlockedUntil.values()) wakeAt = Math.min(wakeAt, until);
    return Math.max(0, wakeAt - now);
  }

  #sleep(ms: number, ignoreWake = false): Promise<void> {
    if (this.#stopping) return Promise.resolve();
    if (this.#woken && !ignoreWake) {
      this.#woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        if (this.#sleeper === onWake) this.#sleeper = undefined;
        resolve();
      };
      const onWake = (): void => {
        if (ignoreWake && !this.#stopping) return;
        this.#woken = false;
        finish();
      };
      const timer = setTimeout(finish, ms);
      this.#sleeper = onWake;
    });
  }

  #dispatch(claim: ClaimedDelivery, now: number): void {
    const endpointId = claim.endpoint.id;
    this.#perEndpoint.set(endpointId, (this.#perEndpoint.get(endpointId) ?? 0) + 1);
    if (claim.endpoint.rateLimit !== null && claim.endpoint.rateLimit > 0) this.#limiter.take(endpointId, claim.endpoint.rateLimit, now);
    const controller = new AbortController();
    const done = this.#deliver(claim, controller.signal)
      .catch((error: unknown) => {
        this.#d.logger.error(
          { err: error, deliveryId: claim.deliveryId },
          "delivery bookkeeping failed; the lease will expire and the delivery will be retried",
        );
      })
      .finally(() => {
        this.#inFlight.delete(claim.deliveryId);
        const left = (this.#perEndpoint.get(endpointId) ?? 1) - 1;
        if (left <= 0) this.#perEndpoint.delete(endpointId);
        else this.#perEndpoint.set(endpointId, left);
        this.wake();
      });
    this.#inFlight.set(claim.deliveryId, { claim, controller, done });
  }

  async #deliver(claim: ClaimedDelivery, signal: AbortSignal): Promise<void> {
    const { config, egress, logger, metrics, store } = this.#d;
    // Built only when there is something to log: a pino child per delivery showed in profiles.
    const log = (): Logger => logger.child({ deliveryId: claim.deliveryId, eventId: claim.eventId, endpointId: claim.endpoint.id });

    // The event in the endpoint's pinned version (converted once per event and version).
    const converted = this.#bodies.bodyFor(claim);
    if (!converted.ok) {
      await this.#conversionFailed(claim, converted.reason);
      return;
    }
    const body = converted.body;
    let headers: Record<string, string>;
    let url: string;
    try {
      // The sealed URL needs the same master key as the secrets: an unreadable one is the same internal error.
      url = claim.endpoint.url();
      const signer = this.#signerFor(claim.endpoint.id, claim.endpoint.signingSecrets());
      headers = {
        "content-type": "application/json",
        "user-agent": this.#d.userAgent,
        ...signer.headers({ id: claim.eventId, timestamp: Math.floor(this.#d.now() / 1000), body }),
      };
    } catch (error) {
      await this.#internalError(claim, "signing", error);
      return;
    }

    let outcome: AttemptOutcome;
    try {
      outcome = await egress.attempt({
        url,
        headers,
        body,
        timeoutMs: config.requestTimeoutMs,
        maxResponseBytes: config.responseBodyLimit,
        signal,
      });
    } catch (error) {
      if (signal.aborted) {
        await this.#release(claim);
        return;
      }
      await this.#internalError(claim, "egress", error);
      return;
    }
    if (signal.aborted) {
      await this.#release(claim);
      return;
    }

    const now = this.#d.now();
    const sent = sentHeaders(headers, {
      bodyBytes: body.byteLength,
      basicAuthorization: hasCredentials(url),
    });
    const { attempt, next, health, outsideSchedule } = this.#judge(claim, outcome, now, sent);
    const result = await store.complete({
      deliveryId: claim.deliveryId,
      leaseToken: claim.leaseToken,
      now,
      attempt,
      next,
      health,
      ...(outsideSchedule === true ? { outsideSchedule } : {}),
    });

    metrics.attempts.inc({ outcome: Metrics.attemptOutcome(attempt.statusCode, attempt.errorCode) });
    metrics.attemptDuration.observe(attempt.durationMs / 1000);
    if (result.endpointDisabled !== undefined) {
      metrics.endpointsDisabled.inc({ reason: health.kind === "gone" ? "gone" : "failing" });
      log().warn(
        { url: redactUrl(claim.endpoint.displayUrl), reason: result.endpointDisabled },
        "endpoint disabled; its pending deliveries wait until it is re-enabled",
      );
    }
    if (!result.applied) {
      log().warn("lease lost before the attempt was recorded (another worker took the delivery over); attempt kept in history only");
      return;
    }
    if (next.status === "delivered") {
      metrics.deliveries.inc({ outcome: "delivered" });
      metrics.deliveryLatency.observe(Math.max(0, now - claim.eventCreatedAt) / 1000);
    } else if (next.status === "failed") {
      metrics.deliveries.inc({ outcome: "failed" });
      log().info({ reason: next.reason }, "delivery failed (dead letter)");
    } else {
      metrics.retriesScheduled.inc();
    }
    if (logger.isLevelEnabled("debug")) {
      log().debug(
        {
          status: attempt.status,
          statusCode: attempt.statusCode,
          error: attempt.errorCode,
          durationMs: attempt.durationMs,
          next: next.status,
        },
        "attempt recorded",
      );
    }
  }

  /** One signer per endpoint while its secrets stay the same (rotation changes the list, and so the signer). */
  #signerFor(endpointId: string, secrets: string[]): WebhookSigner {
    const key = secrets.join("\n");
    const cached = this.#signers.get(endpointId);
    if (cached?.key === key) return cached.signer;
    const signer = new WebhookSigner(secrets);
    if (this.#signers.size >= SIGNER_CACHE_SIZE) this.#signers.clear();
    this.#signers.set(endpointId, { key, signer });
    return signer;
  }

  #judge(
    claim: ClaimedDelivery,
    outcome: AttemptOutcome,
    now: number,
    requestHeaders: Record<string, string>,
  ): { attempt: NewAttempt } & Omit<Judgement, "result"> {
    const { result, ...judgement } = judgeAttempt({
      observed: outcome,
      attemptsInRun: claim.attemptsInRun,
      replayResumeAt: claim.replayResumeAt,
      policy: this.#d.config,
      random: this.#d.random,
      now,
    });
    const attempt: NewAttempt = {
      id: newId("atm"),
      deliveryId: claim.deliveryId,
      eventId: claim.eventId,
      endpointId: claim.endpoint.id,
      durationMs: Math.round(outcome.durationMs),
      createdAt: now,
      ...result,
      requestHeaders,
      ...(outcome.kind === "response" ? responseHeadersOf(outcome.headers) : {}),
    };
    return { attempt, ...judgement };
  }

  /** Signing or egress failed on our side: no request was made, no endpoint attempt is consumed. */
  async #internalError(claim: ClaimedDelivery, stage: string, error: unknown): Promise<void> {
    const { config, metrics, store, logger } = this.#d;
    const now = this.#d.now();
    const count = claim.internalErrors + 1;
    const message = error instanceof Error ? error.message : String(error);
    metrics.internalErrors.inc({ stage });
    const next = afterInternalError({ count, limit: config.internalErrorLimit, retryMs: config.internalRetryMs, stage, message, now });
    logger.error(
      { deliveryId: claim.deliveryId, endpointId: claim.endpoint.id, stage, internalErrors: count, next: next.status, error: message },
      "internal error while delivering",
    );
    const request: CompleteRequest = { deliveryId: claim.deliveryId, leaseToken: claim.leaseToken, now, internalError: true, next };
    const result = await store.complete(request);
    if (result.applied && next.status === "failed") metrics.deliveries.inc({ outcome: "failed" });
  }

  /** The event could not be converted to the pinned version: recorded, dead-lettered, no attempt used up, health untouched. */
  async #conversionFailed(claim: ClaimedDelivery, reason: string): Promise<void> {
    const { metrics, store, logger } = this.#d;
    const now = this.#d.now();
    const { result, next } = afterConversionFailure(reason);
    metrics.internalErrors.inc({ stage: "conversion" });
    const attempt: NewAttempt = {
      id: newId("atm"),
      deliveryId: claim.deliveryId,
      eventId: claim.eventId,
      endpointId: claim.endpoint.id,
      durationMs: 0,
      createdAt: now,
      ...result,
    };
    logger.warn(
      {
        deliveryId: claim.deliveryId,
        eventId: claim.eventId,
        endpointId: claim.endpoint.id,
        from: claim.eventVersion,
        to: claim.version,
        reason,
      },
      "conversion to the endpoint's pinned version failed; delivery dead-lettered (replay it after fixing the converter)",
    );
    const request: CompleteRequest = { deliveryId: claim.deliveryId, leaseToken: claim.leaseToken, now, attempt, uncounted: true, next };
    const completed = await store.complete(request);
    if (completed.applied) metrics.deliveries.inc({ outcome: "failed" });
  }

  async #release(claim: ClaimedDelivery): Promise<void> {
    await this.#d.store.release(claim.deliveryId, claim.leaseToken, this.#d.now());
  }
}

/** The attempt row's response header columns. */
function responseHeadersOf(headers: Record<string, string>): Pick<NewAttempt, "responseHeaders" | "responseHeadersTruncated"> {
  const capped = capResponseHeaders(headers);
  return { responseHeaders: capped.headers, responseHeadersTruncated: capped.truncated };
}

/** Whether the egress client adds Basic authorization from credentials in the URL. */
function hasCredentials(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== "" || parsed.password !== "";
  } catch {
    return false;
  }
}
