/**
 * What an attempt's outcome means for its delivery, the same on every backend: delivered (any 2xx),
 * a retry at the next time of the schedule (src/domain/retry.ts), or a dead letter once the schedule
 * is exhausted; what the attempt row records; and what it says about the endpoint's health
 * (src/domain/endpoint-health.ts). Failures on our side (signing, egress) have their own rule:
 * `afterInternalError`, and so does a payload that cannot be converted to the endpoint's pinned
 * version: `afterConversionFailure`.
 */

import { healthSignal, type HealthSignal } from "./endpoint-health.js";
import { resumeAfterReplay, retryDelay } from "./retry.js";

/** The state a delivery moves to after an attempt (or an internal error). */
export type NextState =
  | { readonly status: "delivered" }
  | { readonly status: "pending"; readonly nextAttemptAt: number }
  | { readonly status: "failed"; readonly reason: string };

/** What the egress module saw: a response (any status), or no response. */
export type Observed =
  | { readonly kind: "response"; readonly statusCode: number; readonly responseBody: string; readonly retryAfter?: string | undefined }
  | { readonly kind: "error"; readonly code: string; readonly message: string };

export interface OutcomePolicy {
  readonly retrySchedule: readonly number[];
  readonly retryAfterMaxMs: number;
  readonly disableAfterMs: number;
  /** Most bytes of a response body kept in the attempt row. */
  readonly responseBodyLimit: number;
}

/** The attempt row's outcome columns. */
export interface AttemptResult {
  readonly status: "succeeded" | "failed";
  readonly statusCode: number | null;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly responseBody: string;
}

export interface Judgement {
  readonly result: AttemptResult;
  readonly next: NextState;
  readonly health: HealthSignal;
  /** Set for a replay's extra attempt: it counts in `attempts` but not toward the retry schedule. */
  readonly outsideSchedule?: true;
}

/** Most bytes of a transport error's message kept in the attempt row. */
const ERROR_MESSAGE_LIMIT = 1024;

export function judgeAttempt(input: {
  readonly observed: Observed;
  /** Attempts made before this one since the delivery was (re-)armed. */
  readonly attemptsInRun: number;
  /** The retry a replay's extra attempt goes back to when it fails (null: not a replay's extra attempt). */
  readonly replayResumeAt: number | null;
  readonly policy: OutcomePolicy;
  readonly random: () => number;
  readonly now: number;
}): Judgement {
  const { observed, policy, now } = input;
  const statusCode = observed.kind === "response" ? observed.statusCode : undefined;
  const retryAfter = observed.kind === "response" ? observed.retryAfter : undefined;
  const health = healthSignal(statusCode, policy.disableAfterMs);
  const result = attemptResult(observed, policy.responseBodyLimit);
  if (result.status === "succeeded") return { result, next: { status: "delivered" }, health };
  if (input.replayResumeAt !== null) {
    // A replay's extra attempt: back to the retry it was waiting for, without using it up.
    const nextAttemptAt = resumeAfterReplay({
      resumeAt: input.replayResumeAt,
      statusCode,
      retryAfter,
      retryAfterMaxMs: policy.retryAfterMaxMs,
      now,
    });
    return { result, next: { status: "pending", nextAttemptAt }, health, outsideSchedule: true };
  }
  const attemptsInRun = input.attemptsInRun + 1;
  const delay = retryDelay({
    schedule: policy.retrySchedule,
    attemptsInRun,
    random: input.random,
    statusCode,
    retryAfter,
    retryAfterMaxMs: policy.retryAfterMaxMs,
    now,
  });
  if (delay !== undefined) return { result, next: { status: "pending", nextAttemptAt: now + delay }, health };
  const last = result.errorMessage ?? result.errorCode ?? "failed";
  const reason = `retries exhausted after ${attemptsInRun} attempt${attemptsInRun === 1 ? "" : "s"}; last: ${last}`;
  return { result, next: { status: "failed", reason }, health };
}

/**
 * After the `count`th failure on our side in a row (no request made, no attempt used up): retry
 * with a backoff doubling from `retryMs` up to 5 minutes, a dead letter at `limit`.
 */
export function afterInternalError(input: {
  readonly count: number;
  readonly limit: number;
  readonly retryMs: number;
  readonly stage: string;
  readonly message: string;
  readonly now: number;
}): NextState {
  if (input.count >= input.limit)
    return { status: "failed", reason: `internal error (${input.stage}) ${input.count} times; last: ${input.message}` };
  return { status: "pending", nextAttemptAt: input.now + Math.min(300_000, input.retryMs * 2 ** (input.count - 1)) };
}

/** The error code of an attempt row, and the prefix of a dead letter's reason, for a conversion that failed. */
export const CONVERSION_FAILED = "conversion_failed";

/**
 * The event could not be converted to the version the endpoint is pinned to (a converter threw, is
 * missing, or returned a payload that version rejects). No request was made and retrying cannot
 * help until the converter is fixed, so the delivery is a dead letter at once, its reason starting
 * with `conversion_failed` (replay or recover it after the fix). The attempt row records the
 * converter's message; it does not use up one of the endpoint's attempts and says nothing about
 * the endpoint's health (`counted: false`, no health signal).
 */
export function afterConversionFailure(reason: string): {
  readonly result: AttemptResult;
  readonly next: NextState;
  readonly counted: false;
} {
  const message = capText(reason, ERROR_MESSAGE_LIMIT);
  return {
    result: { status: "failed", statusCode: null, errorCode: CONVERSION_FAILED, errorMessage: message, responseBody: "" },
    next: { status: "failed", reason: `${CONVERSION_FAILED}: ${message}` },
    counted: false,
  };
}

function attemptResult(observed: Observed, responseBodyLimit: number): AttemptResult {
  if (observed.kind === "error")
    return {
      status: "failed",
      statusCode: null,
      errorCode: observed.code,
      errorMessage: capText(observed.message, ERROR_MESSAGE_LIMIT),
      responseBody: "",
    };
  const ok = observed.statusCode >= 200 && observed.statusCode < 300;
  const error = ok ? null : describeStatus(observed.statusCode);
  return {
    status: ok ? "succeeded" : "failed",
    statusCode: observed.statusCode,
    errorCode: error?.code ?? null,
    errorMessage: error?.message ?? null,
    responseBody: capText(observed.responseBody, responseBodyLimit),
  };
}

function describeStatus(status: number): { code: string; message: string } {
  if (status >= 300 && status < 400) {
    return {
      code: "redirect_not_followed",
      message: `The endpoint answered ${status} (a redirect). Redirects are never followed: update the endpoint URL to the final address.`,
    };
  }
  if (status === 410)
    return {
      code: "gone",
      message: "The endpoint answered 410 Gone: it was disabled. Re-enable it (PATCH disabled=false) and recover to resume.",
    };
  return { code: "http_status", message: `The endpoint answered ${status}; only 2xx counts as delivered.` };
}

/**
 * Text a receiver controls, made storable: at most `limit` bytes, cut on a character boundary (the
 * replacement character marks a cut multi-byte sequence), and U+0000 replaced the same way, since a
 * PostgreSQL text column refuses it and the whole batch of results would fail with it.
 */
export function capText(text: string, limit: number): string {
  const clean = text.includes("\u0000") ? text.replaceAll("\u0000", "\uFFFD") : text;
  if (Buffer.byteLength(clean) <= limit) return clean;
  return Buffer.from(clean).subarray(0, limit).toString("utf8");
}
