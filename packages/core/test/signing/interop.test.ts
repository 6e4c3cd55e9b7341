import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { WebhookSigner, WebhookVerifier, generateKeyPair, generateSecret } from "../../src/signing/index.js";
import { ID, OTHER_SECRET, SECRET } from "./fixtures.js";

/** A JSON document of exactly `bytes` UTF-8 bytes, with multi-byte characters and odd spacing. */
function jsonOfSize(bytes: number): string {
  const head = '{"note":"caf\u00e9 \ud83d\ude80 & \u2028 <tag>",  "data":"';
  const tail = '"}';
  const fill = bytes - Buffer.byteLength(head) - Buffer.byteLength(tail);
  return head + "x".repeat(fill) + tail;
}

const BODIES = [
  { name: "small JSON", body: '{"test": 2432232314}' },
  { name: "unicode, emoji and \\u2028", body: '{"name":"Zo\u00eb \ud83d\udc4b","sep":"\u2028","amp":"a&b"}' },
  { name: "256 KiB", body: jsonOfSize(256 * 1024) },
  { name: "1 MiB", body: jsonOfSize(1024 * 1024) },
];

// The reference verifier reads the real clock, so these tests sign with the current time.
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

describe("interop with the official standardwebhooks package", () => {
  it("large bodies really have the advertised size", () => {
    expect(Buffer.byteLength(BODIES[2]?.body ?? "")).toBe(262_144);
    expect(Buffer.byteLength(BODIES[3]?.body ?? "")).toBe(1_048_576);
  });

  describe.each(BODIES)("$name", ({ body }) => {
    it("ours signs → theirs verifies (string and Buffer bodies)", () => {
      const headers = new WebhookSigner(SECRET).headers({ id: ID, timestamp: nowSeconds(), body });
      const theirs = new Webhook(SECRET);
      expect(theirs.verify(body, headers)).toEqual(JSON.parse(body));
      expect(theirs.verify(Buffer.from(body), headers)).toEqual(JSON.parse(body));
    });

    it("theirs signs → ours verifies (string and Buffer bodies)", () => {
      const timestamp = nowSeconds();
      const signature = new Webhook(SECRET).sign(ID, new Date(timestamp * 1000), body);
      const headers = { "webhook-id": ID, "webhook-timestamp": String(timestamp), "webhook-signature": signature };
      const verifier = new WebhookVerifier(SECRET);
      expect(verifier.verify(body, headers)).toEqual({ id: ID, timestamp });
      expect(verifier.verify(Buffer.from(body), headers)).toEqual({ id: ID, timestamp });
    });

    it("both produce the identical signature", () => {
      const timestamp = 1_614_265_330;
      const ours = new WebhookSigner(SECRET).sign({ id: ID, timestamp, body });
      expect(ours).toBe(new Webhook(SECRET).sign(ID, new Date(timestamp * 1000), body));
    });
  });

  it("freshly generated secrets work in both directions", () => {
    const secret = generateSecret();
    const timestamp = nowSeconds();
    const body = '{"fresh":true}';
    const headers = new WebhookSigner(secret).headers({ id: ID, timestamp, body });
    expect(new Webhook(secret).verify(body, headers)).toEqual({ fresh: true });
    const signature = new Webhook(secret).sign(ID, new Date(timestamp * 1000), body);
    expect(new WebhookVerifier(secret).verifyParts(body, ID, String(timestamp), signature).id).toBe(ID);
  });

  it("theirs verifies our rotation header with either secret, and skips our v1a entry", () => {
    const body = '{"rotating":1}';
    const { secretKey } = generateKeyPair();
    const headers = new WebhookSigner([secretKey, OTHER_SECRET, SECRET]).headers({ id: ID, timestamp: nowSeconds(), body });
    expect(new Webhook(SECRET).verify(body, headers)).toEqual({ rotating: 1 });
    expect(new Webhook(OTHER_SECRET).verify(body, headers)).toEqual({ rotating: 1 });
  });
});
