/**
 * Closed-loop HTTP load: `concurrency` virtual clients, each sending its next request as soon as the
 * previous response has been read, over an undici Pool (keep-alive connections on loopback). Used
 * by the receiver-middleware pair and, later, by the end-to-end delivery benchmarks.
 */

import type { Dispatcher, Pool } from "undici";
import { foldChecksum, type SliceSample, type Subject } from "./pair.js";

export interface LoadRequest {
  readonly method: "POST" | "GET";
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

export interface LoadOptions {
  readonly pool: Pool;
  readonly concurrency: number;
  readonly durationMs: number;
  /** The i-th request overall (a running index across calls, so fixtures cycle). */
  readonly request: (i: number) => LoadRequest;
  /** First request index; default 0. */
  readonly startIndex?: number;
  /** Status every response must have; anything else fails the run (a broken setup, not a result). */
  readonly expectStatus?: number;
  /** Record each request's latency (ms) in the result. */
  readonly recordLatency?: boolean;
}

export interface LoadResult extends SliceSample {
  readonly latenciesMs: readonly number[];
  readonly nextIndex: number;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { pool, concurrency, durationMs, request, expectStatus = 200, recordLatency = false } = options;
  let index = options.startIndex ?? 0;
  let ops = 0;
  let checksum = 0;
  const latenciesMs: number[] = [];
  const start = performance.now();
  const deadline = start + durationMs;
  const client = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const sent = performance.now();
      const response: Dispatcher.ResponseData = await pool.request(request(index++));
      const text = await response.body.text();
      if (response.statusCode !== expectStatus) {
        throw new Error(`Expected HTTP ${expectStatus}, got ${response.statusCode}: ${text.slice(0, 300)}`);
      }
      if (recordLatency) latenciesMs.push(performance.now() - sent);
      ops += 1;
      checksum = foldChecksum(checksum, text.length + response.statusCode);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return { ops, elapsedMs: performance.now() - start, checksum, latenciesMs, nextIndex: index };
}

/** A pair subject that runs closed-loop load against one pool for each slice. */
export function httpSubject(
  label: string,
  options: Omit<LoadOptions, "durationMs" | "startIndex">,
): Subject & { readonly requestsSent: () => number } {
  let index = 0;
  return {
    label,
    requestsSent: () => index,
    async runSlice(durationMs) {
      const result = await runLoad({ ...options, durationMs, startIndex: index });
      index = result.nextIndex;
      return { ops: result.ops, elapsedMs: result.elapsedMs, checksum: result.checksum };
    },
  };
}
