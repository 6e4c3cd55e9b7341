import { expect } from "vitest";
import { WebhookVerificationError, type WebhookErrorCode } from "../../src/signing/index.js";

/**
 * Official Standard Webhooks test vectors, copied byte for byte from the reference libraries'
 * own tests in github.com/standard-webhooks/standard-webhooks (see `source` on each).
 */
export const OFFICIAL_VECTORS = [
  {
    name: "v1, reference 'sign function works' vector",
    source:
      "libraries/javascript/src/webhook.test.ts 'sign function works' (same in go/webhook_symmetric_test.go TestSymmetricWebhookSign and python/tests/test_webhooks.py test_sign_function)",
    key: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
    timestamp: 1614265330,
    payload: '{"test": 2432232314}',
    expected: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
  },
  {
    name: "v1, Rust reference test_sign vector",
    source: "libraries/rust/src/lib.rs test_sign",
    key: "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
    id: "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
    timestamp: 1649367553,
    payload: '{"email":"test@example.com","username":"test_user"}',
    expected: "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=",
  },
  {
    name: "v1a, Go reference TestAsymmetricWebhookSign vector (32-byte seed)",
    source: "libraries/go/webhook_asymmetric_test.go TestAsymmetricWebhookSign (key given there without the whsk_ prefix)",
    key: "whsk_VEVTVFNJR05JTkdLRVlET05PVFVTRVRISVNGT1JBTlk=",
    id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
    timestamp: 1614265330,
    payload: '{"test": 2432232314}',
    expected: "v1a,tQ9V2XOqn7jL/DQenEFpqIugdBVtiMmER5mhSkXBNwM0mkATuDe6KYYUuxqtaiHeYGb7KaaBRdM5WqyeFiL8Ag==",
  },
] as const;

/** Public half of the Go vector's seed, derived with node:crypto (RFC 8032), not an official value. */
export const OFFICIAL_V1A_PUBLIC_KEY = "whpk_ZlN4eg7dSSqi0moX9hQUk3orrOouK3QVQSlJa248c/g=";

export const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
export const OTHER_SECRET = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
export const ID = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
export const NOW = 1_700_000_000;
export const BODY = '{"type":"contact.created","data":{"id":"1f81eb52"}}';

/** A clock frozen at `seconds` (the verifier takes milliseconds). */
export function clockAt(seconds: number): () => number {
  return () => seconds * 1000;
}

/** Runs `fn`, asserts it throws a WebhookVerificationError with `code`, and returns the error. */
export function expectCode(fn: () => unknown, code: WebhookErrorCode): WebhookVerificationError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(WebhookVerificationError);
  const error = thrown as WebhookVerificationError;
  expect(error.code, error.message).toBe(code);
  expect(error.name).toBe("WebhookVerificationError");
  return error;
}

/** The payload of a `v1,<base64>` / `v1a,<base64>` entry, for building hostile headers. */
export function entryValue(entry: string): string {
  return entry.slice(entry.indexOf(",") + 1);
}
