import { sign as signEd25519, type KeyObject } from "node:crypto";
import { ed25519Message, hmacSignatureBase64, signedPrefix } from "./content.js";
import { WebhookVerificationError } from "./errors.js";
import { inspectCustom } from "./inspect.js";
import { assertRawBody, type RawBody } from "./raw-body.js";
import { parseKeys } from "./keys.js";
import { MAX_TIMESTAMP } from "./timestamp.js";

export interface SignInput {
  /** The webhook id: 1–256 visible ASCII characters other than "." (a dot makes the signed content ambiguous). */
  id: string;
  /** Unix seconds (an integer), not milliseconds. */
  timestamp: number;
  /** The exact bytes that will be sent; a string is sent and signed as UTF-8. */
  body: RawBody;
}

interface SigningKey {
  readonly version: "v1" | "v1a";
  readonly key: KeyObject;
}

const MAX_ID_LENGTH = 256;

/**
 * Signs webhooks with one or more keys: `whsec_` secrets give `v1` entries, `whsk_` keys `v1a`
 * entries. Several keys (rotation, or v1 next to v1a) give one entry each, in the given order.
 */
export class WebhookSigner {
  readonly #keys: readonly SigningKey[];

  constructor(keys: string | readonly string[]) {
    this.#keys = parseKeys(keys, "signer").map(
      (key): SigningKey => (key.kind === "hmac" ? { version: "v1", key: key.key } : { version: "v1a", key: key.privateKey }),
    );
  }

  /** The `webhook-signature` header value. */
  sign(input: SignInput): string {
    const { id, timestamp, body } = input;
    assertSignableId(id);
    assertSignableTimestamp(timestamp);
    assertRawBody(body);
    const prefix = signedPrefix(id, String(timestamp));
    let message: Buffer | undefined;
    let header = "";
    for (const { version, key } of this.#keys) {
      if (header !== "") header += " ";
      if (version === "v1") {
        header += `v1,${hmacSignatureBase64(key, prefix, body)}`;
      } else {
        message ??= ed25519Message(prefix, body);
        header += `v1a,${signEd25519(null, message, key).toString("base64")}`;
      }
    }
    return header;
  }

  /** All three Standard Webhooks headers for one attempt. */
  headers(input: SignInput): { "webhook-id": string; "webhook-timestamp": string; "webhook-signature": string } {
    const signature = this.sign(input);
    return { "webhook-id": input.id, "webhook-timestamp": String(input.timestamp), "webhook-signature": signature };
  }

  [inspectCustom](): string {
    return `WebhookSigner { keys: ${this.#keys.length} }`;
  }
}

/**
 * Ids are signed as `${id}.${timestamp}.${body}`: a "." in the id would let the same bytes be read
 * with a different id/timestamp split, and anything outside visible ASCII cannot travel unchanged in
 * an HTTP header (Web Headers refuse code points above U+00FF).
 */
function assertSignableId(id: unknown): asserts id is string {
  if (typeof id === "string" && isSignableId(id)) return;
  const problem =
    typeof id !== "string"
      ? `it is ${typeof id}, not a string`
      : id.length === 0
        ? "it is empty"
        : id.length > MAX_ID_LENGTH
          ? `it is ${id.length} characters long`
          : id.includes(".")
            ? 'it contains "."'
            : /[^\x21-\x7E]/.test(id)
              ? "it contains whitespace, control or non-ASCII characters"
              : undefined;
  if (problem !== undefined) {
    throw new WebhookVerificationError(
      "invalid_header",
      `Cannot sign: the webhook id must be 1–${MAX_ID_LENGTH} visible ASCII characters without "." (a dot makes the signed content ambiguous), whitespace or control characters, and ${problem}. Use ids like "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W".`,
    );
  }
}

/** The rule above as one loop over the characters, without a regex call: this runs on every signature. */
function isSignableId(id: string): boolean {
  if (id.length === 0 || id.length > MAX_ID_LENGTH) return false;
  for (let i = 0; i < id.length; i++) {
    const code = id.charCodeAt(i);
    if (code < 0x21 || code > 0x7e || code === 0x2e) return false;
  }
  return true;
}

function assertSignableTimestamp(timestamp: unknown): asserts timestamp is number {
  if (typeof timestamp !== "number" || !Number.isSafeInteger(timestamp) || timestamp < 0 || timestamp > MAX_TIMESTAMP) {
    throw new WebhookVerificationError(
      "invalid_header",
      `Cannot sign: the timestamp must be a non-negative integer number of unix seconds, e.g. Math.floor(Date.now() / 1000) (got ${typeof timestamp === "number" ? String(timestamp) : typeof timestamp}).`,
    );
  }
}
