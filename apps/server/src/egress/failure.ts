/**
 * Maps whatever an attempt threw (node, undici, OpenSSL or our connector) to an outcome code and a
 * message that is safe to store and log: built from fixed text, the error code and `host:port`, never
 * from the URL's credentials, path or query, nor from request headers or body.
 */
import { BLOCKED_DESTINATION_CODE } from "./connector.js";

export type FailureCode =
  | "blocked_destination"
  | "timeout"
  | "connection_refused"
  | "connection_reset"
  | "dns_failure"
  | "tls_error"
  | "invalid_url"
  | "network_error";

export interface FailureContext {
  /** `host:port` of the destination. */
  readonly origin: string;
  readonly timeoutMs: number;
  /** Our deadline passed. */
  readonly expired: boolean;
  /** The caller's signal aborted the attempt. */
  readonly callerAborted: boolean;
  /** Response headers had arrived when it failed. */
  readonly gotHeaders: boolean;
  /** Secret strings (URL username and password) to scrub from any third-party text. */
  readonly secrets: readonly string[];
}

const TIMEOUT_CODES = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT"]);
const RESET_CODES = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED", "UND_ERR_SOCKET"]);
const DNS_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NONAME", "EAI_NODATA", "ENODATA", "ESERVFAIL"]);
/** OpenSSL verification codes (CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT, ...) and node's TLS codes. */
const TLS_CODE = /^ERR_TLS_|^ERR_SSL_|CERT|SIGNATURE|^INVALID_CA$|^PATH_LENGTH_EXCEEDED$|^INVALID_PURPOSE$|^HOSTNAME_MISMATCH$/;
const MAX_DETAIL = 300;

export function describeFailure(error: unknown, ctx: FailureContext): { code: FailureCode; message: string } {
  const code = errorCode(error);
  const detail = scrub(error instanceof Error ? error.message : String(error), ctx.secrets);
  const tag = code === undefined ? "" : ` (${code})`;
  if (ctx.expired || (code !== undefined && TIMEOUT_CODES.has(code))) {
    const what = ctx.gotHeaders ? "the response body" : "no response headers";
    const verb = ctx.gotHeaders ? "did not finish" : "arrived";
    return { code: "timeout", message: `${what} from ${ctx.origin} ${verb} within ${ctx.timeoutMs} ms${tag}` };
  }
  if (ctx.callerAborted) return { code: "network_error", message: `attempt to ${ctx.origin} aborted by the caller` };
  if (code === BLOCKED_DESTINATION_CODE) return { code: "blocked_destination", message: detail };
  if (code === "ECONNREFUSED") return { code: "connection_refused", message: `connection refused by ${ctx.origin}${tag}` };
  if (code !== undefined && RESET_CODES.has(code)) {
    return { code: "connection_reset", message: `connection to ${ctx.origin} closed before the response completed${tag}` };
  }
  if (code !== undefined && DNS_CODES.has(code)) {
    return { code: "dns_failure", message: `could not resolve the host of ${ctx.origin}${tag}` };
  }
  if (code !== undefined && TLS_CODE.test(code)) {
    // Node 24 appends advice for its own operator ("; if the root CA is installed locally, try running
    // Node.js with --use-system-ca"): it does not help the endpoint's owner who reads this attempt.
    return { code: "tls_error", message: `TLS handshake with ${ctx.origin} failed: ${detail.split(";")[0]}${tag}` };
  }
  if (code === "ERR_INVALID_URL") return { code: "invalid_url", message: `invalid endpoint URL${tag}` };
  return { code: "network_error", message: `request to ${ctx.origin} failed: ${detail}${tag}` };
}

/** The first `code` along the error and its `cause` chain. */
function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e !== null && typeof e === "object" && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && code !== "") return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret !== "") out = out.split(secret).join("***");
  return out.length > MAX_DETAIL ? `${out.slice(0, MAX_DETAIL)}…` : out;
}
