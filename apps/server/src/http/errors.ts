/**
 * Every error answer is `{"error": {"code", "message", "details"?}}`: `code` is a stable snake_case
 * identifier to branch on, `message` says what happened and how to fix it, `details` (when present)
 * lists the individual problems, e.g. `[{path, message}]` with JSON pointers.
 */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export function errorBody(
  code: string,
  message: string,
  details?: unknown,
): { error: { code: string; message: string; details?: unknown } } {
  return details === undefined ? { error: { code, message } } : { error: { code, message, details } };
}

export const notFound = (what: string, id: string): ApiError =>
  new ApiError(
    404,
    "not_found",
    `No ${what} with id ${JSON.stringify(id.slice(0, 80))}. Check the id (list them with GET ${what === "event" ? "/v1/events" : "/v1/endpoints"}).`,
  );
