/**
 * The webhook receivers of the end-to-end benchmarks: one raw node:http server (no verification:
 * the server's cost is under test, not the receiver's) with one path per endpoint. It records when
 * each (endpoint, webhook-id) first arrived and counts duplicates, and can refuse connections to
 * play a receiver that is down.
 */

import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Sink {
  /** URL of endpoint `k` (0-based). */
  url(k: number): string;
  /** First arrival (performance.now()) per `${k}/${webhook-id}`. */
  readonly arrivals: ReadonlyMap<string, number>;
  /** Deliveries received, duplicates included. */
  received(): number;
  duplicates(): number;
  /** Resolves once `count` distinct deliveries arrived; rejects after `timeoutMs`. */
  waitForDistinct(count: number, timeoutMs: number): Promise<void>;
  clear(): void;
  /** Closes the port and every open connection: deliveries are refused, as by a receiver that is down. */
  down(): Promise<void>;
  /** Listens again on the same port (same URLs). */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startSink(): Promise<Sink> {
  const arrivals = new Map<string, number>();
  let received = 0;
  let duplicates = 0;
  let waiter: { count: number; resolve: () => void } | undefined;
  const server = http.createServer((request, response) => {
    request.resume();
    request.once("end", () => {
      const now = performance.now();
      const id = request.headers["webhook-id"];
      received += 1;
      const key = `${request.url?.slice("/hook/".length) ?? "?"}/${typeof id === "string" ? id : "?"}`;
      if (arrivals.has(key)) duplicates += 1;
      else arrivals.set(key, now);
      response.writeHead(200, { "content-length": "0" }).end();
      if (waiter !== undefined && arrivals.size >= waiter.count) {
        waiter.resolve();
        waiter = undefined;
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  const stopListening = async () => {
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  };
  await listen(0);
  const { port } = server.address() as AddressInfo;
  return {
    url: (k) => `http://127.0.0.1:${port}/hook/${k}`,
    arrivals,
    received: () => received,
    duplicates: () => duplicates,
    waitForDistinct(count, timeoutMs) {
      if (arrivals.size >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiter = undefined;
          reject(new Error(`Only ${arrivals.size} of ${count} deliveries arrived within ${Math.round(timeoutMs / 1000)} s.`));
        }, timeoutMs);
        waiter = {
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
      });
    },
    clear() {
      arrivals.clear();
      received = 0;
      duplicates = 0;
    },
    down: stopListening,
    async up() {
      if (!server.listening) await listen(port);
    },
    close: stopListening,
  };
}
