import { pino, stdSerializers, type DestinationStream, type Logger } from "pino";

/**
 * Structured logs (pino). Secrets never reach them: request headers are not logged by default, and
 * these paths are censored wherever they appear — authorization and signature headers, API keys,
 * endpoint secrets. Endpoint URLs are logged only through `redactUrl` (no credentials, no query).
 */
export const REDACT_PATHS = [
  "authorization",
  "headers.authorization",
  "req.headers.authorization",
  'headers["webhook-signature"]',
  'req.headers["webhook-signature"]',
  "secret",
  "secrets",
  "*.secret",
  "*.secrets",
  "apiKey",
  "*.apiKey",
  "signature",
  "*.signature",
];

/**
 * Errors are logged without the properties that carry request bytes: Node's HTTP parser errors hold
 * `rawPacket` (the raw request, Authorization header included) and the like; none of them is needed
 * to understand an error, and redaction by path cannot see into a byte array.
 */
const RAW_ERROR_PROPERTIES = ["rawPacket", "headers", "rawHeaders", "socket"];

function serializeError(error: unknown): unknown {
  const shown = stdSerializers.err(error as Error) as unknown;
  if (typeof shown !== "object" || shown === null) return shown;
  const copy = { ...(shown as Record<string, unknown>) };
  for (const name of RAW_ERROR_PROPERTIES) delete copy[name];
  return copy;
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    serializers: { err: serializeError, error: serializeError },
    base: { service: "hookline-server" },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}

export type { Logger };
