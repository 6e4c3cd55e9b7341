import { createPublicKey, createSecretKey, timingSafeEqual, type KeyObject } from "node:crypto";
import { decodeCanonicalBase64 } from "./base64.js";
import { ED25519_KEY_BYTES, privateKeyFromSeed, publicKeyFromRaw, rawPublicKey } from "./ed25519.js";
import { WebhookVerificationError } from "./errors.js";

/**
 * Key strings (Standard Webhooks serialisation) → node:crypto KeyObjects, built once per signer or
 * verifier. The key string and the decoded bytes are not kept: KeyObjects hold the material outside
 * the JS heap and never print it.
 *
 * - `whsec_` + base64(24–64 random bytes): HMAC-SHA256 secret, signature version `v1`.
 * - `whsk_` + base64(32-byte Ed25519 seed), or of the 64-byte libsodium form seed‖publicKey: `v1a`.
 * - `whpk_` + base64(32-byte Ed25519 public key): verifies `v1a`.
 * These match the spec's table and the reference Go library (`ed25519.NewKeyFromSeed`).
 */
export const SECRET_PREFIX = "whsec_";
export const ED25519_SECRET_PREFIX = "whsk_";
export const ED25519_PUBLIC_PREFIX = "whpk_";
export const SECRET_MIN_BYTES = 24;
export const SECRET_MAX_BYTES = 64;

export type ParsedKey =
  | { readonly kind: "hmac"; readonly key: KeyObject }
  | { readonly kind: "ed25519-secret"; readonly privateKey: KeyObject; readonly publicKey: KeyObject }
  | { readonly kind: "ed25519-public"; readonly publicKey: KeyObject };

export type KeyRole = "signer" | "verifier";

const BASE64_RULE = 'canonical standard base64 (A–Z a–z 0–9 + /, "=" padding, no whitespace or line breaks)';

/** Signers never get a public key back: parsing refuses `whpk_` for them. */
export function parseKeys(keys: unknown, role: "signer"): Exclude<ParsedKey, { kind: "ed25519-public" }>[];
export function parseKeys(keys: unknown, role: KeyRole): ParsedKey[];
export function parseKeys(keys: unknown, role: KeyRole): ParsedKey[] {
  if (typeof keys === "string") return [parseKey(keys, "The key", role)];
  if (!Array.isArray(keys)) {
    throw invalid(`Pass the ${role}'s keys as a string or an array of strings (got ${describe(keys)}).`);
  }
  if (keys.length === 0) throw invalid(`The ${role} needs at least one key; got an empty list.`);
  return keys.map((key: unknown, index) => parseKey(key, `keys[${index}]`, role));
}

function parseKey(key: unknown, label: string, role: KeyRole): ParsedKey {
  if (typeof key !== "string") throw invalid(`${label} must be a string (got ${describe(key)}).`);
  if (key.startsWith(SECRET_PREFIX)) return { kind: "hmac", key: parseHmacSecret(key, label) };
  if (key.startsWith(ED25519_SECRET_PREFIX)) return parseEd25519Secret(key, label);
  if (key.startsWith(ED25519_PUBLIC_PREFIX)) {
    if (role === "signer") {
      throw invalid(`${label} is a whpk_ public key, which can only verify; the signer needs the matching whsk_ secret key.`);
    }
    return parseEd25519Public(key, label);
  }
  const accepted =
    role === "signer"
      ? '"whsec_" (HMAC secret) or "whsk_" (Ed25519 secret key)'
      : '"whsec_" (HMAC secret), "whpk_" (Ed25519 public key) or "whsk_" (Ed25519 secret key)';
  const hint = key.length === 0 ? `${label} is empty. ` : `${label} has no recognised prefix. `;
  throw invalid(`${hint}A key must start with ${accepted}; a bare base64 secret from another tool needs the "whsec_" prefix added.`);
}

function parseHmacSecret(key: string, label: string): KeyObject {
  const bytes = decodeCanonicalBase64(key.slice(SECRET_PREFIX.length));
  if (bytes === undefined) {
    throw invalid(
      `${label} is not a valid whsec_ secret: the part after "whsec_" must be ${BASE64_RULE}. Copy the secret again exactly as issued.`,
    );
  }
  try {
    if (bytes.length < SECRET_MIN_BYTES || bytes.length > SECRET_MAX_BYTES) {
      throw invalid(
        `${label} is not a valid whsec_ secret: it must decode to ${SECRET_MIN_BYTES}–${SECRET_MAX_BYTES} bytes, this one decodes to ${bytes.length}. Use generateSecret() to create one.`,
      );
    }
    return createSecretKey(bytes);
  } finally {
    bytes.fill(0);
  }
}

function parseEd25519Secret(key: string, label: string): ParsedKey {
  const rule = `"whsk_" followed by ${BASE64_RULE} of a 32-byte Ed25519 seed (or the 64-byte seed‖public-key form)`;
  const bytes = decodeCanonicalBase64(key.slice(ED25519_SECRET_PREFIX.length));
  if (bytes === undefined) throw invalid(`${label} is not a valid whsk_ key: it must be ${rule}.`);
  try {
    if (bytes.length !== ED25519_KEY_BYTES && bytes.length !== 2 * ED25519_KEY_BYTES) {
      throw invalid(
        `${label} is not a valid whsk_ key: it must be ${rule}; this one decodes to ${bytes.length} bytes. Use generateKeyPair() to create one.`,
      );
    }
    const privateKey = privateKeyFromSeed(bytes.subarray(0, ED25519_KEY_BYTES));
    const publicKey = createPublicKey(privateKey);
    // The libsodium form repeats the public key; a mismatch means a corrupted or spliced key.
    if (bytes.length === 2 * ED25519_KEY_BYTES && !timingSafeEqual(rawPublicKey(publicKey), bytes.subarray(ED25519_KEY_BYTES))) {
      throw invalid(
        `${label} is not a valid whsk_ key: in the 64-byte form the last 32 bytes must be the public key of the first 32 (the seed), and they are not. The key is corrupt; export it again.`,
      );
    }
    return { kind: "ed25519-secret", privateKey, publicKey };
  } finally {
    bytes.fill(0);
  }
}

function parseEd25519Public(key: string, label: string): ParsedKey {
  const rule = `"whpk_" followed by ${BASE64_RULE} of a 32-byte Ed25519 public key`;
  const bytes = decodeCanonicalBase64(key.slice(ED25519_PUBLIC_PREFIX.length));
  if (bytes?.length !== ED25519_KEY_BYTES) throw invalid(`${label} is not a valid whpk_ key: it must be ${rule}.`);
  try {
    return { kind: "ed25519-public", publicKey: publicKeyFromRaw(bytes) };
  } catch {
    throw invalid(`${label} is not a valid whpk_ key: its 32 bytes are not an Ed25519 public key.`);
  }
}

function invalid(message: string): WebhookVerificationError {
  return new WebhookVerificationError("invalid_secret", message);
}

function describe(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}
