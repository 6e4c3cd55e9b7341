import { canonicalBase64Length, decodeCanonicalBase64 } from "./base64.js";
import { ED25519_SIGNATURE_BYTES } from "./ed25519.js";
import { WebhookVerificationError } from "./errors.js";

/**
 * Parsing of `webhook-signature`: space-separated `<version>,<base64>` entries (several during key
 * rotation or when v1 and v1a are both sent). Bounded so a hostile header costs little: over 8 KiB
 * is refused (Node and Web Headers expose header bytes as Latin-1, so characters are bytes), and only
 * the first 64 entries are looked at. Entries that cannot match are skipped, never fatal: unknown
 * versions, a missing comma, empty parts, non-canonical base64 (see base64.ts), a wrong length.
 */
export const MAX_SIGNATURE_HEADER_LENGTH = 8 * 1024;
export const MAX_SIGNATURE_ENTRIES = 64;
export const HMAC_SIGNATURE_BYTES = 32;

export interface SignatureCandidates {
  /** Decoded `v1` MACs, each exactly 32 bytes. */
  readonly v1: Buffer[];
  /** Decoded `v1a` signatures, each exactly 64 bytes. */
  readonly v1a: Buffer[];
}

const V1_LENGTH = canonicalBase64Length(HMAC_SIGNATURE_BYTES);
const V1A_LENGTH = canonicalBase64Length(ED25519_SIGNATURE_BYTES);

export function assertSignatureHeaderSize(header: string): void {
  if (header.length > MAX_SIGNATURE_HEADER_LENGTH) {
    throw new WebhookVerificationError("invalid_header", `The "webhook-signature" header is ${header.length} bytes long; at most ${MAX_SIGNATURE_HEADER_LENGTH} are accepted. A sender needs one entry per active key, which is far below this.`);
  }
}

/** Call after assertSignatureHeaderSize. */
export function parseSignatureHeader(header: string): SignatureCandidates {
  const candidates: SignatureCandidates = { v1: [], v1a: [] };
  let start = 0;
  for (let seen = 0; seen < MAX_SIGNATURE_ENTRIES && start < header.length; ) {
    if (header.charCodeAt(start) === 0x20) {
      start += 1;
      continue;
    }
    const space = header.indexOf(" ", start);
    const end = space === -1 ? header.length : space;
    addEntry(candidates, header.slice(start, end));
    seen += 1;
    start = end + 1;
  }
  return candidates;
}

function addEntry(candidates: SignatureCandidates, entry: string): void {
  const comma = entry.indexOf(",");
  if (comma === -1) return;
  const version = entry.slice(0, comma);
  const value = entry.slice(comma + 1);
  if (version === "v1" && value.length === V1_LENGTH) {
    const mac = decodeCanonicalBase64(value);
    if (mac?.length === HMAC_SIGNATURE_BYTES) candidates.v1.push(mac);
  } else if (version === "v1a" && value.length === V1A_LENGTH) {
    const signature = decodeCanonicalBase64(value);
    if (signature?.length === ED25519_SIGNATURE_BYTES) candidates.v1a.push(signature);
  }
}
