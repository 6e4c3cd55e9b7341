import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { RetentionSweeper } from "../../src/retention.js";
import type { Store } from "../../src/store/store.js";
import { testBackend } from "../support/postgres.js";
import { removeStorage, storeFor } from "../support/server.js";

const DAY = 86_400_000;
const T0 = Date.parse("2025-06-01T00:00:00Z");

describe(`${testBackend()} retention`, () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "hookline-retention-"));
    store = storeFor(dir);
    await store.migrate();
    await store.createEndpoint({
      id: "ep_r",
      url: "http://127.0.0.1:9/r",
      eventTypes: null,
      tenant: null,
      secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      description: null,
      rateLimit: null,
      disabled: false,
      metadata: {},
      now: T0,
    });
  });
  afterEach(async () => {
    await store.close();
    await removeStorage(dir);
  });

  it("prunes old events with their deliveries and attempts in bounded batches, keeping recent and unfinished ones", async () => {
    const ingest = (id: string, now: number) =>
      store.ingest({ id, type: "order.created", tenant: null, body: Buffer.from("{}"), requestHash: id, now });
    for (let i = 0; i < 7; i++) await ingest(`old-${i}`, T0 - 40 * DAY + i);
    await ingest("old-unfinished", T0 - 40 * DAY);
    await ingest("recent", T0 - DAY);
    // Finish every delivery except old-unfinished's, each with an attempt row.
    const claimed = await store.claim({
      now: T0,
      leaseMs: 60_000,
      leaseToken: "L",
      limit: 100,
      perEndpoint: 100,
      exclude: [],
      budget: () => 100,
    });
    for (const c of claimed) {
      if (c.eventId === "old-unfinished") continue;
      await store.complete({
        deliveryId: c.deliveryId,
        leaseToken: "L",
        now: T0,
        attempt: {
          id: `atm_${c.eventId}`,
          deliveryId: c.deliveryId,
          eventId: c.eventId,
          endpointId: "ep_r",
          status: "succeeded",
          statusCode: 200,
          durationMs: 1,
          errorCode: null,
          errorMessage: null,
          responseBody: "",
          createdAt: T0,
        },
        next: { status: "delivered" },
      });
    }
    const purges: number[] = [];
    const counting = new Proxy(store, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (prop !== "purge" || typeof value !== "function") return typeof value === "function" ? value.bind(target) : value;
        return async (before: number, limit: number) => {
          const n = (await (value as Store["purge"]).call(target, before, limit)) as number;
          purges.push(n);
          return n;
        };
      },
    }) as Store;
    const sweeper = new RetentionSweeper({
      store: counting,
      retentionMs: 30 * DAY,
      now: () => T0,
      logger: createLogger("silent"),
      intervalMs: 60_000,
      batchSize: 3,
    });
    expect(await sweeper.sweep()).toBe(7);
    expect(purges).toEqual([3, 3, 1]);
    for (let i = 0; i < 7; i++) expect(await store.getEvent(`old-${i}`)).toBeUndefined();
    expect((await store.listAttempts({ eventId: "old-0", limit: 10, maxBytes: 1 << 20 })).rows).toEqual([]);
    expect(await store.listDeliveries("old-0")).toEqual([]);
    expect(await store.getEvent("old-unfinished")).toBeDefined();
    expect(await store.getEvent("recent")).toBeDefined();
    expect((await store.listAttempts({ eventId: "recent", limit: 10, maxBytes: 1 << 20 })).rows).toHaveLength(1);
    await sweeper.stop();
  });
});
