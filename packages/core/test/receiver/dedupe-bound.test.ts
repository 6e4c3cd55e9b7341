/**
 * The in-memory duplicate guard is bounded in ids as well as in time: the bound is configurable,
 * and forgetting processed ids before their window ended is reported, not silent.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createReceiverFor, MemoryDedupeStore, type ReceiverWarning } from "../../src/receiver/index.js";
import { createSenderFor } from "../../src/sender/index.js";
import { catalog, loginExample, now, SECRET } from "../fixtures/catalog.js";

const HOUR = 3600 * 1000;
const sender = createSenderFor(catalog, { secret: SECRET, now });

afterEach(() => {
  vi.restoreAllMocks();
});

describe("MemoryDedupeStore: early evictions are reported", () => {
  it("warns at the first processed id forgotten before its window ended, then at most hourly with the count", async () => {
    let clock = 0;
    const onWarning = vi.fn<(warning: ReceiverWarning) => void>();
    const store = new MemoryDedupeStore({ maxEntries: 3, now: () => clock, onWarning });
    for (const id of ["a", "b", "c"]) await store.complete(id, 48 * HOUR);
    expect(onWarning).not.toHaveBeenCalled();
    clock = 2 * HOUR;
    await store.complete("d", 48 * HOUR);
    expect(onWarning).toHaveBeenCalledTimes(1);
    const [warning] = onWarning.mock.calls[0] ?? [];
    expect(warning).toMatchObject({ code: "dedupe_ids_evicted", evicted: 1, maxEntries: 3, keptMs: 2 * HOUR, windowMs: 48 * HOUR });
    expect(warning?.message).toContain("forgot 1 processed webhook id before its duplicate window ended");
    expect(warning?.message).toContain("remembered for 2 h 0 min of its 48 h 0 min");
    expect(warning?.message).toContain("dedupeMaxIds");
    expect(await store.claim("a", 1000)).toBe("claimed"); // the trade-off: "a" would run again
    await store.release("a");

    for (const id of ["e", "f", "g"]) await store.complete(id, 48 * HOUR);
    expect(onWarning).toHaveBeenCalledTimes(1);
    clock += HOUR;
    await store.complete("h", 48 * HOUR);
    expect(onWarning).toHaveBeenCalledTimes(2);
    // b (pushed out by the claim of a), then c, d and e.
    expect(onWarning.mock.calls[1]?.[0]).toMatchObject({ evicted: 4 });
  });

  it("forgetting expired ids is not a warning, even when an expired id sits behind live ones", async () => {
    let clock = 0;
    const onWarning = vi.fn();
    const store = new MemoryDedupeStore({ maxEntries: 3, now: () => clock, onWarning });
    await store.complete("a", 1000);
    await store.complete("b", 10);
    await store.complete("c", 1000);
    clock = 11;
    await store.complete("d", 1000);
    expect(onWarning).not.toHaveBeenCalled();
    expect(await store.claim("a", 1000)).toBe("done");
    expect(await store.claim("b", 1000)).toBe("claimed");
  });

  it("without onWarning, a Node process warning that can be filtered by its code", async () => {
    const emitWarning = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    const store = new MemoryDedupeStore({ maxEntries: 1 });
    await store.complete("a", HOUR);
    await store.complete("b", HOUR);
    expect(emitWarning).toHaveBeenCalledWith(expect.stringContaining("forgot 1 processed webhook id"), {
      type: "HooklineWarning",
      code: "HOOKLINE_DEDUPE_IDS_EVICTED",
    });
  });

  it("a throwing warning hook does not break the guard", async () => {
    const store = new MemoryDedupeStore({
      maxEntries: 1,
      onWarning: () => {
        throw new Error("logger down");
      },
    });
    await store.complete("a", HOUR);
    await expect(store.complete("b", HOUR)).resolves.toBeUndefined();
    expect(await store.claim("b", HOUR)).toBe("done");
  });
});

describe("receiver options dedupeMaxIds and onWarning", () => {
  const deliver = (receiver: ReturnType<typeof makeReceiver>, id: string) =>
    receiver.handle(...parts(sender.build("user.logged_in", loginExample, { id })));
  function makeReceiver(options: { dedupeMaxIds?: number; onWarning?: (warning: ReceiverWarning) => void }, handler: () => void) {
    return createReceiverFor(catalog, { secret: SECRET, now, ...options }).on("user.logged_in", handler);
  }

  it("bounds the default store; a redelivery of a forgotten id runs its handler again, and onWarning says so", async () => {
    const handler = vi.fn();
    const onWarning = vi.fn<(warning: ReceiverWarning) => void>();
    const receiver = makeReceiver({ dedupeMaxIds: 2, onWarning }, handler);
    for (const id of ["msg_1", "msg_2", "msg_3"]) expect((await deliver(receiver, id)).status).toBe(200);
    expect(onWarning).toHaveBeenCalledWith(expect.objectContaining({ code: "dedupe_ids_evicted", maxEntries: 2, windowMs: 48 * HOUR }));
    expect(JSON.parse((await deliver(receiver, "msg_3")).body)).toEqual({ ok: true, duplicate: true });
    expect(JSON.parse((await deliver(receiver, "msg_1")).body)).toEqual({ ok: true });
    expect(handler).toHaveBeenCalledTimes(4);
  });

  it("the default bound is 10,000 ids: the 10,001st processed id pushes out the first", async () => {
    const handler = vi.fn();
    const onWarning = vi.fn();
    const receiver = makeReceiver({ onWarning }, handler);
    for (let i = 0; i <= 10_000; i++) await deliver(receiver, `msg_${i}`);
    expect(onWarning).toHaveBeenCalledTimes(1);
    expect(JSON.parse((await deliver(receiver, "msg_10000")).body)).toEqual({ ok: true, duplicate: true });
    expect(JSON.parse((await deliver(receiver, "msg_0")).body)).toEqual({ ok: true });
    expect(handler).toHaveBeenCalledTimes(10_002);
  });

  it("refuses a bound it cannot apply, saying what to do instead", () => {
    expect(() => createReceiverFor(catalog, { secret: SECRET, dedupeMaxIds: 0 })).toThrow(
      /dedupeMaxIds must be a positive whole number of ids \(got 0\)/,
    );
    expect(() => createReceiverFor(catalog, { secret: SECRET, dedupeMaxIds: 5, dedupe: new MemoryDedupeStore() })).toThrow(
      /new MemoryDedupeStore\(\{ maxEntries \}\)/,
    );
    expect(() => createReceiverFor(catalog, { secret: SECRET, dedupeMaxIds: 5, dedupe: false })).toThrow(TypeError);
  });
});

function parts(message: { body: string; headers: Readonly<Record<string, string>> }): [string, Readonly<Record<string, string>>] {
  return [message.body, message.headers];
}

/** The store's rule in its plainest form (what it did before the sweep and eviction shortcuts). */
class ReferenceStore {
  readonly entries = new Map<string, { state: "in_flight" | "done"; expiresAt: number }>();
  constructor(
    readonly max: number,
    readonly now: () => number,
  ) {}
  claim(id: string, ttl: number): string {
    const entry = this.entries.get(id);
    if (entry !== undefined && entry.expiresAt > this.now()) return entry.state;
    this.entries.delete(id);
    this.put(id, "in_flight", ttl);
    return "claimed";
  }
  put(id: string, state: "in_flight" | "done", ttl: number): void {
    this.entries.delete(id);
    if (this.entries.size >= this.max) {
      for (const [old, entry] of this.entries) if (entry.expiresAt <= this.now()) this.entries.delete(old);
      for (const [old, entry] of this.entries) {
        if (this.entries.size < this.max) break;
        if (entry.state === "done") this.entries.delete(old);
      }
    }
    this.entries.set(id, { state, expiresAt: this.now() + ttl });
  }
}

describe("MemoryDedupeStore against the plain rule", () => {
  it("answers every claim and keeps the same size over random operation sequences", async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("claim" as const), id: fc.integer({ min: 0, max: 7 }), ttl: fc.constantFrom(10, 1000) }),
      fc.record({ kind: fc.constant("complete" as const), id: fc.integer({ min: 0, max: 7 }), ttl: fc.constantFrom(10, 1000) }),
      fc.record({ kind: fc.constant("release" as const), id: fc.integer({ min: 0, max: 7 }), ttl: fc.constant(0) }),
      fc.record({ kind: fc.constant("wait" as const), id: fc.constant(0), ttl: fc.constantFrom(1, 10, 20, 500) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.array(op, { maxLength: 60 }), async (max, ops) => {
        let clock = 0;
        const store = new MemoryDedupeStore({ maxEntries: max, now: () => clock, onWarning: () => undefined });
        const reference = new ReferenceStore(max, () => clock);
        for (const { kind, id, ttl } of ops) {
          const key = `msg_${id}`;
          if (kind === "wait") clock += ttl;
          else if (kind === "claim") expect(await store.claim(key, ttl)).toBe(reference.claim(key, ttl));
          else if (kind === "complete") {
            await store.complete(key, ttl);
            reference.put(key, "done", ttl);
          } else {
            await store.release(key);
            if (reference.entries.get(key)?.state === "in_flight") reference.entries.delete(key);
          }
          expect(store.size).toBe(reference.entries.size);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
