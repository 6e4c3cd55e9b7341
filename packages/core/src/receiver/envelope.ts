import type { RawBody } from "../signing/index.js";
import { MalformedPayloadError } from "./errors.js";

/** A parsed envelope whose type and payload are not checked yet. */
export interface UncheckedEnvelope {
  readonly type: string;
  readonly timestamp: string;
  readonly data: unknown;
}

/** JSON-parses a verified body and checks the envelope shape (not the payload). */
export function parseEnvelope(rawBody: RawBody): UncheckedEnvelope {
  let value: unknown;
  try {
    const text = typeof rawBody === "string" ? rawBody : new TextDecoder("utf-8", { fatal: true }).decode(rawBody);
    value = JSON.parse(text);
  } catch {
    throw new MalformedPayloadError("malformed_json", "The webhook body is not valid UTF-8 JSON.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new MalformedPayloadError("invalid_envelope", `The webhook body must be a JSON object ${SHAPE}.`);
  }
  const type: unknown = Reflect.get(value, "type");
  const timestamp: unknown = Reflect.get(value, "timestamp");
  const wrong = [
    typeof type === "string" ? undefined : '"type" (string)',
    typeof timestamp === "string" ? undefined : '"timestamp" (string)',
    Object.hasOwn(value, "data") ? undefined : '"data"',
  ].filter((field) => field !== undefined);
  if (typeof type !== "string" || typeof timestamp !== "string" || wrong.length > 0) {
    throw new MalformedPayloadError("invalid_envelope", `The webhook body must be an envelope ${SHAPE}; missing or wrong: ${wrong.join(", ")}.`);
  }
  return { type, timestamp, data: Reflect.get(value, "data") };
}

const SHAPE = '{"type": string, "timestamp": string, "data": …}';
