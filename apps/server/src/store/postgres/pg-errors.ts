import { StoreUnavailableError } from "../errors.js";

/** SQLSTATE codes that mean "the database cannot serve this now", not "this request is wrong". */
const UNAVAILABLE_SQLSTATE = new Set([
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up, recovering)
  "57014", // query_canceled (statement_timeout)
  "55P03", // lock_not_available (lock_timeout)
  "25P03", // idle_in_transaction_session_timeout
  "53300", // too_many_connections
  "53100", // disk_full
  "53200", // out_of_memory
  "3D000", // invalid_catalog_name: the database does not exist (dropped, or not yet created)
]);

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/** node-postgres reports a lost or unobtainable connection with these messages (no code). */
const NETWORK_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|not queryable|Cannot use a pool after calling end|Connection ended unexpectedly/i;

/** Deadlock or serialization failure: the whole transaction may simply be run again. */
export function isRetryable(error: unknown): boolean {
  const code = sqlstate(error);
  return code === "40P01" || code === "40001";
}

export function isUnavailable(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  const code = sqlstate(error);
  if (code !== undefined && (code.startsWith("08") || UNAVAILABLE_SQLSTATE.has(code))) return true;
  if (code !== undefined && NETWORK_CODES.has(code)) return true;
  const message = error instanceof Error ? error.message : String(error);
  return NETWORK_MESSAGES.test(message);
}

/** The error to throw to callers: StoreUnavailableError for outages (→ 503, worker backs off), else as is. */
export function translate(error: unknown): unknown {
  if (error instanceof StoreUnavailableError || !isUnavailable(error)) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new StoreUnavailableError(`PostgreSQL is unavailable: ${detail}`, { cause: error });
}

function sqlstate(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}
