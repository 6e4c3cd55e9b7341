import type { RawBody } from "../signing/index.js";
import { MalformedPayloadError } from "./errors.js";

/** A parsed envelope whose type and payload are not checked yet. */
export interface UncheckedEnvelope {
  readonly type: string;
  /** As sent: `undefined` when the body has none (senders before versions were in the envelope). */
  readonly version: unknown;
  readonly timestamp: string;
  readonly data: unknown;
}

/**
 * One decoder for every request: without `{ stream: true }` a decode call keeps no state between
 * calls (a failed one included), and constructing a TextDecoder per request was measurable.
 * `fatal` refuses invalid UTF-8; a leading BOM is skipped (RFC 8259 §8.1 lets parsers ignore it).
 */
const UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * A string body is the same bytes as a Buffer one (the signature covers their UTF-8 encoding), so
 * its leading BOM is skipped too: both spellings of one delivery get the same answer.
 */
function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** JSON-parses a verified body and checks the envelope shape (not the payload). */
export function parseEnvelope(rawBody: RawBody): UncheckedEnvelope {
  let value: unknown;
  try {
    value = JSON.parse(typeof rawBody === "string" ? withoutBom(rawBody) : UTF8.decode(rawBody));
  } catch {
    throw new MalformedPayloadError("malformed_json", "The webhook body is not valid UTF-8 JSON.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new MalformedPayloadError("invalid_envelope", `The webhook body must be a JSON object ${SHAPE}.`);
  }
  const { type, version, timestamp, data } = value as {
    readonly type?: unknown;
    readonly version?: unknown;
    readonly timestamp?: unknown;
    readonly data?: unknown;
  };
  if (typeof type === "string" && typeof timestamp === "string" && Object.hasOwn(value, "data")) {
    // The version is checked against the event type's carried versions, which name the fix.
    return { type, version: Object.hasOwn(value, "version") ? version : undefined, timestamp, data };
  }
  // Only a bad request pays for listing what is wrong.
  const wrong = [
    typeof type === "string" ? undefined : '"type" (string)',
    typeof timestamp === "string" ? undefined : '"timestamp" (string)',
    Object.hasOwn(value, "data") ? undefined : '"data"',
  ].filter((field) => field !== undefined);
  throw new MalformedPayloadError(
    "invalid_envelope",
    `The webhook body must be an envelope ${SHAPE}; missing or wrong: ${wrong.join(", ")}.`,
  );
}

const SHAPE = '{"type": string, "version": integer (optional), "timestamp": string, "data": …}';
