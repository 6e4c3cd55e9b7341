import { pino, stdSerializers, type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";
import type { LogFormat } from "./config.js";

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

/** `auto` is pretty only for a person at a terminal: anything piped (a collector, a file) gets JSON lines. */
export function chooseLogFormat(format: LogFormat, stdoutIsTerminal: boolean): "json" | "pretty" {
  if (format === "auto") return stdoutIsTerminal ? "pretty" : "json";
  return format;
}

/**
 * JSON lines to `destination` (default stdout), or human lines on stdout for `pretty`. Redaction and
 * the error serialiser run before either, so pretty output hides the same secrets.
 */
export function createLogger(level: string, destination?: DestinationStream, format: "json" | "pretty" = "json"): Logger {
  const options = {
    level,
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    serializers: { err: serializeError, error: serializeError },
    base: { service: "hookline-server" },
  };
  if (destination !== undefined) return pino(options, destination);
  if (format === "json") return pino(options);
  // In-process and synchronous (no transport thread): lines are not lost when the process exits at once.
  const stream = pretty({
    sync: true,
    colorize: pretty.isColorSupported && process.stdout.isTTY,
    translateTime: "SYS:HH:MM:ss.l",
    ignore: "pid,hostname,service",
  });
  return pino(options, stream);
}

export type { Logger };
