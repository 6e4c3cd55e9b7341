import { createHash, randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/**
 * A URL-safe identifier: `prefix_` + 24 base62 characters — 8 encoding the creation time in
 * milliseconds, then 16 random ones (≈95 bits). Base62 rather than base64url so an id double-clicks
 * as one word and never starts or ends with a separator.
 *
 * Time first, like KSUIDs: ids sort by creation time, so the stores' unique indexes on them grow at
 * their right edge instead of dirtying a random B-tree page per insert (which showed as commit cost).
 */
export function newId(prefix: "ep" | "evt" | "dlv" | "atm" | "tok", now = Date.now()): string {
  let out = `${prefix}_${timePrefix(now)}`;
  for (let n = 0; n < 16; ) {
    const byte = randomByte();
    // 248 = 4 × 62: rejecting the top bytes keeps every character equally likely.
    if (byte < 248) {
      out += ALPHABET[byte % 62];
      n++;
    }
  }
  return out;
}

/** Milliseconds as 8 base62 digits, most significant first (62^8 ms ≈ 6,900 years): byte order = time order. */
function timePrefix(ms: number): string {
  let rest = Math.max(0, Math.floor(ms));
  let out = "";
  for (let i = 0; i < 8; i++) {
    out = (ALPHABET[rest % 62] ?? "0") + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

// One CSPRNG call per 4 KiB of ids rather than one per id (it showed in profiles).
let pool = Buffer.alloc(0);
let offset = 0;

function randomByte(): number {
  if (offset >= pool.length) {
    pool = randomBytes(4096);
    offset = 0;
  }
  return pool[offset++] ?? 0;
}

/** A random API key shown once to the operator: `hk_` + 43 base64url characters (32 bytes). */
export function newApiKey(): string {
  return `hk_${randomBytes(32).toString("base64url")}`;
}

/** Client-chosen event ids: no "." (it would make the signed content `id.timestamp.body` ambiguous). */
export const EVENT_ID_PATTERN = "^[A-Za-z0-9_-]{1,64}$";
export const RESOURCE_ID_PATTERN = "^[A-Za-z0-9_-]{1,64}$";

/** A stored API token, shown once: `hlt_` + 43 base64url characters (32 random bytes). Only its SHA-256 is kept. */
export function newToken(): string {
  return `hlt_${randomBytes(32).toString("base64url")}`;
}

/** A single-use portal code (`hlp_` + 32 random bytes, base64url), exchanged for a session token. Only its SHA-256 is kept. */
export function newPortalCode(): string {
  return `hlp_${randomBytes(32).toString("base64url")}`;
}

/** SHA-256 of a token or code, hex: how they are stored and looked up. */
export function secretDigest(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}
