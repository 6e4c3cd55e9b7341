import { timingSafeEqual } from "node:crypto";
import { canonicalBase64Length, decodeCanonicalBase64 } from "./base64.js";
import { ED25519_SIGNATURE_BYTES } from "./ed25519.js";
import { WebhookVerificationError } from "./errors.js";

/**
 * Parsing of `webhook-signature`: space-separated `<version>,<base64>` entries (several during key
 * rotation or when v1 and v1a are both sent). Bounded so a hostile header costs little: over 8 KiB
 * is refused (Node and Web Headers expose header bytes as Latin-1, so characters are bytes), and only
 * the first 64 entries are looked at. Entries that cannot match are skipped, never fatal: unknown
 * versions, a missing comma, empty parts, non-canonical base64 (see base64.ts), a wrong length.
 * Repeated entries are kept once (canonical base64 has one spelling per value, so equal text is
 * equal bytes).
 */
export const MAX_SIGNATURE_HEADER_LENGTH = 8 * 1024;
export const MAX_SIGNATURE_ENTRIES = 64;
/**
 * Distinct `v1a` entries checked per request, in header order; later ones are never checked.
 * Each check is a full Ed25519 verification over the whole body per public key (about 1.2 ms for
 * 1 MiB), unlike `v1`, whose MAC is computed once per key and compared with every entry. A sender
 * sends one entry per active key: one, or a few during a rotation, far below this.
 */
export const MAX_V1A_ENTRIES_CHECKED = 8;
export const HMAC_SIGNATURE_BYTES = 32;

export interface SignatureCandidates {
  /**
   * `v1` values of the only possible length (44 characters), still as text: they are compared with
   * the canonical base64 text of the expected MAC, which accepts exactly the canonical spellings of
   * that MAC (see `matchesCanonicalText`) without decoding each one.
   */
  readonly v1: string[];
  /** Decoded `v1a` signatures, each exactly 64 bytes, distinct; the verifier checks the first {@link MAX_V1A_ENTRIES_CHECKED}. */
  readonly v1a: Buffer[];
}

const V1_PREFIX = "v1,";
const V1A_PREFIX = "v1a,";
const V1_ENTRY_LENGTH = V1_PREFIX.length + canonicalBase64Length(HMAC_SIGNATURE_BYTES);
const V1A_ENTRY_LENGTH = V1A_PREFIX.length + canonicalBase64Length(ED25519_SIGNATURE_BYTES);

export function assertSignatureHeaderSize(header: string): void {
  if (header.length > MAX_SIGNATURE_HEADER_LENGTH) {
    throw new WebhookVerificationError(
      "invalid_header",
      `The "webhook-signature" header is ${header.length} bytes long; at most ${MAX_SIGNATURE_HEADER_LENGTH} are accepted. A sender needs one entry per active key, which is far below this.`,
    );
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
    addEntry(candidates, header, start, end);
    seen += 1;
    start = end + 1;
  }
  return candidates;
}

/**
 * Adds `header[start, end)` when it is a usable entry. A known version fixes the entry's length,
 * so the length and prefix are checked in place and only a possible match is sliced and decoded.
 */
function addEntry(candidates: SignatureCandidates, header: string, start: number, end: number): void {
  const length = end - start;
  if (length === V1_ENTRY_LENGTH && header.startsWith(V1_PREFIX, start)) {
    const value = header.slice(start + V1_PREFIX.length, end);
    if (!candidates.v1.includes(value)) candidates.v1.push(value);
  } else if (length === V1A_ENTRY_LENGTH && header.startsWith(V1A_PREFIX, start)) {
    const signature = decodeCanonicalBase64(header.slice(start + V1A_PREFIX.length, end));
    if (signature?.length === ED25519_SIGNATURE_BYTES && !candidates.v1a.some((seen) => seen.equals(signature)))
      candidates.v1a.push(signature);
  }
}

/** The `v1` candidates that are canonical base64 of a 32-byte MAC; for error messages only. */
export function countWellFormedV1(candidates: SignatureCandidates): number {
  return candidates.v1.filter((value) => decodeCanonicalBase64(value)?.length === HMAC_SIGNATURE_BYTES).length;
}

/**
 * Whether `received` is exactly `expected`, the canonical base64 text of a MAC, compared in constant
 * time. Canonical base64 is one-to-one, so this holds exactly when `received` is canonical and decodes
 * to the MAC: the same entries as decoding first, without a decode and a Buffer per entry. Encoded as
 * UTF-8, a string has as many bytes as UTF-16 units only when it is all ASCII, so the (public) length
 * check also keeps non-ASCII look-alikes out before timingSafeEqual.
 */
export function matchesCanonicalText(expected: Buffer, received: string): boolean {
  const bytes = Buffer.from(received, "utf8");
  return bytes.length === expected.length && timingSafeEqual(expected, bytes);
}
