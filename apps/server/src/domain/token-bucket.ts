/**
 * The token-bucket rule of the per-endpoint rate limit, shared by the in-process limiter
 * (src/delivery/rate-limiter.ts) and the PostgreSQL claim, which keeps one bucket per endpoint in
 * the database so the limit holds across instances.
 */

/**
 * Tokens in a bucket at `now`: full (max(1, rate/10), 100 ms worth) when it has no state yet,
 * else what it held at `at` plus the refill since, capped at full.
 */
export function refillTokens(bucket: { readonly tokens: number; readonly at: number } | undefined, rate: number, now: number): number {
  const capacity = Math.max(1, rate / 10);
  if (bucket === undefined) return capacity;
  return Math.min(capacity, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * rate);
}
