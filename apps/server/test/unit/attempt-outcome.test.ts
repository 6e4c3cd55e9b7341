import { describe, expect, it } from "vitest";
import { afterInternalError, capText, judgeAttempt, type Observed, type OutcomePolicy } from "../../src/domain/attempt-outcome.js";

const NOW = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const policy: OutcomePolicy = { retrySchedule: [1000, 60_000], retryAfterMaxMs: 3_600_000, disableAfterMs: DAY, responseBodyLimit: 16 };
/** random() = 0.5: no jitter, so a retry is due exactly at its scheduled delay. */
const judge = (observed: Observed, attemptsInRun: number, replayResumeAt: number | null = null) =>
  judgeAttempt({ observed, attemptsInRun, replayResumeAt, policy, random: () => 0.5, now: NOW });
const response = (statusCode: number, extra: { responseBody?: string; retryAfter?: string } = {}): Observed => ({
  kind: "response",
  statusCode,
  responseBody: extra.responseBody ?? "",
  ...(extra.retryAfter === undefined ? {} : { retryAfter: extra.retryAfter }),
});
const refused: Observed = { kind: "error", code: "connect_refused", message: "connection refused" };

describe("judgeAttempt", () => {
  it.each([
    { what: "a 200 is delivered", observed: response(200), run: 0, next: { status: "delivered" }, health: "success" },
    {
      what: "a 204 on the last attempt is still delivered",
      observed: response(204),
      run: 2,
      next: { status: "delivered" },
      health: "success",
    },
    {
      what: "a 500 on the first attempt retries after the first delay",
      observed: response(500),
      run: 0,
      next: { status: "pending", nextAttemptAt: NOW + 1000 },
      health: "failure",
    },
    {
      what: "a refused connection retries after the schedule's delay for its attempt",
      observed: refused,
      run: 1,
      next: { status: "pending", nextAttemptAt: NOW + 60_000 },
      health: "failure",
    },
    {
      what: "a 429's Retry-After postpones the retry",
      observed: response(429, { retryAfter: "120" }),
      run: 0,
      next: { status: "pending", nextAttemptAt: NOW + 120_000 },
      health: "failure",
    },
    {
      what: "a 500's Retry-After is ignored",
      observed: response(500, { retryAfter: "120" }),
      run: 0,
      next: { status: "pending", nextAttemptAt: NOW + 1000 },
      health: "failure",
    },
    {
      what: "a failure past the schedule is a dead letter naming the count and the last error",
      observed: response(500),
      run: 2,
      next: {
        status: "failed",
        reason: "retries exhausted after 3 attempts; last: The endpoint answered 500; only 2xx counts as delivered.",
      },
      health: "failure",
    },
    {
      what: "a transport error past the schedule is a dead letter naming its message",
      observed: refused,
      run: 2,
      next: { status: "failed", reason: "retries exhausted after 3 attempts; last: connection refused" },
      health: "failure",
    },
    {
      what: "410 retries like any failure but signals the endpoint is gone",
      observed: response(410),
      run: 0,
      next: { status: "pending", nextAttemptAt: NOW + 1000 },
      health: "gone",
    },
  ])("$what", ({ observed, run, next, health }) => {
    const judgement = judge(observed, run);
    expect(judgement.next).toEqual(next);
    expect(judgement.health.kind).toBe(health);
    expect(judgement.outsideSchedule).toBeUndefined();
  });

  it("a dead letter after a single attempt says attempt, not attempts", () => {
    const judgement = judgeAttempt({
      observed: refused,
      attemptsInRun: 0,
      replayResumeAt: null,
      policy: { ...policy, retrySchedule: [] },
      random: () => 0.5,
      now: NOW,
    });
    expect(judgement.next).toEqual({ status: "failed", reason: "retries exhausted after 1 attempt; last: connection refused" });
  });

  it.each([
    {
      what: "a failed replay attempt goes back to the retry it was waiting for",
      observed: response(500),
      resumeAt: NOW + 30_000,
      due: NOW + 30_000,
    },
    { what: "a retry already past is due now", observed: refused, resumeAt: NOW - 5, due: NOW },
    { what: "Retry-After may postpone it", observed: response(503, { retryAfter: "60" }), resumeAt: NOW + 1000, due: NOW + 60_000 },
  ])("replay: $what, outside the schedule", ({ observed, resumeAt, due }) => {
    // On the last attempt of the schedule: a replay's extra attempt never dead-letters.
    const judgement = judge(observed, 2, resumeAt);
    expect(judgement.next).toEqual({ status: "pending", nextAttemptAt: due });
    expect(judgement.outsideSchedule).toBe(true);
  });

  it("a successful replay attempt is delivered", () => {
    expect(judge(response(200), 1, NOW + 30_000)).toEqual({
      result: { status: "succeeded", statusCode: 200, errorCode: null, errorMessage: null, responseBody: "" },
      next: { status: "delivered" },
      health: { kind: "success" },
    });
  });

  it.each([
    {
      what: "a 2xx records the body and no error",
      observed: response(201, { responseBody: "ok" }),
      result: { status: "succeeded", statusCode: 201, errorCode: null, errorMessage: null, responseBody: "ok" },
    },
    {
      what: "a redirect is named as not followed",
      observed: response(302),
      result: {
        status: "failed",
        statusCode: 302,
        errorCode: "redirect_not_followed",
        errorMessage: "The endpoint answered 302 (a redirect). Redirects are never followed: update the endpoint URL to the final address.",
        responseBody: "",
      },
    },
    {
      what: "410 says how to resume",
      observed: response(410),
      result: {
        status: "failed",
        statusCode: 410,
        errorCode: "gone",
        errorMessage: "The endpoint answered 410 Gone: it was disabled. Re-enable it (PATCH disabled=false) and recover to resume.",
        responseBody: "",
      },
    },
    {
      what: "a long body is cut to the limit",
      observed: response(500, { responseBody: "x".repeat(40) }),
      result: {
        status: "failed",
        statusCode: 500,
        errorCode: "http_status",
        errorMessage: "The endpoint answered 500; only 2xx counts as delivered.",
        responseBody: "x".repeat(16),
      },
    },
    {
      what: "a transport error keeps its code and message and no status",
      observed: refused,
      result: { status: "failed", statusCode: null, errorCode: "connect_refused", errorMessage: "connection refused", responseBody: "" },
    },
  ])("records: $what", ({ observed, result }) => {
    expect(judge(observed, 0).result).toEqual(result);
  });
});

describe("afterInternalError", () => {
  const base = { limit: 3, retryMs: 1000, stage: "signing", message: "bad key", now: NOW };
  it.each([
    { what: "the first retries after the base delay", count: 1, next: { status: "pending", nextAttemptAt: NOW + 1000 } },
    { what: "the delay doubles", count: 2, next: { status: "pending", nextAttemptAt: NOW + 2000 } },
    {
      what: "at the limit it is a dead letter naming the stage, count and error",
      count: 3,
      next: { status: "failed", reason: "internal error (signing) 3 times; last: bad key" },
    },
  ])("$what", ({ count, next }) => {
    expect(afterInternalError({ ...base, count })).toEqual(next);
  });

  it("the delay stops doubling at 5 minutes", () => {
    expect(afterInternalError({ ...base, limit: 100, count: 20 })).toEqual({ status: "pending", nextAttemptAt: NOW + 300_000 });
  });
});

describe("capText", () => {
  it.each([
    { what: "short text is kept", text: "hello", limit: 8, out: "hello" },
    { what: "cut at the byte limit", text: "abcdefgh", limit: 4, out: "abcd" },
    { what: "a cut multi-byte character becomes the replacement character", text: "aé", limit: 2, out: "a\uFFFD" },
    { what: "U+0000 is replaced (PostgreSQL text refuses it)", text: "a\u0000b", limit: 8, out: "a\uFFFDb" },
  ])("$what", ({ text, limit, out }) => {
    expect(capText(text, limit)).toBe(out);
  });
});
