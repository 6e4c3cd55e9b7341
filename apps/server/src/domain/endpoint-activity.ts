/**
 * An endpoint's health as the dashboard shows it: its recent attempts (success rate over a window,
 * 24 hours in the API) next to the failing run of src/domain/endpoint-health.ts. The store counts;
 * this file decides what the numbers mean.
 */

/** The error code of attempts that made no request (see attempt-outcome.ts): not the endpoint's doing. */
export const NOT_SENT_ERROR_CODE = "conversion_failed";

/** How far back the success rate looks. */
export const HEALTH_WINDOW_MS = 24 * 60 * 60 * 1000;

/** What the store reads per endpoint (attempts that made no request left out). */
export interface EndpointActivity {
  /** Attempts in the window. */
  readonly attempts: number;
  /** Failed attempts in the window. */
  readonly failures: number;
  /** Newest attempt, any time (epoch ms). */
  readonly lastAttemptAt: number | null;
  /** Newest failed attempt, any time. */
  readonly lastError: {
    readonly code: string;
    readonly message: string;
    readonly statusCode: number | null;
    readonly at: number;
  } | null;
}

export interface EndpointHealthSummary {
  /** Succeeded / made in the window, 0..1; null without attempts in the window. */
  readonly successRate: number | null;
  readonly attempts24h: number;
  readonly failures24h: number;
  readonly lastAttemptAt: number | null;
  readonly lastError: EndpointActivity["lastError"];
  readonly failingSince: number | null;
}

export const NO_ACTIVITY: EndpointActivity = { attempts: 0, failures: 0, lastAttemptAt: null, lastError: null };

export function healthSummary(activity: EndpointActivity, failingSince: number | null): EndpointHealthSummary {
  const { attempts, failures } = activity;
  return {
    // Rounded to 4 places: a rate, not a fraction to compute with.
    successRate: attempts === 0 ? null : Math.round(((attempts - failures) / attempts) * 10_000) / 10_000,
    attempts24h: attempts,
    failures24h: failures,
    lastAttemptAt: activity.lastAttemptAt,
    lastError: activity.lastError,
    failingSince,
  };
}
