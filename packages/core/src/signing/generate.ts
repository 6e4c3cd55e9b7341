import { generateKeyPairSync, randomBytes } from "node:crypto";
import { rawPublicKey, rawSeed } from "./ed25519.js";
import { ED25519_PUBLIC_PREFIX, ED25519_SECRET_PREFIX, SECRET_PREFIX } from "./keys.js";

/** A new `whsec_` HMAC secret: 32 random bytes, the length the reference libraries generate. */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString("base64");
}

/**
 * A new Ed25519 key pair: `whsk_` + base64(32-byte seed) and `whpk_` + base64(32-byte public key),
 * the forms the reference Go library reads. Hand out only `publicKey`.
 */
export function generateKeyPair(): { secretKey: string; publicKey: string } {
  const pair = generateKeyPairSync("ed25519");
  const seed = rawSeed(pair.privateKey);
  try {
    return {
      secretKey: ED25519_SECRET_PREFIX + seed.toString("base64"),
      publicKey: ED25519_PUBLIC_PREFIX + rawPublicKey(pair.publicKey).toString("base64"),
    };
  } finally {
    seed.fill(0);
  }
}
