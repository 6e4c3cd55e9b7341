import { describe, expect, it } from "vitest";
import { WebhookSigner, WebhookVerifier, generateKeyPair, type RawBody } from "../../src/signing/index.js";
import { BODY, ID, NOW, OTHER_SECRET, SECRET, clockAt, expectCode } from "./fixtures.js";

const signer = new WebhookSigner(SECRET);

describe("WebhookSigner", () => {
  it("headers() returns the three Standard Webhooks headers", () => {
    const headers = signer.headers({ id: ID, timestamp: NOW, body: BODY });
    expect(Object.keys(headers)).toEqual(["webhook-id", "webhook-timestamp", "webhook-signature"]);
    expect(headers).toEqual({
      "webhook-id": ID,
      "webhook-timestamp": String(NOW),
      "webhook-signature": signer.sign({ id: ID, timestamp: NOW, body: BODY }),
    });
  });

  it("emits one entry per key, in the given order, space-separated", () => {
    const { secretKey } = generateKeyPair();
    const header = new WebhookSigner([OTHER_SECRET, secretKey, SECRET]).sign({ id: ID, timestamp: NOW, body: BODY });
    const entries = header.split(" ");
    expect(entries.map((entry) => entry.split(",")[0])).toEqual(["v1", "v1a", "v1"]);
    expect(entries[0]).toBe(new WebhookSigner(OTHER_SECRET).sign({ id: ID, timestamp: NOW, body: BODY }));
    expect(entries[2]).toBe(signer.sign({ id: ID, timestamp: NOW, body: BODY }));
  });

  it("a single key may be given as a one-element list", () => {
    expect(new WebhookSigner([SECRET]).sign({ id: ID, timestamp: NOW, body: BODY })).toBe(
      signer.sign({ id: ID, timestamp: NOW, body: BODY }),
    );
  });

  it.each([
    ["empty", ""],
    ["257 characters", "a".repeat(257)],
    ["a dot", "msg.1"],
    ["a space", "msg 1"],
    ["a tab", "msg\t1"],
    ["a newline", "msg\n1"],
    ["a NUL", "msg\u00001"],
    ["DEL", "msg\u007f1"],
    ["non-ASCII", "msg_\u00e9"],
    ["a line separator", "msg\u20281"],
  ])("refuses an id with %s (invalid_header)", (_, id) => {
    const error = expectCode(() => signer.sign({ id, timestamp: NOW, body: BODY }), "invalid_header");
    expect(error.message).toContain("webhook id");
  });

  it("accepts a 256-character id of visible ASCII", () => {
    const id = `${"m".repeat(255)}~`;
    const header = signer.sign({ id, timestamp: NOW, body: BODY });
    expect(new WebhookVerifier(SECRET, { now: clockAt(NOW) }).verifyParts(BODY, id, String(NOW), header).id).toBe(id);
  });

  it.each([
    ["a fraction", 1.5],
    ["negative", -1],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["beyond 15 digits", 1e15],
    ["a string", "1700000000"],
  ])("refuses a timestamp that is %s (invalid_header)", (_, timestamp) => {
    expectCode(() => signer.sign({ id: ID, timestamp: timestamp as number, body: BODY }), "invalid_header");
  });

  it("timestamp 0 is an integer and signs", () => {
    expect(signer.headers({ id: ID, timestamp: 0, body: BODY })["webhook-timestamp"]).toBe("0");
  });

  it.each([
    ["an object", { a: 1 }],
    ["undefined", undefined],
  ])("refuses a body that is %s (invalid_body)", (_, body) => {
    expectCode(() => signer.sign({ id: ID, timestamp: NOW, body: body as unknown as RawBody }), "invalid_body");
  });
});
