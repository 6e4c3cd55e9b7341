import { isUint8Array } from "node:util/types";
import { WebhookVerificationError } from "./errors.js";

/** The request body exactly as sent or received. A string is UTF-8 encoded; a Buffer is a Uint8Array. */
export type RawBody = Uint8Array | string;

export function assertRawBody(body: unknown): asserts body is RawBody {
  // isUint8Array also recognises Buffers from another realm (vm contexts, test workers).
  if (typeof body !== "string" && !isUint8Array(body)) {
    throw new WebhookVerificationError(
      "invalid_body",
      `Pass the raw request body (Buffer, Uint8Array or string) exactly as received; a parsed JSON object cannot be verified because re-serialising changes the bytes. Got ${body === null ? "null" : typeof body}.`,
    );
  }
}
