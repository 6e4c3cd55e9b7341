import { verify as verifySignature, type KeyObject } from "node:crypto";
import { ed25519Message, hmacSignatureBase64, signedPrefix } from "./content.js";
import { WebhookVerificationError } from "./errors.js";
import { inspectCustom } from "./inspect.js";
import { assertRawBody, type RawBody } from "./raw-body.js";
import { ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, readHeader, requireHeaderValue, type HeadersLike } from "./headers.js";
import { parseKeys } from "./keys.js";
import {
  assertSignatureHeaderSize,
  countWellFormedV1,
  matchesCanonicalText,
  MAX_V1A_ENTRIES_CHECKED,
  parseSignatureHeader,
  type SignatureCandidates,
} from "./signature-header.js";
import { checkTolerance, parseTimestamp } from "./timestamp.js";

export interface VerifyOptions {
  /** Accepted clock difference in seconds, in both directions. Default 300. */
  toleranceSeconds?: number;
  /** Current time in milliseconds since the epoch. Default `Date.now`; inject for tests. */
  now?: () => number;
}

export interface VerifiedWebhook {
  id: string;
  /** The `webhook-timestamp`, in unix seconds. */
  timestamp: number;
}

const DEFAULT_TOLERANCE_SECONDS = 300;

/** C0 controls and DEL: no legitimate id has them, and they hint at header injection or mangling. */
function hasControlCharacter(text: string): boolean {
  // A plain loop: ids are short and this runs on every request (same set as /[\u0000-\u001F\u007F]/).
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * Verifies Standard Webhooks requests against one or more keys: `whsec_` secrets check `v1` entries,
 * `whpk_` public keys (or `whsk_` secret keys, reduced to their public half) check `v1a` entries. Any
 * one valid entry is enough. Checks run in a fixed order (body type, header presence and shape,
 * timestamp syntax, tolerance, signatures), so the error code names the first problem.
 */
export class WebhookVerifier {
  readonly #hmacKeys: readonly KeyObject[];
  readonly #publicKeys: readonly KeyObject[];
  readonly #toleranceSeconds: number;
  readonly #now: () => number;

  constructor(keys: string | readonly string[], options?: VerifyOptions) {
    const hmacKeys: KeyObject[] = [];
    const publicKeys: KeyObject[] = [];
    for (const key of parseKeys(keys, "verifier")) {
      if (key.kind === "hmac") hmacKeys.push(key.key);
      else publicKeys.push(key.publicKey);
    }
    this.#hmacKeys = hmacKeys;
    this.#publicKeys = publicKeys;
    const { toleranceSeconds = DEFAULT_TOLERANCE_SECONDS, now = Date.now } = options ?? {};
    if (typeof toleranceSeconds !== "number" || !Number.isFinite(toleranceSeconds) || toleranceSeconds < 0) {
      throw new RangeError(`toleranceSeconds must be a finite number of seconds ≥ 0 (got ${String(toleranceSeconds)}).`);
    }
    if (typeof now !== "function") throw new TypeError("now must be a function returning milliseconds since the epoch.");
    this.#toleranceSeconds = toleranceSeconds;
    this.#now = now;
  }

  /** Verifies `body` (raw bytes or string, as received) against the request headers. */
  verify(body: RawBody, headers: HeadersLike): VerifiedWebhook {
    assertRawBody(body);
    // Read one by one, in readWebhookHeaders' order, without building its intermediate object.
    const id = readHeader(headers, ID_HEADER);
    const timestamp = readHeader(headers, TIMESTAMP_HEADER);
    return this.#verify(body, id, timestamp, readHeader(headers, SIGNATURE_HEADER));
  }

  /** Same as `verify`, for callers that already extracted the three header values. */
  verifyParts(body: RawBody, id: string, timestamp: string, signature: string): VerifiedWebhook {
    assertRawBody(body);
    return this.#verify(
      body,
      requireHeaderValue(id, ID_HEADER),
      requireHeaderValue(timestamp, TIMESTAMP_HEADER),
      requireHeaderValue(signature, SIGNATURE_HEADER),
    );
  }

  #verify(body: RawBody, id: string, timestampText: string, signature: string): VerifiedWebhook {
    if (hasControlCharacter(id)) {
      throw new WebhookVerificationError(
        "invalid_header",
        `The "${ID_HEADER}" header contains control characters; a webhook id is printable text such as "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W".`,
      );
    }
    assertSignatureHeaderSize(signature);
    const timestamp = parseTimestamp(timestampText);
    const nowMs = this.#now();
    if (!Number.isFinite(nowMs)) throw new TypeError(`now() must return finite milliseconds since the epoch (got ${String(nowMs)}).`);
    checkTolerance(timestamp, nowMs, this.#toleranceSeconds);
    const candidates = parseSignatureHeader(signature);
    // The signed content uses the timestamp text exactly as received, since that is what was signed.
    const prefix = signedPrefix(id, timestampText);
    if (this.#matchesHmac(candidates, prefix, body) || this.#matchesEd25519(candidates, prefix, body)) {
      return { id, timestamp };
    }
    throw new WebhookVerificationError("no_matching_signature", this.#noMatchMessage(candidates));
  }

  #matchesHmac(candidates: SignatureCandidates, prefix: string, body: RawBody): boolean {
    const received = candidates.v1;
    if (received.length === 0) return false;
    // Indexed loops: this is the per-request hot path, usually one key and one entry.
    for (let k = 0; k < this.#hmacKeys.length; k++) {
      // The MAC as base64 text straight from node:crypto (no digest Buffer); ASCII, so one byte per character.
      const expected = Buffer.from(hmacSignatureBase64(this.#hmacKeys[k] as KeyObject, prefix, body), "latin1");
      for (let i = 0; i < received.length; i++) if (matchesCanonicalText(expected, received[i] as string)) return true;
    }
    return false;
  }

  #matchesEd25519(candidates: SignatureCandidates, prefix: string, body: RawBody): boolean {
    if (candidates.v1a.length === 0 || this.#publicKeys.length === 0) return false;
    const message = ed25519Message(prefix, body);
    // Bounded: each check costs a pass over the whole body, and the entries are the sender's to choose.
    const checked = Math.min(candidates.v1a.length, MAX_V1A_ENTRIES_CHECKED);
    for (const key of this.#publicKeys) {
      for (let i = 0; i < checked; i++) if (verifySignature(null, message, key, candidates.v1a[i] as Buffer)) return true;
    }
    return false;
  }

  #noMatchMessage(candidates: SignatureCandidates): string {
    const v1a = candidates.v1a.length;
    const unchecked = v1a > MAX_V1A_ENTRIES_CHECKED ? `, of which only the first ${MAX_V1A_ENTRIES_CHECKED} distinct ones are checked` : "";
    const found = `found ${countWellFormedV1(candidates)} well-formed v1 and ${v1a} well-formed v1a entries${unchecked}`;
    const held = `this verifier holds ${this.#hmacKeys.length} whsec_ and ${this.#publicKeys.length} Ed25519 keys`;
    return `No entry of the "${SIGNATURE_HEADER}" header matches (${found}; ${held}). Verify the raw body exactly as received, not re-serialised JSON, with the endpoint's current key; v1 entries need a whsec_ secret and v1a entries a whpk_ key.`;
  }

  [inspectCustom](): string {
    return `WebhookVerifier { keys: ${this.#hmacKeys.length + this.#publicKeys.length} }`;
  }
}
