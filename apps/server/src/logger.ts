import { pino, type DestinationStream, type Logger } from "pino";

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

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACT_PATHS, censor: "[redacted]" }, base: { service: "hookline-server" } };
  return destination === undefined ? pino(options) : pino(options, destination);
}

export type { Logger };
