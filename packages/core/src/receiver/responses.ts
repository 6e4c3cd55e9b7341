import { WebhookVerificationError } from "../signing/index.js";
import { PayloadValidationError, UnknownEventTypeError } from "../validation.js";
import { UnknownEventVersionError } from "../versions.js";
import { MalformedPayloadError } from "./errors.js";
import type { ReceiverResponse } from "./types.js";

/** One entry of a 422 response; `path` is a JSON pointer into the request body. */
export interface ResponseDetail {
  readonly path: string;
  readonly message: string;
}

const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

export function jsonResponse(status: number, value: unknown, headers: Readonly<Record<string, string>> = {}): ReceiverResponse {
  return { status, headers: { "content-type": JSON_CONTENT_TYPE, ...headers }, body: JSON.stringify(value) };
}

const OK_BODY = JSON.stringify({ ok: true });

/** `200 {"ok":true}`, the answer to almost every delivery: the body is serialised once, not per request. */
export function okResponse(): ReceiverResponse {
  return { status: 200, headers: { "content-type": JSON_CONTENT_TYPE }, body: OK_BODY };
}

export function errorResponse(
  status: number,
  code: string,
  message: string,
  details?: readonly ResponseDetail[],
  headers?: Readonly<Record<string, string>>,
): ReceiverResponse {
  const error = details === undefined ? { code, message } : { code, message, details };
  return jsonResponse(status, { error }, headers);
}

export function payloadTooLarge(limit: number): ReceiverResponse {
  return errorResponse(413, "payload_too_large", `The request body exceeds the limit of ${limit} bytes.`, undefined, {
    connection: "close",
  });
}

export function methodNotAllowed(): ReceiverResponse {
  return errorResponse(405, "method_not_allowed", "Webhooks are delivered with POST.", undefined, { allow: "POST" });
}

/** A generic 500: the cause stays server-side (it may describe internals or user data). */
export function internalError(code = "internal_error"): ReceiverResponse {
  return errorResponse(500, code, "The webhook could not be processed; it will be retried.");
}

/** Maps a failure of `receiver.verify` to its status code; `undefined` for unexpected errors. */
export function verificationFailure(error: unknown): ReceiverResponse | undefined {
  if (error instanceof WebhookVerificationError) {
    // A parsed object instead of raw bytes is a deployment bug, not a bad request: 500 so it retries.
    return errorResponse(error.code === "invalid_body" ? 500 : 401, error.code, error.message);
  }
  if (error instanceof MalformedPayloadError) return errorResponse(400, error.code, error.message);
  if (error instanceof UnknownEventTypeError) {
    return errorResponse(422, error.code, error.message, [{ path: "/type", message: error.message }]);
  }
  if (error instanceof UnknownEventVersionError) {
    return errorResponse(422, error.code, error.message, [{ path: "/version", message: error.message }]);
  }
  if (error instanceof PayloadValidationError) {
    const details = error.issues.map((issue) => ({ path: `/data${issue.path}`, message: issue.message }));
    return errorResponse(422, error.code, error.message, details);
  }
  return undefined;
}
