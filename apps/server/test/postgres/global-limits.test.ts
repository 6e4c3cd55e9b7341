import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Store } from "../../src/store/store.js";
import { removeStorage, storeFor } from "../support/server.js";

const T0 = Date.parse("2025-03-10T12:00:00Z");

describe("per-endpoint rate limit on PostgreSQL", () => {
  const dir = mkdtempSync(join(tmpdir(), "hookline-limits-"));
  const stores: Store[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    await removeStorage(dir);
  });

  it("is one token bucket in the database, shared by every instance", async () => {
    const [a, b] = [storeFor(dir), storeFor(dir)]; // two server processes on one database
    stores.push(a, b);
    await a.migrate();
    await a.createEndpoint({
      id: "ep_r",
      url: "http://127.0.0.1:9/r",
      eventTypes: null,
      tenant: null,
      secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      description: null,
      rateLimit: 20, // 20/s: a bucket of 2 tokens, refilled one per 50 ms
      disabled: false,
      metadata: {},
      now: T0,
    });
    for (let i = 0; i < 10; i++) {
      await a.ingest({
        id: `r${i}`,
        type: "order.created",
        tenant: null,
        body: Buffer.from("{}"),
        requestHash: `r${i}`,
        now: T0 - 100 + i,
      });
    }
    const claim = (store: Store, now: number, token: string) =>
      store.claim({ now, leaseMs: 10_000, leaseToken: token, limit: 100, perEndpoint: 100, exclude: [], budget: () => 100 });
    expect(await claim(a, T0, "A")).toHaveLength(2);
    expect(await claim(b, T0, "B")).toEqual([]);
    // The other instance sleeps until the next token rather than polling.
    expect(await b.nextDueAt([])).toBe(T0 + 50);
    expect(await claim(b, T0 + 50, "C")).toHaveLength(1);
    expect(await claim(a, T0 + 100, "D")).toHaveLength(1);
    expect(await claim(a, T0 + 100, "E")).toEqual([]);
  });
});
