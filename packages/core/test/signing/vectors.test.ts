import { describe, expect, it } from "vitest";
import { WebhookSigner, WebhookVerifier } from "../../src/signing/index.js";
import { OFFICIAL_V1A_PUBLIC_KEY, OFFICIAL_VECTORS, clockAt, expectCode } from "./fixtures.js";

describe("official Standard Webhooks vectors", () => {
  describe.each(OFFICIAL_VECTORS)("$name", (vector) => {
    const input = { id: vector.id, timestamp: vector.timestamp, body: vector.payload };

    it("signs a string body byte for byte", () => {
      expect(new WebhookSigner(vector.key).sign(input)).toBe(vector.expected);
    });

    it("signs the same body given as a Buffer byte for byte", () => {
      expect(new WebhookSigner(vector.key).sign({ ...input, body: Buffer.from(vector.payload) })).toBe(vector.expected);
    });

    it("verifies the expected signature at the vector's time", () => {
      const verifier = new WebhookVerifier(vector.key, { now: clockAt(vector.timestamp) });
      expect(verifier.verifyParts(vector.payload, vector.id, String(vector.timestamp), vector.expected)).toEqual({
        id: vector.id,
        timestamp: vector.timestamp,
      });
    });

    it("rejects the vector with a changed payload", () => {
      const verifier = new WebhookVerifier(vector.key, { now: clockAt(vector.timestamp) });
      expectCode(
        () => verifier.verifyParts(`${vector.payload} `, vector.id, String(vector.timestamp), vector.expected),
        "no_matching_signature",
      );
    });
  });

  it("v1a vector verifies with the whpk_ public key derived from its seed", () => {
    const vector = OFFICIAL_VECTORS[2];
    const verifier = new WebhookVerifier(OFFICIAL_V1A_PUBLIC_KEY, { now: clockAt(vector.timestamp) });
    expect(verifier.verifyParts(vector.payload, vector.id, String(vector.timestamp), vector.expected).id).toBe(vector.id);
  });

  it("reference 'invalid signature' values are refused", () => {
    const vector = OFFICIAL_VECTORS[0];
    const verifier = new WebhookVerifier(vector.key, { now: clockAt(vector.timestamp) });
    // From python/tests/test_webhooks.py and javascript/src/webhook.test.ts respectively.
    for (const signature of [
      "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA=",
      "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
      "v1,dawfeoifkpqwoekfpqoekf",
      "v1,",
    ]) {
      expectCode(() => verifier.verifyParts(vector.payload, vector.id, String(vector.timestamp), signature), "no_matching_signature");
    }
  });
});
