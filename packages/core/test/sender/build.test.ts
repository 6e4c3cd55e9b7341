import { describe, expect, it, vi } from "vitest";
import { WebhookVerifier, generateKeyPair } from "../../src/signing/index.js";
import { createSenderFor } from "../../src/sender/index.js";
import { PayloadValidationError, UnknownEventTypeError } from "../../src/validation.js";
import { catalog, now, NOW_MS, orderExample, OTHER_SECRET, SECRET, type OrderCreated } from "../fixtures/catalog.js";

const sender = createSenderFor(catalog, { secret: SECRET, now, generateId: () => "msg_fixed" });
const verifier = new WebhookVerifier(SECRET, { now });

describe("build", () => {
  it("signs exactly the body it returns, and the signature verifies", () => {
    const message = sender.build("order.created", orderExample);
    expect(verifier.verify(message.body, message.headers)).toEqual({ id: "msg_fixed", timestamp: NOW_MS / 1000 });
    expect(message).toMatchObject({ id: "msg_fixed", type: "order.created", timestamp: NOW_MS / 1000 });
    expect(message.headers).toEqual({
      "content-type": "application/json",
      "webhook-id": "msg_fixed",
      "webhook-timestamp": String(NOW_MS / 1000),
      "webhook-signature": expect.stringMatching(/^v1,[A-Za-z0-9+/]{43}=$/),
    });
  });

  it("serialises the envelope as type, version, timestamp, data in that order", () => {
    const message = sender.build("user.logged_in", { userId: "u1" });
    expect(message.body).toBe('{"type":"user.logged_in","version":1,"timestamp":"2023-11-14T22:13:20.000Z","data":{"userId":"u1"}}');
    expect(message.version).toBe(1);
  });

  it("uses the given event time and id", () => {
    const message = sender.build("user.logged_in", { userId: "u1" }, { id: "evt_42", timestamp: new Date("2024-01-02T03:04:05.678Z") });
    expect(JSON.parse(message.body)).toEqual({
      type: "user.logged_in",
      version: 1,
      timestamp: "2024-01-02T03:04:05.678Z",
      data: { userId: "u1" },
    });
    expect(message.headers["webhook-id"]).toBe("evt_42");
    // The signing time stays "now": the event time is payload, not transport.
    expect(message.timestamp).toBe(NOW_MS / 1000);
  });

  it("keeps bytes that JSON escaping could mangle", () => {
    const message = sender.build("user.logged_in", { userId: 'a&b\u2028😀 "q"' });
    expect(verifier.verify(Buffer.from(message.body, "utf8"), message.headers).id).toBe("msg_fixed");
    expect(JSON.parse(message.body).data.userId).toBe('a&b\u2028😀 "q"');
  });

  it("by default ids are msg_ + 26 Crockford base32 characters, unique, time-ordered", () => {
    let clock = NOW_MS;
    const defaultIds = createSenderFor(catalog, { secret: SECRET, now: () => clock++ });
    const ids = Array.from({ length: 200 }, () => defaultIds.build("user.logged_in", { userId: "u" }).id);
    for (const id of ids) expect(id).toMatch(/^msg_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it.each([["a.b"], [""], ["with space"], ["x".repeat(257)], ["ünïcode"]])("refuses the id %j before signing", (id) => {
    expect(() => sender.build("user.logged_in", { userId: "u" }, { id })).toThrow(/Invalid webhook id .*A–Z a–z 0–9 _ - \(no dots\)/);
  });

  it("refuses an invalid event Date", () => {
    expect(() => sender.build("user.logged_in", { userId: "u" }, { timestamp: new Date("nope") })).toThrow(RangeError);
  });

  it("signs with every key: rotation (two whsec_) and Ed25519 (whsk_ → v1a)", () => {
    const { secretKey, publicKey } = generateKeyPair();
    const multi = createSenderFor(catalog, { secret: [SECRET, OTHER_SECRET, secretKey], now });
    const message = multi.build("user.logged_in", { userId: "u" });
    expect(message.headers["webhook-signature"].split(" ").map((entry) => entry.split(",")[0])).toEqual(["v1", "v1", "v1a"]);
    for (const key of [SECRET, OTHER_SECRET, publicKey]) {
      expect(new WebhookVerifier(key, { now }).verify(message.body, message.headers).id).toBe(message.id);
    }
  });

  it("refuses a malformed key when the sender is created", () => {
    expect(() => createSenderFor(catalog, { secret: "not-a-key" })).toThrow(expect.objectContaining({ code: "invalid_secret" }));
    expect(() => createSenderFor(catalog, { secret: SECRET, timeoutMs: 0 })).toThrow(RangeError);
  });
});

describe("validation happens before signing", () => {
  it("lists every invalid path and stops before the id is even generated", () => {
    const generateId = vi.fn(() => "msg_x");
    const checked = createSenderFor(catalog, { secret: SECRET, now, generateId });
    const bad = { id: "", customer: { email: "nope" }, items: [{ sku: "a", quantity: 0 }, { quantity: 1 }], currency: "GBP" };
    let error: unknown;
    try {
      checked.build("order.created", bad as unknown as OrderCreated);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PayloadValidationError);
    expect((error as PayloadValidationError).issues.map((issue) => issue.path)).toEqual([
      "/currency",
      "/customer/email",
      "/id",
      "/items/0/quantity",
      "/items/1/sku",
    ]);
    expect((error as Error).message).toBe(
      'Invalid payload for "order.created": /currency must be one of "EUR" | "USD"; /customer/email must match format "email"; /id must NOT have fewer than 1 characters; /items/0/quantity must be >= 1; /items/1/sku is required',
    );
    expect(generateId).not.toHaveBeenCalled();
  });

  it("validates the JSON that is sent: NaN becomes null and fails", () => {
    expect(() => sender.build("invoice.paid", { invoiceId: "i", amountCents: Number.NaN })).toThrow(
      'Invalid payload for "invoice.paid": /amountCents must be integer',
    );
  });

  it("reports unserialisable payloads as invalid", () => {
    const cyclic: Record<string, unknown> = { userId: "u" };
    cyclic["self"] = cyclic;
    expect(() => sender.build("user.logged_in", cyclic as unknown as { userId: string })).toThrow(
      /Invalid payload for "user.logged_in": \(root\) is not serialisable to JSON \(Converting circular structure to JSON/,
    );
  });

  it("refuses an event type the catalog lacks (a JavaScript caller, or a stale SDK)", () => {
    expect(() => sender.build("order.craeted" as "order.created", orderExample)).toThrow(UnknownEventTypeError);
    expect(() => sender.build("order.craeted" as "order.created", orderExample)).toThrow(/Did you mean "order.created"\?/);
  });
});
