/**
 * When to try again. Delays come from the configured schedule (retry n waits schedule[n-1]), each
 * scaled by a uniform factor in [0.8, 1.2] drawn from the injected `random()`, so receivers that
 * failed together do not get retried in lockstep.
 *
 * `Retry-After` (on 429 and 503 only): a number of seconds or an HTTP date. It can postpone a retry,
 * never bring one forward: the delay used is max(scheduled delay, Retry-After), and Retry-After is
 * capped at `retryAfterMaxMs` (HOOKLINE_RETRY_AFTER_MAX, default 1 h) so a receiver cannot park a
 * delivery for days. Unparseable or negative values are ignored. It never adds attempts: when the
 * schedule is exhausted, the delivery fails.
 */

export const JITTER = 0.2;

/** Delay before the next attempt after `attemptsInRun` failed attempts, or undefined when the schedule is exhausted. */
export function scheduledDelay(schedule: readonly number[], attemptsInRun: number, random: () => number): number | undefined {
  const base = schedule[attemptsInRun - 1];
  if (base === undefined) return undefined;
  const factor = 1 + JITTER * (2 * clamp01(random()) - 1);
  return Math.max(0, Math.round(base * factor));
}

/** `Retry-After` → milliseconds from `now`; undefined when absent or invalid. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text) * 1000;
  // HTTP-date (IMF-fixdate, and the obsolete forms Date.parse understands); must name a weekday or GMT.
  if (!/GMT$|^[A-Za-z]{3},/.test(text)) return undefined;
  const at = Date.parse(text);
  if (!Number.isFinite(at)) return undefined;
  return Math.max(0, at - now);
}

export function retryDelay(options: {
  schedule: readonly number[];
  attemptsInRun: number;
  random: () => number;
  statusCode: number | undefined;
  retryAfter: string | undefined;
  retryAfterMaxMs: number;
  now: number;
}): number | undefined {
  const delay = scheduledDelay(options.schedule, options.attemptsInRun, options.random);
  if (delay === undefined) return undefined;
  if (options.statusCode !== 429 && options.statusCode !== 503) return delay;
  const requested = parseRetryAfter(options.retryAfter, options.now);
  if (requested === undefined) return delay;
  return Math.max(delay, Math.min(requested, options.retryAfterMaxMs));
}

/**
 * When a delivery goes after a failed replay attempt made while it was waiting for a retry: back to
 * that retry (`resumeAt`), not to the next slot of the schedule. The replay was an extra attempt
 * asked for by an operator, as a manual "resend" is on Svix or Stripe: it neither uses up a retry nor
 * restarts the schedule, so replaying can neither dead-letter a delivery early nor keep one alive
 * forever. `Retry-After` (429/503) may only postpone it, as for any retry.
 */
export function resumeAfterReplay(options: {
  resumeAt: number;
  statusCode: number | undefined;
  retryAfter: string | undefined;
  retryAfterMaxMs: number;
  now: number;
}): number {
  const due = Math.max(options.resumeAt, options.now);
  if (options.statusCode !== 429 && options.statusCode !== 503) return due;
  const requested = parseRetryAfter(options.retryAfter, options.now);
  return requested === undefined ? due : Math.max(due, options.now + Math.min(requested, options.retryAfterMaxMs));
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(Math.max(x, 0), 1) : 0.5;
}
