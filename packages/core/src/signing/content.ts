import { createHmac, type KeyObject } from "node:crypto";
import type { RawBody } from "./raw-body.js";

/** `${id}.${timestamp}.`: what precedes the body in the signed content. */
export function signedPrefix(id: string, timestamp: string): string {
  return `${id}.${timestamp}.`;
}

/**
 * HMAC-SHA256 over prefix‖body, base64-encoded by node:crypto directly (no intermediate Buffer). The
 * two parts are fed separately so a large body is never copied, and bytes are hashed as given (never
 * decoded to text), so invalid UTF-8 still verifies. Strings are hashed as UTF-8, update()'s default
 * (naming the encoding costs a lookup per call). Signing and verification both use it.
 */
export function hmacSignatureBase64(key: KeyObject, prefix: string, body: RawBody): string {
  return createHmac("sha256", key).update(prefix).update(body).digest("base64");
}

/**
 * The whole signed content in one buffer. Ed25519 (pure EdDSA) hashes the message twice internally
 * and node:crypto has no streaming API for it, so here one copy is unavoidable; callers build it once
 * per request and reuse it for every key and entry.
 */
export function ed25519Message(prefix: string, body: RawBody): Buffer {
  return Buffer.concat([Buffer.from(prefix, "utf8"), typeof body === "string" ? Buffer.from(body, "utf8") : body]);
}
