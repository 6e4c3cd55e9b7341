import type { IncomingHttpHeaders } from "node:http";
import { describe, expectTypeOf, it } from "vitest";
import {
  WebhookSigner,
  type WebhookVerificationError,
  WebhookVerifier,
  generateKeyPair,
  generateSecret,
  readWebhookHeaders,
  type HeadersLike,
  type RawBody,
  type SignInput,
  type VerifiedWebhook,
  type VerifyOptions,
  type WebhookErrorCode,
} from "../../src/index.js";

// Pins the API the sender and receiver are written against.
describe("signing API types", () => {
  it("error codes and error class", () => {
    expectTypeOf<WebhookErrorCode>().toEqualTypeOf<
      | "missing_header"
      | "invalid_header"
      | "invalid_timestamp"
      | "timestamp_too_old"
      | "timestamp_too_new"
      | "no_matching_signature"
      | "invalid_secret"
      | "invalid_body"
    >();
    expectTypeOf<WebhookVerificationError["code"]>().toEqualTypeOf<WebhookErrorCode>();
    expectTypeOf<WebhookVerificationError>().toExtend<Error>();
  });

  it("key generation", () => {
    expectTypeOf(generateSecret).toEqualTypeOf<() => string>();
    expectTypeOf(generateKeyPair).returns.toEqualTypeOf<{ secretKey: string; publicKey: string }>();
  });

  it("headers accept Web Headers, Node's IncomingHttpHeaders and plain records", () => {
    expectTypeOf<Headers>().toExtend<HeadersLike>();
    expectTypeOf<IncomingHttpHeaders>().toExtend<HeadersLike>();
    expectTypeOf<{ "webhook-id": string }>().toExtend<HeadersLike>();
    expectTypeOf(readWebhookHeaders).returns.toEqualTypeOf<{ id: string; timestamp: string; signature: string }>();
  });

  it("bodies are bytes or strings, never parsed objects", () => {
    expectTypeOf<RawBody>().toEqualTypeOf<Uint8Array | string>();
    expectTypeOf<Buffer>().toExtend<RawBody>();
    expectTypeOf<{ a: 1 }>().not.toExtend<RawBody>();
  });

  it("signer", () => {
    expectTypeOf<SignInput>().toEqualTypeOf<{ id: string; timestamp: number; body: RawBody }>();
    expectTypeOf(WebhookSigner).constructorParameters.toEqualTypeOf<[keys: string | readonly string[]]>();
    expectTypeOf<WebhookSigner["sign"]>().toEqualTypeOf<(input: SignInput) => string>();
    expectTypeOf<WebhookSigner["headers"]>().returns.toEqualTypeOf<{
      "webhook-id": string;
      "webhook-timestamp": string;
      "webhook-signature": string;
    }>();
  });

  it("verifier", () => {
    expectTypeOf<VerifyOptions>().toEqualTypeOf<{ toleranceSeconds?: number; now?: () => number }>();
    expectTypeOf<VerifiedWebhook>().toEqualTypeOf<{ id: string; timestamp: number }>();
    expectTypeOf(WebhookVerifier).constructorParameters.toEqualTypeOf<
      [keys: string | readonly string[], options?: VerifyOptions | undefined]
    >();
    expectTypeOf<WebhookVerifier["verify"]>().toEqualTypeOf<(body: RawBody, headers: HeadersLike) => VerifiedWebhook>();
    expectTypeOf<WebhookVerifier["verifyParts"]>().toEqualTypeOf<
      (body: RawBody, id: string, timestamp: string, signature: string) => VerifiedWebhook
    >();
  });
});
