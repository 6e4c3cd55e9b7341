import { describe, expect, it, vi } from "vitest";
import type { EnvelopeOf } from "../../src/catalog.js";
import { createReceiverFor, MemoryDedupeStore, type DedupeStore, type ReceiverResponse } from "../../src/receiver/index.js";
import { createSenderFor } from "../../src/sender/index.js";
import { generateKeyPair, WebhookSigner, type RawBody } from "../../src/signing/index.js";
import { catalog, now, NOW_MS, orderExample, OTHER_SECRET, SECRET, type TestEventMap } from "../fixtures/catalog.js";

const sender = createSenderFor(catalog, { secret: SECRET, now });
const signer = new WebhookSigner(SECRET);

/** Signs an arbitrary body, as a sender that skips validation (or a buggy one) would. */
function signedRaw(body: string, id = "msg_raw"): { body: string; headers: Record<string, string> } {
  return { body, headers: signer.headers({ id, timestamp: NOW_MS / 1000, body }) };
}

function json(response: ReceiverResponse): unknown {
  return JSON.parse(response.body);
}

describe("handle: status codes", () => {
  const receiver = createReceiverFor(catalog, { secret: SECRET, now, events: ["order.created", "user.logged_in"], dedupe: false }).on(
    "order.created",
    () => undefined,
  );

  const cases: [string, () => { body: RawBody; headers: Record<string, string> }, number, string][] = [
    ["valid event", () => sender.build("order.created", orderExample), 200, ""],
    [
      "bad signature AND bad JSON → 401, the signature is checked first",
      () => ({ ...signedRaw("{not json"), body: "{not json!" }),
      401,
      "no_matching_signature",
    ],
    [
      "missing webhook-signature",
      () => ({ body: "{}", headers: { "webhook-id": "msg_1", "webhook-timestamp": String(NOW_MS / 1000) } }),
      401,
      "missing_header",
    ],
    [
      "timestamp too old",
      () => {
        const m = signedRaw("{}");
        return { ...m, headers: signer.headers({ id: "msg_old", timestamp: NOW_MS / 1000 - 301, body: m.body }) };
      },
      401,
      "timestamp_too_old",
    ],
    ["signed but not JSON", () => signedRaw("{not json"), 400, "malformed_json"],
    [
      "signed but invalid UTF-8",
      () => {
        const body = Buffer.from([0x7b, 0xff, 0x7d]);
        return { body, headers: signer.headers({ id: "m", timestamp: NOW_MS / 1000, body }) };
      },
      400,
      "malformed_json",
    ],
    ["signed JSON that is not an envelope", () => signedRaw('{"type":1,"data":{}}'), 400, "invalid_envelope"],
    ["signed JSON array", () => signedRaw("[]"), 400, "invalid_envelope"],
    ["unknown type", () => signedRaw('{"type":"order.craeted","timestamp":"2024-01-01T00:00:00Z","data":{}}'), 422, "unknown_event_type"],
    [
      "type from Object.prototype",
      () => signedRaw('{"type":"constructor","timestamp":"2024-01-01T00:00:00Z","data":{}}'),
      422,
      "unknown_event_type",
    ],
    ["known but unsubscribed type", () => sender.build("invoice.paid", { invoiceId: "i", amountCents: 1 }), 422, "unknown_event_type"],
    [
      "schema-invalid payload",
      () => signedRaw('{"type":"order.created","timestamp":"2024-01-01T00:00:00Z","data":{"items":[]}}'),
      422,
      "invalid_payload",
    ],
    [
      "parsed object instead of raw bytes (a setup bug: retry later)",
      () => ({ ...sender.build("order.created", orderExample), body: {} as RawBody }),
      500,
      "invalid_body",
    ],
  ];
  it.each(cases)("%s → %i", async (_, make, status, code) => {
    const { body, headers } = make();
    const response = await receiver.handle(body, headers);
    expect(response.status).toBe(status);
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
    if (code === "") expect(json(response)).toEqual({ ok: true });
    else expect(json(response)).toMatchObject({ error: { code, message: expect.any(String) } });
  });

  it("the body decoder is shared: invalid UTF-8 does not affect the next body, and a UTF-8 BOM is still skipped", async () => {
    const invalid = Buffer.from([0x7b, 0xe2, 0x82]);
    const bad = await receiver.handle(invalid, signer.headers({ id: "m1", timestamp: NOW_MS / 1000, body: invalid }));
    expect(json(bad)).toMatchObject({ error: { code: "malformed_json" } });
    const valid = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(sender.build("order.created", orderExample).body)]);
    const good = await receiver.handle(valid, signer.headers({ id: "m2", timestamp: NOW_MS / 1000, body: valid }));
    expect({ status: good.status, body: json(good) }).toEqual({ status: 200, body: { ok: true } });
  });

  it("a body starting with a BOM gets the same answer as a string and as a Buffer of the same bytes", async () => {
    const text = `\uFEFF${sender.build("order.created", orderExample).body}`;
    const bytes = Buffer.from(text, "utf8");
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const headers = signer.headers({ id: "msg_bom", timestamp: NOW_MS / 1000, body: bytes });
    // The signature covers the BOM: both spellings are the same signed bytes.
    expect(signer.headers({ id: "msg_bom", timestamp: NOW_MS / 1000, body: text })).toEqual(headers);
    const asString = await receiver.handle(text, headers);
    const asBuffer = await receiver.handle(bytes, headers);
    expect({ status: asString.status, body: json(asString) }).toEqual({ status: 200, body: { ok: true } });
    expect(asBuffer).toEqual(asString);
    expect(receiver.verify(text, headers)).toEqual(receiver.verify(bytes, headers));
  });

  it("422 for a schema-invalid payload carries details pointing into the request body", async () => {
    const response = await receiver.handle(
      ...args(
        signedRaw(
          '{"type":"order.created","timestamp":"t","data":{"id":"o","customer":{},"items":[{"sku":"a","quantity":0}],"currency":"EUR"}}',
        ),
      ),
    );
    expect(json(response)).toEqual({
      error: {
        code: "invalid_payload",
        message: 'Invalid payload for "order.created" version 1: /customer/email is required; /items/0/quantity must be >= 1',
        details: [
          { path: "/data/customer/email", message: "is required" },
          { path: "/data/items/0/quantity", message: "must be >= 1" },
        ],
      },
    });
  });

  it("422 for an unknown type suggests the closest one", async () => {
    const response = await receiver.handle(...args(signedRaw('{"type":"order.craeted","timestamp":"t","data":{}}')));
    expect(json(response)).toMatchObject({
      error: { details: [{ path: "/type" }], message: expect.stringContaining('Did you mean "order.created"?') },
    });
  });

  it("413 when the body passed to handle is over maxBodyBytes, before any verification", async () => {
    const small = createReceiverFor(catalog, { secret: SECRET, now, maxBodyBytes: 10 });
    expect((await small.handle("x".repeat(11), {})).status).toBe(413);
    expect((await small.handle("é".repeat(6), {})).status).toBe(413);
    expect((await small.handle(new Uint8Array(11), {})).status).toBe(413);
    expect((await small.handle("x".repeat(10), {})).status).toBe(401);
  });

  it("401 messages never contain the secret", async () => {
    const response = await receiver.handle(
      ...args({ ...signedRaw("{}"), headers: { ...signedRaw("{}").headers, "webhook-signature": "v1,AAAA" } }),
    );
    expect(response.status).toBe(401);
    expect(response.body).not.toContain(SECRET.slice(6));
  });
});

describe("handle: dispatch", () => {
  it("calls the handler with the typed event and context and answers 200 only after it resolved", async () => {
    let finish = () => {};
    const handler = vi.fn((_event: EnvelopeOf<TestEventMap, "order.created">) => new Promise<void>((resolve) => (finish = resolve)));
    const receiver = createReceiverFor(catalog, { secret: SECRET, now, handlers: { "order.created": handler } });
    const message = sender.build("order.created", orderExample, { id: "msg_d1", timestamp: new Date("2024-05-06T07:08:09.000Z") });
    let settled = false;
    const pending = receiver.handle(message.body, message.headers).then((response) => {
      settled = true;
      return response;
    });
    await vi.waitFor(() => expect(handler).toHaveBeenCalledTimes(1));
    expect(handler).toHaveBeenCalledWith(
      { type: "order.created", version: 1, timestamp: "2024-05-06T07:08:09.000Z", data: orderExample },
      { id: "msg_d1", timestamp: NOW_MS / 1000 },
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(settled).toBe(false);
    finish();
    expect((await pending).status).toBe(200);
  });

  it("a valid event without a handler is acknowledged and ignored", async () => {
    const receiver = createReceiverFor(catalog, { secret: SECRET, now });
    const response = await receiver.handle(...args(sender.build("invoice.paid", { invoiceId: "i", amountCents: 5 })));
    expect(response.status).toBe(200);
    expect(json(response)).toEqual({ ok: true, ignored: true });
  });

  it("a throwing handler gives 500 handler_failed without its message, and reaches onError", async () => {
    const onError = vi.fn();
    const receiver = createReceiverFor(catalog, {
      secret: SECRET,
      now,
      onError,
      handlers: {
        "user.logged_in": () => {
          throw new Error("db password is hunter2");
        },
      },
    });
    const response = await receiver.handle(...args(sender.build("user.logged_in", { userId: "u" })));
    expect(response.status).toBe(500);
    expect(json(response)).toEqual({
      error: { code: "handler_failed", message: "The webhook could not be processed; it will be retried." },
    });
    expect(response.body).not.toContain("hunter2");
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ message: "db password is hunter2" }),
      expect.objectContaining({ type: "user.logged_in" }),
    );
  });

  it("a throwing onError does not change the response", async () => {
    const receiver = createReceiverFor(catalog, {
      secret: SECRET,
      now,
      onError: () => {
        throw new Error("logger down");
      },
      handlers: {
        "user.logged_in": async () => {
          throw new Error("boom");
        },
      },
    });
    expect((await receiver.handle(...args(sender.build("user.logged_in", { userId: "u" })))).status).toBe(500);
  });

  it("accepts any key during a rotation", async () => {
    const receiver = createReceiverFor(catalog, { secret: [OTHER_SECRET, SECRET], now }).on("user.logged_in", () => undefined);
    expect((await receiver.handle(...args(sender.build("user.logged_in", { userId: "u" })))).status).toBe(200);
  });

  it("verifies Ed25519 (whsk_ sender, whpk_ receiver)", async () => {
    const { secretKey, publicKey } = generateKeyPair();
    const edSender = createSenderFor(catalog, { secret: secretKey, now });
    const receiver = createReceiverFor(catalog, { secret: publicKey, now }).on("user.logged_in", () => undefined);
    expect((await receiver.handle(...args(edSender.build("user.logged_in", { userId: "u" })))).status).toBe(200);
    expect((await receiver.handle(...args(sender.build("user.logged_in", { userId: "u" })))).status).toBe(401);
  });

  it("verify returns the envelope without running handlers", () => {
    const handler = vi.fn();
    const receiver = createReceiverFor(catalog, { secret: SECRET, now }).on("order.created", handler);
    const message = sender.build("order.created", orderExample);
    expect(receiver.verify(message.body, message.headers)).toEqual({
      type: "order.created",
      version: 1,
      timestamp: expect.any(String),
      data: orderExample,
    });
    expect(handler).not.toHaveBeenCalled();
  });

  it("rejects bad registrations when the receiver is built", () => {
    const base = { secret: SECRET, now } as const;
    expect(() =>
      createReceiverFor(catalog, { ...base, events: ["order.created"] })
        .on("order.created", () => 1)
        .on("order.created", () => 2),
    ).toThrow('A handler for "order.created" is already registered');
    expect(() =>
      createReceiverFor(catalog, { ...base, events: ["order.created"] }).on("user.logged_in" as "order.created", () => 1),
    ).toThrow(/Unsubscribed event type "user.logged_in".*Add it to the receiver's "events" option/);
    expect(() => createReceiverFor(catalog, { ...base, events: ["order.craeted" as "order.created"] })).toThrow(
      /Did you mean "order.created"/,
    );
    // JavaScript callers get the exhaustiveness check at runtime.
    const loose = { ...base, exhaustive: true, handlers: { "order.created": () => 1 } } as unknown as Parameters<
      typeof createReceiverFor<TestEventMap>
    >[1];
    expect(() => createReceiverFor(catalog, loose)).toThrow("exhaustive: true but no handler for: invoice.paid, user.logged_in.");
    expect(() => createReceiverFor(catalog, { ...base, maxBodyBytes: 0 })).toThrow(RangeError);
  });
});

describe("handle: duplicate guard on webhook-id", () => {
  it("a second delivery of a processed id answers 200 without calling the handler again", async () => {
    const handler = vi.fn();
    const receiver = createReceiverFor(catalog, { secret: SECRET, now }).on("user.logged_in", handler);
    const first = sender.build("user.logged_in", { userId: "u" }, { id: "msg_dup" });
    // A retry: same id, new signature.
    const retry = sender.build("user.logged_in", { userId: "u" }, { id: "msg_dup" });
    expect(json(await receiver.handle(...args(first)))).toEqual({ ok: true });
    expect(json(await receiver.handle(...args(retry)))).toEqual({ ok: true, duplicate: true });
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it("a failed handler does not mark the id: the retry processes it", async () => {
    const handler = vi.fn().mockRejectedValueOnce(new Error("transient")).mockResolvedValue(undefined);
    const receiver = createReceiverFor(catalog, { secret: SECRET, now }).on("user.logged_in", handler);
    const message = sender.build("user.logged_in", { userId: "u" }, { id: "msg_retry" });
    expect((await receiver.handle(...args(message))).status).toBe(500);
    expect((await receiver.handle(...args(message))).status).toBe(200);
    expect((await receiver.handle(...args(message))).body).toBe('{"ok":true,"duplicate":true}');
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it("a duplicate arriving while the first is in flight gets 409 with retry-after; the handler runs once", async () => {
    let finish = () => {};
    const handler = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const receiver = createReceiverFor(catalog, { secret: SECRET, now }).on("user.logged_in", handler);
    const message = sender.build("user.logged_in", { userId: "u" }, { id: "msg_busy" });
    const first = receiver.handle(...args(message));
    await vi.waitFor(() => expect(handler).toHaveBeenCalled());
    const second = await receiver.handle(...args(message));
    expect(second.status).toBe(409);
    expect(second.headers["retry-after"]).toBe("10");
    expect(json(second)).toMatchObject({ error: { code: "in_progress" } });
    finish();
    expect((await first).status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it("dedupe: false runs the handler for every delivery", async () => {
    const handler = vi.fn();
    const receiver = createReceiverFor(catalog, { secret: SECRET, now, dedupe: false }).on("user.logged_in", handler);
    const message = sender.build("user.logged_in", { userId: "u" }, { id: "msg_nodedupe" });
    await receiver.handle(...args(message));
    await receiver.handle(...args(message));
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it("a custom store gets the in-flight and processed TTLs; a failing store gives 500 and skips the handler", async () => {
    const store: DedupeStore = {
      claim: vi.fn(async () => "claimed" as const),
      complete: vi.fn(async () => undefined),
      release: vi.fn(async () => undefined),
    };
    const handler = vi.fn();
    const receiver = createReceiverFor(catalog, {
      secret: SECRET,
      now,
      dedupe: store,
      handlerTimeoutMs: 30_000,
      dedupeWindowMs: 86_400_000,
    }).on("user.logged_in", handler);
    await receiver.handle(...args(sender.build("user.logged_in", { userId: "u" }, { id: "msg_store" })));
    expect(store.claim).toHaveBeenCalledWith("msg_store", 30_000);
    expect(store.complete).toHaveBeenCalledWith("msg_store", 86_400_000);
    // Defaults: a handler may run 5 minutes; a processed id outlasts a sender's retries (48 h).
    const defaults = createReceiverFor(catalog, { secret: SECRET, now, toleranceSeconds: 0, dedupe: store }).on("user.logged_in", handler);
    await defaults.handle(...args(sender.build("user.logged_in", { userId: "u" }, { id: "msg_defaults" })));
    expect(store.claim).toHaveBeenCalledWith("msg_defaults", 300_000);
    expect(store.complete).toHaveBeenCalledWith("msg_defaults", 172_800_000);

    const broken: DedupeStore = {
      ...store,
      claim: async () => {
        throw new Error("redis down");
      },
    };
    const onError = vi.fn();
    const fragile = createReceiverFor(catalog, { secret: SECRET, now, dedupe: broken, onError }).on("user.logged_in", handler);
    const response = await fragile.handle(...args(sender.build("user.logged_in", { userId: "u" })));
    expect(response.status).toBe(500);
    expect(json(response)).toMatchObject({ error: { code: "internal_error" } });
    expect(handler).toHaveBeenCalledTimes(2); // msg_store and msg_defaults; not the failed claim
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: "redis down" }), expect.anything());
  });
});

describe("MemoryDedupeStore", () => {
  it("forgets ids after their TTL", async () => {
    let clock = 0;
    const store = new MemoryDedupeStore({ now: () => clock });
    expect(await store.claim("a", 100)).toBe("claimed");
    expect(await store.claim("a", 100)).toBe("in_flight");
    await store.complete("a", 100);
    expect(await store.claim("a", 100)).toBe("done");
    clock = 101;
    expect(await store.claim("a", 100)).toBe("claimed");
  });

  it("release frees an in-flight claim but never a completed one", async () => {
    const store = new MemoryDedupeStore();
    await store.claim("a", 1000);
    await store.release("a");
    expect(await store.claim("a", 1000)).toBe("claimed");
    await store.complete("a", 1000);
    await store.release("a");
    expect(await store.claim("a", 1000)).toBe("done");
  });

  it("stays within maxEntries, forgetting the oldest first", async () => {
    const store = new MemoryDedupeStore({ maxEntries: 3, onWarning: () => undefined });
    for (const id of ["a", "b", "c", "d", "e"]) await store.complete(id, 60_000);
    expect(store.size).toBe(3);
    expect(await store.claim("a", 60_000)).toBe("claimed");
    expect(await store.claim("e", 60_000)).toBe("done");
    expect(store.size).toBe(3);
  });

  it("drops expired entries once the bound is reached", async () => {
    let clock = 0;
    const store = new MemoryDedupeStore({ now: () => clock, maxEntries: 100 });
    for (let i = 0; i < 100; i++) await store.complete(`id${i}`, 10);
    clock = 11;
    await store.complete("fresh", 10);
    expect(store.size).toBe(1);
  });

  it("never forgets an id that is still being handled, even past the bound", async () => {
    const store = new MemoryDedupeStore({ maxEntries: 2, onWarning: () => undefined });
    expect(await store.claim("x", 60_000)).toBe("claimed");
    expect(await store.claim("y", 60_000)).toBe("claimed");
    expect(await store.claim("z", 60_000)).toBe("claimed");
    expect(await store.claim("x", 60_000)).toBe("in_flight");
    await store.complete("x", 60_000);
    await store.complete("y", 60_000);
    await store.claim("w", 60_000);
    // The oldest processed id made room; the in-flight ones stayed.
    expect(await store.claim("z", 60_000)).toBe("in_flight");
    expect(await store.claim("w", 60_000)).toBe("in_flight");
  });
});

function args(message: { body: RawBody; headers: Readonly<Record<string, string>> }): [RawBody, Readonly<Record<string, string>>] {
  return [message.body, message.headers];
}
