/** An error answer of the Hookline API (`{"error": {"code", "message", "details"}}`), or no answer at all. */
export class HooklineApiError extends Error {
  override readonly name = "HooklineApiError";
  /** HTTP status; 0 when no response arrived (network failure or timeout). */
  readonly status: number;
  /** The server's snake_case code, or `network_error` / `timeout`. */
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}
