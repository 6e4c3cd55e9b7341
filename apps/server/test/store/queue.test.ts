import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { catalog as senderCatalog } from "@hookline/sender";
import { schemas as senderSchemas } from "@hookline/sender/schemas";
import { catalogView, type GeneratedCatalog, type GeneratedSchemas } from "../../src/catalog/catalog-view.js";
import { resolveConfig } from "../../src/config.js";
import { DeliveryWorker, type EgressClient } from "../../src/delivery/worker.js";
import type { AttemptOutcome } from "../../src/egress/index.js";
import { createLogger } from "../../src/logger.js";
import { Metrics } from "../../src/metrics.js";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import type { ClaimRequest, NewAttempt, Store } from "../../src/store/store.js";
import { testBackend } from "../support/postgres.js";
import { removeStorage, storeFor } from "../support/server.js";

const T0 = Date.parse("2025-03-10T12:00:00Z");
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

describe(`${testBackend()} queue`, () => {
  let dir: string;
  let store: Store;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "hookline-store-"));
    store = storeFor(dir);
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    await removeStorage(dir);
  });

  const addEndpoint = async (id: string, extra: { eventTypes?: string[] | null; rateLimit?: number | null } = {}): Promise<void> => {
    await store.createEndpoint({
      id,
      url: `http://127.0.0.1:9/${id}`,
      eventTypes: extra.eventTypes ?? null,
      tenant: null,
      secret: SECRET,
      description: null,
      rateLimit: extra.rateLimit ?? null,
      disabled: false,
      metadata: {},
      now: T0,
    });
  };
  const addEvent = async (id: string, now = T0): Promise<void> => {
    const result = await store.ingest({
      id,
      type: "order.created",
      tenant: null,
      body: Buffer.from(`{"id":"${id}"}`),
      requestHash: id,
      now,
    });
    expect(result.outcome).toBe("created");
  };
  const claim = (now: number, token: string, extra: Partial<ClaimRequest> = {}) =>
    store.claim({ now, leaseMs: 10_000, leaseToken: token, limit: 100, perEndpoint: 100, exclude: [], budget: () => 100, ...extra });
  const attempt = (deliveryId: string, eventId: string, endpointId: string, now: number): NewAttempt => ({
    id: `atm_${Math.random().toString(36).slice(2)}`,
    deliveryId,
    eventId,
    endpointId,
    status: "failed",
    statusCode: 500,
    durationMs: 5,
    errorCode: "http_status",
    errorMessage: "500",
    responseBody: "",
    createdAt: now,
  });

  it("never claims a delayed delivery early", async () => {
    await addEndpoint("ep_a");
    await addEvent("e1");
    const [first] = await claim(T0, "A");
    expect(first).toBeDefined();
    const done = await store.complete({
      deliveryId: first!.deliveryId,
      leaseToken: "A",
      now: T0,
      attempt: attempt(first!.deliveryId, "e1", "ep_a", T0),
      next: { status: "pending", nextAttemptAt: T0 + 5000 },
    });
    expect(done.applied).toBe(true);
    expect(await claim(T0 + 4999, "B")).toEqual([]);
    expect(await store.nextDueAt([])).toBe(T0 + 5000);
    const again = await claim(T0 + 5000, "B");
    expect(again.map((c) => c.attemptsInRun)).toEqual([1]);
  });

  it("replay of a delivery waiting for a retry: one extra attempt now, outside the schedule; the retry keeps its time and place", async () => {
    await addEndpoint("ep_a");
    await addEvent("e1");
    const [first] = await claim(T0, "A");
    const id = first!.deliveryId;
    expect(first?.replayResumeAt).toBeNull();
    const retryAt = T0 + 300_000;
    await store.complete({
      deliveryId: id,
      leaseToken: "A",
      now: T0,
      attempt: attempt(id, "e1", "ep_a", T0),
      next: { status: "pending", nextAttemptAt: retryAt },
    });

    const now = T0 + 1000;
    expect(await store.replay("e1", undefined, now)).toEqual({ outcome: "ok", scheduled: 1 });
    // A second replay while the extra attempt is due changes nothing.
    expect(await store.replay("e1", "ep_a", now + 1)).toEqual({ outcome: "ok", scheduled: 1 });
    const [extra] = await claim(now + 2, "B");
    expect(extra).toMatchObject({ deliveryId: id, attemptsInRun: 1, replayResumeAt: retryAt });
    // Another replay while it is in flight changes nothing either.
    await store.replay("e1", undefined, now + 3);
    await store.complete({
      deliveryId: id,
      leaseToken: "B",
      now: now + 4,
      attempt: attempt(id, "e1", "ep_a", now + 4),
      next: { status: "pending", nextAttemptAt: retryAt },
      outsideSchedule: true,
    });
    expect((await store.listDeliveries("e1"))[0]).toMatchObject({ status: "pending", attempts: 2, nextAttemptAt: retryAt });
    expect(await claim(retryAt - 1, "C")).toEqual([]);
    const [retry] = await claim(retryAt, "C");
    // Still retry 1 of the schedule, and an ordinary attempt.
    expect(retry).toMatchObject({ deliveryId: id, attempts: 2, attemptsInRun: 1, replayResumeAt: null });
  });

  it("fences a worker whose lease expired and was taken over: it records its attempt but cannot complete", async () => {
    await addEndpoint("ep_a");
    await addEvent("e1");
    const [byA] = await claim(T0, "A");
    expect(await claim(T0 + 9_999, "B")).toEqual([]);
    const [byB] = await claim(T0 + 10_000, "B");
    expect(byB?.deliveryId).toBe(byA?.deliveryId);
    const id = byA!.deliveryId;

    const late = await store.complete({
      deliveryId: id,
      leaseToken: "A",
      now: T0 + 10_001,
      attempt: attempt(id, "e1", "ep_a", T0 + 10_001),
      next: { status: "delivered" },
    });
    expect(late.applied).toBe(false);
    expect((await store.listDeliveries("e1"))[0]).toMatchObject({ status: "delivering", attempts: 0 });
    expect(await store.release(id, "A", T0 + 10_002)).toBe(false);

    const owner = await store.complete({
      deliveryId: id,
      leaseToken: "B",
      now: T0 + 10_003,
      attempt: attempt(id, "e1", "ep_a", T0 + 10_003),
      next: { status: "delivered" },
    });
    expect(owner.applied).toBe(true);
    expect((await store.listDeliveries("e1"))[0]).toMatchObject({ status: "delivered", attempts: 1 });
    expect((await store.listAttempts({ eventId: "e1", limit: 10, maxBytes: 1 << 20 })).rows).toHaveLength(2);
  });

  it("claims round-robin across endpoints so one backlog cannot fill the batch", async () => {
    await addEndpoint("ep_big");
    await addEndpoint("ep_small", { eventTypes: ["order.created"] });
    for (let i = 0; i < 100; i++) await addEvent(`e${i}`, T0 - 1000 + i);
    const batch = await claim(T0, "A", { limit: 10, perEndpoint: 8 });
    const count = (ep: string): number => batch.filter((c) => c.endpoint.id === ep).length;
    expect(count("ep_small")).toBe(5);
    expect(count("ep_big")).toBe(5);
    const next = await claim(T0, "B", { limit: 100, perEndpoint: 8, exclude: ["ep_big"], budget: (ep) => (ep === "ep_small" ? 2 : 100) });
    expect(next.map((c) => c.endpoint.id)).toEqual(["ep_small", "ep_small"]);
  });

  it("counts every live lease on an endpoint against its cap, whichever instance holds it", async () => {
    const other = storeFor(dir); // a second server process on the same database
    try {
      await addEndpoint("ep_a");
      for (let i = 0; i < 10; i++) await addEvent(`e${i}`, T0 - 100 + i);
      expect(await claim(T0, "A", { perEndpoint: 3 })).toHaveLength(3);
      const fromOther = () =>
        other.claim({ now: T0, leaseMs: 10_000, leaseToken: "B", limit: 100, perEndpoint: 3, exclude: [], budget: () => 100 });
      expect(await fromOther()).toEqual([]);
      // Once a lease has expired it no longer counts: its holder is presumed dead.
      const later = await other.claim({
        now: T0 + 10_000,
        leaseMs: 10_000,
        leaseToken: "C",
        limit: 100,
        perEndpoint: 3,
        exclude: [],
        budget: () => 100,
      });
      expect(later).toHaveLength(3);
    } finally {
      await other.close();
    }
  });

  it("gives a released delivery back without counting an attempt", async () => {
    await addEndpoint("ep_a");
    await addEvent("e1");
    const [c] = await claim(T0, "A");
    expect(await store.release(c!.deliveryId, "A", T0 + 1)).toBe(true);
    expect((await store.listDeliveries("e1"))[0]).toMatchObject({ status: "pending", attempts: 0, nextAttemptAt: T0 + 1 });
  });

  it("makes replay idempotent while a delivery is queued or in flight", async () => {
    await addEndpoint("ep_a");
    await addEvent("e1");
    const [c] = await claim(T0, "A");
    const id = c!.deliveryId;
    await store.complete({
      deliveryId: id,
      leaseToken: "A",
      now: T0,
      attempt: attempt(id, "e1", "ep_a", T0),
      next: { status: "failed", reason: "exhausted" },
    });
    expect(await store.replay("e1", undefined, T0 + 1)).toEqual({ outcome: "ok", scheduled: 1 });
    expect(await store.replay("e1", "ep_a", T0 + 2)).toEqual({ outcome: "ok", scheduled: 1 });
    const [again] = await claim(T0 + 3, "B");
    expect(again?.attemptsInRun).toBe(0);
    expect(await claim(T0 + 3, "C")).toEqual([]);
    await store.replay("e1", undefined, T0 + 4);
    expect((await store.listDeliveries("e1"))[0]?.status).toBe("delivering");
    expect(await store.replay("missing", undefined, T0)).toEqual({ outcome: "event_not_found" });
    expect(await store.replay("e1", "ep_missing", T0)).toEqual({ outcome: "endpoint_not_found" });
  });

  it("purges only old events whose deliveries are all final", async () => {
    await addEndpoint("ep_a");
    await addEvent("old-done", T0 - 10_000);
    await addEvent("old-pending", T0 - 10_000);
    const batch = await claim(T0, "A");
    const done = batch.find((c) => c.eventId === "old-done")!;
    await store.complete({
      deliveryId: done.deliveryId,
      leaseToken: "A",
      now: T0,
      attempt: attempt(done.deliveryId, "old-done", "ep_a", T0),
      next: { status: "delivered" },
    });
    expect(await store.purge(T0 - 1000, 100)).toBe(1);
    expect(await store.getEvent("old-done")).toBeUndefined();
    expect(await store.getEvent("old-pending")).toBeDefined();
    if (store instanceof SqliteStore) expect(store.integrityCheck()).toBe("ok");
  });
});

describe("concurrent workers", () => {
  it("deliver each of 1500 deliveries exactly once with 4 workers on 2 connections", { timeout: 30_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "hookline-workers-"));
    const path = join(dir, "hookline.db");
    const stores = [storeFor(dir), storeFor(dir)];
    await stores[0]!.migrate();
    const config = resolveConfig({
      dbPath: path,
      retrySchedule: [10],
      requestTimeoutMs: 1000,
      leaseMs: 6000,
      pollIntervalMs: 20,
      concurrency: 16,
      endpointConcurrency: 8,
    });
    for (let e = 0; e < 3; e++) {
      await stores[0]!.createEndpoint({
        id: `ep_${e}`,
        url: `http://127.0.0.1:9/${e}`,
        eventTypes: null,
        tenant: null,
        secret: SECRET,
        description: null,
        rateLimit: null,
        disabled: false,
        metadata: {},
        now: Date.now(),
      });
    }
    for (let i = 0; i < 500; i++)
      await stores[i % 2]!.ingest({
        id: `evt_${i}`,
        type: "order.created",
        tenant: null,
        body: Buffer.from("{}"),
        requestHash: String(i),
        now: Date.now(),
      });

    const seen = new Map<string, number>();
    const egress: EgressClient = {
      async attempt(req): Promise<AttemptOutcome> {
        const key = `${req.headers["webhook-id"]}→${req.url}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, Math.random() * 3));
        return { kind: "response", statusCode: 200, headers: {}, responseBody: "", durationMs: 1 };
      },
      async close() {},
    };
    const logger = createLogger("silent");
    const view = catalogView(senderCatalog as unknown as GeneratedCatalog, senderSchemas as unknown as GeneratedSchemas);
    const workers = [0, 1, 2, 3].map((i) => {
      const store = stores[i % 2]!;
      return new DeliveryWorker({
        store,
        egress,
        config,
        now: Date.now,
        random: Math.random,
        logger,
        metrics: new Metrics(store, Date.now),
        catalog: () => view,
        userAgent: "test",
      });
    });
    for (const w of workers) w.start();
    const deadline = Date.now() + 20_000;
    while ([...seen.values()].reduce((a, b) => a + b, 0) < 1500 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const w of workers) await w.stop();
    expect(seen.size).toBe(1500);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    const stats = await stores[0]!.stats(Date.now());
    expect(stats.depth).toBe(0);
    for (const s of stores) await s.close();
    await removeStorage(dir);
  });
});
