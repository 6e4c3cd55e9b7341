import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  WebhookSigner,
  WebhookVerificationError,
  WebhookVerifier,
  generateKeyPair,
  type HeadersLike,
  type RawBody,
} from "../../src/signing/index.js";
import { BODY, ID, NOW, SECRET, clockAt } from "./fixtures.js";

const pair = generateKeyPair();
const signer = new WebhookSigner([SECRET, pair.secretKey]);
const verifier = new WebhookVerifier([SECRET, pair.publicKey], { now: clockAt(NOW) });
const valid = signer.headers({ id: ID, timestamp: NOW, body: BODY });

const anyString = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }));
const entry = fc.oneof(
  fc.constantFrom(...valid["webhook-signature"].split(" ")),
  fc.uint8Array({ minLength: 0, maxLength: 70 }).map((bytes) => `v1,${Buffer.from(bytes).toString("base64")}`),
  fc.uint8Array({ minLength: 60, maxLength: 66 }).map((bytes) => `v1a,${Buffer.from(bytes).toString("base64")}`),
  anyString,
);

/** Anything a header value could be, biased towards values that reach the later checks. */
function headerValue(name: keyof typeof valid): fc.Arbitrary<unknown> {
  const specific =
    name === "webhook-timestamp"
      ? fc.oneof(fc.integer({ min: NOW - 400, max: NOW + 400 }).map(String), fc.stringMatching(/^[0-9+\-. e]{0,17}$/))
      : name === "webhook-signature"
        ? fc.array(entry, { maxLength: 70 }).map((entries) => entries.join(" ".repeat(1 + (entries.length % 3))))
        : fc.constantFrom(ID, `${ID}.`, "msg\r\nx");
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(valid[name]) },
    { weight: 3, arbitrary: specific },
    { weight: 2, arbitrary: anyString },
    { weight: 1, arbitrary: fc.array(fc.oneof(anyString, fc.constant(valid[name])), { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.constantFrom(undefined, null, "", 0, 1.5, true, "x".repeat(9000)) },
    { weight: 1, arbitrary: fc.anything() },
  );
}

const headers: fc.Arbitrary<unknown> = fc
  .record({
    "webhook-id": headerValue("webhook-id"),
    "webhook-timestamp": headerValue("webhook-timestamp"),
    "webhook-signature": headerValue("webhook-signature"),
    extra: fc.dictionary(anyString, fc.anything(), { maxKeys: 3 }),
    shape: fc.constantFrom("plain", "upper-case keys", "Web Headers-like get()", "not an object"),
  })
  .map(({ extra, shape, ...values }) => {
    if (shape === "upper-case keys")
      return { ...extra, ...Object.fromEntries(Object.entries(values).map(([k, v]) => [k.toUpperCase(), v])) };
    if (shape === "Web Headers-like get()") return { get: (name: string) => (values as Record<string, unknown>)[name] ?? null };
    if (shape === "not an object") return values["webhook-id"];
    return { ...extra, ...values };
  });

const body: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(BODY) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 256 }) },
  { weight: 2, arbitrary: anyString },
  { weight: 1, arbitrary: fc.anything() },
);

function onlyTypedErrors(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookVerificationError);
  }
}

describe("property: verification only ever throws WebhookVerificationError", () => {
  it("verify(body, headers) over 10,000 arbitrary inputs", () => {
    let verified = 0;
    fc.assert(
      fc.property(body, headers, (b, h) => {
        onlyTypedErrors(() => {
          verifier.verify(b as RawBody, h as HeadersLike);
          verified += 1;
        });
      }),
      { numRuns: 10_000 },
    );
    // The generators must also reach the success path, or the property proves little.
    expect(verified).toBeGreaterThan(0);
  });

  it("verifyParts over 10,000 arbitrary inputs", () => {
    fc.assert(
      fc.property(
        body,
        headerValue("webhook-id"),
        headerValue("webhook-timestamp"),
        headerValue("webhook-signature"),
        (b, id, timestamp, signature) => {
          onlyTypedErrors(() => verifier.verifyParts(b as RawBody, id as string, timestamp as string, signature as string));
        },
      ),
      { numRuns: 10_000 },
    );
  });
});

describe("property: sign → verify round trip", () => {
  it("any raw body, any signable id, any timestamp within tolerance", () => {
    const id = fc.stringMatching(/^[A-Za-z0-9_\-~!#$%&'*+^`|]{1,64}$/);
    const raw = fc.oneof(fc.uint8Array({ maxLength: 2048 }), fc.string({ unit: "binary", maxLength: 512 }));
    fc.assert(
      fc.property(id, raw, fc.integer({ min: -300, max: 300 }), (webhookId, b, offset) => {
        const timestamp = NOW + offset;
        const result = verifier.verify(b, signer.headers({ id: webhookId, timestamp, body: b }));
        expect(result).toEqual({ id: webhookId, timestamp });
      }),
      { numRuns: 1_000 },
    );
  });
});
