import { UnknownEventTypeError } from "@hookline/core";
import type { LoadedCatalog } from "../catalog/registry.js";
import { rfc3339 } from "../util/time.js";

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

/**
 * An event type the live catalog lacks. The likely cause is a type added to the catalog after this
 * server loaded it, so the message names the catalog that is loaded and how to load the new one.
 */
export function unknownEventType(type: string, loaded: LoadedCatalog): ApiError {
  const known = loaded.view.types;
  const suggestion = new UnknownEventTypeError(type, known).suggestion;
  const quoted = JSON.stringify(type.length > 100 ? `${type.slice(0, 100)}…` : type);
  const which =
    loaded.directory === undefined
      ? "the catalog this server was given in code"
      : `the catalog this server loaded (fingerprint ${loaded.fingerprint}, loaded at ${rfc3339(loaded.loadedAt)})`;
  const shown = known.slice(0, 20).join(", ") + (known.length > 20 ? `, … (${known.length - 20} more)` : "");
  const message =
    `Unknown event type ${quoted}.${suggestion === undefined ? "" : ` Did you mean ${JSON.stringify(suggestion)}?`} ` +
    `It is not in ${which}. If you added it to the catalog, run \`npm run generate\` and reload: ` +
    "POST /v1/catalog/reload, SIGHUP, or HOOKLINE_CATALOG_WATCH=true in development. " +
    `Otherwise check the spelling. Known types: ${shown || "(none)"}.`;
  return new ApiError(422, "unknown_event_type", message, {
    knownTypes: known,
    catalogFingerprint: loaded.fingerprint,
    catalogLoadedAt: rfc3339(loaded.loadedAt),
  });
}
