/** Retry policy of the API client: which failures are transient and how long to wait before the next try. */

/** Network failures, timeouts, 408, 425, 429 and 5xx are worth retrying; other 4xx are the caller's to fix. */
export function isTransient(status: number): boolean {
  return status === 0 || status === 408 || status === 425 || status === 429 || status >= 500;
}

export interface BackoffOptions {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * Delay before retry number `retry` (1-based): exponential with full jitter, unless the server said
 * how long to wait (`Retry-After` in seconds or as an HTTP date), which is honoured up to `maxDelayMs`.
 */
export function retryDelayMs(
  retry: number,
  retryAfter: string | null,
  nowMs: number,
  random: () => number,
  options: BackoffOptions,
): number {
  const hinted = parseRetryAfter(retryAfter, nowMs);
  if (hinted !== undefined) return Math.min(hinted, options.maxDelayMs);
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Milliseconds to wait from a `Retry-After` value; undefined when absent or invalid. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d{1,10}$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date) || !/[A-Za-z]/.test(trimmed)) return undefined;
  return Math.max(0, date - nowMs);
}
