import { refillTokens } from "../domain/token-bucket.js";

/**
 * Per-endpoint rate limit (deliveries per second), enforced before a delivery is claimed: an
 * endpoint without a token is not claimed at all, so waiting for the limit holds no lease and never
 * counts as an attempt. Token bucket refilled at `rate` per second, holding at most max(1, rate/10)
 * tokens (100 ms worth), so bursts stay small and the long-run rate is exact.
 *
 * In memory and per process. On PostgreSQL the store also keeps one bucket per endpoint in the
 * database, with the same rule (`refillTokens`), so the limit holds across instances.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number; rate: number }>();

  /** Whole tokens available now. */
  available(endpointId: string, rate: number, now: number): number {
    return Math.floor(this.#refill(endpointId, rate, now).tokens + 1e-9);
  }

  take(endpointId: string, rate: number, now: number): void {
    const bucket = this.#refill(endpointId, rate, now);
    bucket.tokens -= 1;
  }

  /** When the next whole token will be there. */
  nextTokenAt(endpointId: string, rate: number, now: number): number {
    const bucket = this.#refill(endpointId, rate, now);
    if (bucket.tokens >= 1) return now;
    return now + Math.ceil(((1 - bucket.tokens) / rate) * 1000);
  }

  forget(endpointId: string): void {
    this.#buckets.delete(endpointId);
  }

  #refill(endpointId: string, rate: number, now: number): { tokens: number; at: number; rate: number } {
    let bucket = this.#buckets.get(endpointId);
    if (bucket === undefined || bucket.rate !== rate) {
      bucket = { tokens: refillTokens(undefined, rate, now), at: now, rate };
      this.#buckets.set(endpointId, bucket);
      return bucket;
    }
    if (now > bucket.at) {
      bucket.tokens = refillTokens(bucket, rate, now);
      bucket.at = now;
    }
    return bucket;
  }
}
