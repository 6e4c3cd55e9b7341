/**
 * The one error type of the signing runtime. Callers branch on `code`; `message` is for humans and
 * says what went wrong and how to fix it. Messages never include key or secret bytes, nor received
 * signature values, so they are safe to log and to return to a client.
 */
export type WebhookErrorCode =
  /** `webhook-id`, `webhook-timestamp` or `webhook-signature` is absent or empty. */
  | "missing_header"
  /** A header is present but unusable (signature header over 8 KiB, id with control characters…). */
  | "invalid_header"
  /** `webhook-timestamp` is not 1–15 ASCII digits. */
  | "invalid_timestamp"
  | "timestamp_too_old"
  | "timestamp_too_new"
  | "no_matching_signature"
  /** A key given to a constructor is malformed; thrown at construction, never at verify time. */
  | "invalid_secret"
  /** The body is not raw bytes or a string (typically an already-parsed JSON object). */
  | "invalid_body";

export class WebhookVerificationError extends Error {
  override readonly name = "WebhookVerificationError";
  readonly code: WebhookErrorCode;

  constructor(code: WebhookErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}
