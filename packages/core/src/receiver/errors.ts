/** Why a verified body is not a usable envelope. */
export type MalformedPayloadCode = "malformed_json" | "invalid_envelope";

/** The body is signed correctly but is not JSON, or not a `{type, timestamp, data}` envelope. */
export class MalformedPayloadError extends Error {
  override readonly name = "MalformedPayloadError";
  readonly code: MalformedPayloadCode;

  constructor(code: MalformedPayloadCode, message: string) {
    super(message);
    this.code = code;
  }
}
