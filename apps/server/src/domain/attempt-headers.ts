/**
 * The headers an attempt row keeps, so the dashboard can show what was sent and what came back:
 *
 * - request headers as sent, except that no secret is ever stored: each `webhook-signature` entry
 *   reads `v1,<redacted>` (the count of entries shows how many secrets signed it, e.g. during a
 *   rotation) and an `authorization` built from URL credentials reads `Basic <redacted>`;
 * - response headers as received: untrusted text from the receiver, kept whole up to 8 KiB (names
 *   and values, in received order), then cut; U+0000 is replaced (PostgreSQL text refuses it).
 */
import { capText } from "./attempt-outcome.js";

export const REDACTED_SIGNATURE = "v1,<redacted>";
export const RESPONSE_HEADERS_LIMIT = 8 * 1024;

/** Headers whose values are credentials: kept, with the value redacted. */
const SECRET_HEADERS = new Map<string, (value: string) => string>([
  [
    "webhook-signature",
    (value) =>
      value
        .split(" ")
        .filter((part) => part !== "")
        .map(() => REDACTED_SIGNATURE)
        .join(" "),
  ],
  ["authorization", (value) => `${value.split(" ")[0] ?? ""} <redacted>`],
  ["proxy-authorization", (value) => `${value.split(" ")[0] ?? ""} <redacted>`],
]);

/**
 * The request headers of an attempt as stored: the headers the worker signed and sent, the
 * `content-length` and Basic `authorization` the egress client adds, secrets redacted.
 */
export function sentHeaders(
  headers: Readonly<Record<string, string>>,
  extra: { readonly bodyBytes: number; readonly basicAuthorization: boolean },
): Record<string, string> {
  const out = record();
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    out[lower] = SECRET_HEADERS.get(lower)?.(value) ?? value;
  }
  out["content-length"] = String(extra.bodyBytes);
  if (extra.basicAuthorization && out["authorization"] === undefined) out["authorization"] = "Basic <redacted>";
  return out;
}

/** Response headers capped at `limit` bytes of names and values; `truncated` when any were cut or left out. */
export function capResponseHeaders(
  headers: Readonly<Record<string, string>>,
  limit = RESPONSE_HEADERS_LIMIT,
): { headers: Record<string, string>; truncated: boolean } {
  const out = record();
  let used = 0;
  for (const [rawName, rawValue] of Object.entries(headers)) {
    const name = capText(rawName, 256);
    const room = limit - used - Buffer.byteLength(name);
    if (room <= 0) return { headers: out, truncated: true };
    const whole = capText(rawValue, Number.MAX_SAFE_INTEGER);
    const bytes = Buffer.byteLength(whole);
    if (bytes > room) {
      out[name] = capText(whole, room);
      return { headers: out, truncated: true };
    }
    out[name] = whole;
    used += Buffer.byteLength(name) + bytes;
  }
  return { headers: out, truncated: false };
}

/** A record without a prototype: a receiver's header named `__proto__` is just a header. */
function record(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}
