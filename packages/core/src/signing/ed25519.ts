import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";

/**
 * Raw Ed25519 keys (RFC 8032: a 32-byte seed, a 32-byte public key) ⇄ node:crypto KeyObjects.
 * Node imports Ed25519 keys only as DER/PEM/JWK, and for Ed25519 the DER forms are a fixed header
 * followed by the raw bytes (RFC 8410), so wrapping is a constant prefix.
 */
const PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

export const ED25519_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;

export function privateKeyFromSeed(seed: Uint8Array): KeyObject {
  const der = Buffer.concat([PKCS8_PREFIX, seed]);
  try {
    return createPrivateKey({ key: der, format: "der", type: "pkcs8" });
  } finally {
    der.fill(0);
  }
}

export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: "der", type: "spki" });
}

export function rawPublicKey(key: KeyObject): Buffer {
  return key.export({ format: "der", type: "spki" }).subarray(SPKI_PREFIX.length);
}

export function rawSeed(key: KeyObject): Buffer {
  return key.export({ format: "der", type: "pkcs8" }).subarray(PKCS8_PREFIX.length);
}
