import { resolve } from "node:path";
import { parseAllowList } from "./egress/index.js";
import { formatDuration, parseDuration } from "./util/time.js";

/**
 * Every setting of the server. `loadConfig` reads them from the environment (the README lists each
 * variable); tests build one with `resolveConfig`. Both refuse an unsafe combination rather than
 * guessing, with a message that names the variable and the fix.
 */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** SQLite database file (created with its folder when missing); unused when `databaseUrl` is set. */
  readonly dbPath: string;
  /** PostgreSQL connection URL (DATABASE_URL): switches storage from SQLite to PostgreSQL. */
  readonly databaseUrl: string | undefined;
  /** PostgreSQL schema for Hookline's tables (HOOKLINE_DB_SCHEMA, default "public"). */
  readonly databaseSchema: string;
  /** PostgreSQL connections per server process (HOOKLINE_DB_POOL_SIZE). */
  readonly dbPoolSize: number;
  /** Longest any one PostgreSQL statement may run, ms (HOOKLINE_DB_STATEMENT_TIMEOUT_MS). */
  readonly dbStatementTimeoutMs: number;
  /** When set, the only accepted API key; otherwise the hashed key stored in the database. */
  readonly apiKey: string | undefined;
  /** Delay before retry n (ms), after the first attempt; its length is the number of retries. */
  readonly retrySchedule: readonly number[];
  /** One attempt: connect + response headers + body, in ms. */
  readonly requestTimeoutMs: number;
  /** How long a claimed delivery stays reserved for its worker. Must exceed the request timeout by `LEASE_MARGIN_MS`. */
  readonly leaseMs: number;
  /** Largest accepted POST /v1/events body in bytes (413 above). */
  readonly maxPayloadBytes: number;
  /** Byte budget of one list page (HOOKLINE_PAGE_MAX_BYTES): a page ends before the item that would pass it (see store/paging.ts). */
  readonly pageMaxBytes: number;
  /** CIDRs outside the public internet that deliveries may reach (empty = none). */
  readonly egressAllow: readonly string[];
  readonly httpsOnly: boolean;
  /** Turn off TLS certificate verification (named dangerous on purpose). */
  readonly dangerouslyAllowInvalidTls: boolean;
  /** Deliveries in flight at once, all endpoints together. */
  readonly concurrency: number;
  /** Deliveries in flight at once to one endpoint. */
  readonly endpointConcurrency: number;
  /** An endpoint failing every attempt for this long is disabled (ms). */
  readonly disableAfterMs: number;
  /** Events (with their deliveries and attempts) older than this are deleted once every delivery is final; also the idempotency window. */
  readonly retentionMs: number;
  /** Longest `Retry-After` honoured (ms); longer values are capped to it. */
  readonly retryAfterMaxMs: number;
  /** Internal errors (database, signing) tolerated for one delivery before it is dead-lettered. */
  readonly internalErrorLimit: number;
  /** How long SIGTERM waits for in-flight deliveries before aborting them (ms). */
  readonly shutdownTimeoutMs: number;
  /** Longest idle sleep of the delivery loop between database polls (ms); new events wake it at once. */
  readonly pollIntervalMs: number;
  /** First pause after an internal error (doubles each time, at most 5 min). */
  readonly internalRetryMs: number;
  /** Stored bytes of each attempt's response body. */
  readonly responseBodyLimit: number;
  /** The API's own clients: the whole header section must arrive within this (ms). */
  readonly httpHeadersTimeoutMs: number;
  /** The API's own clients: the whole request, headers and body, must arrive within this (ms). */
  readonly httpRequestTimeoutMs: number;
  /** An API connection with nothing sent either way for this long is closed (ms); also the keep-alive idle time. */
  readonly httpIdleTimeoutMs: number;
  /** Open API connections at most; more are refused until some close. */
  readonly httpMaxConnections: number;
  /** 32-byte key (base64) that encrypts endpoint secrets at rest; unset = stored in clear. */
  readonly masterKey: Buffer | undefined;
  readonly logLevel: string;
}

/** A lease must outlive one attempt by at least this much (signing, database write, clock drift). */
export const LEASE_MARGIN_MS = 5000;

export const DEFAULT_RETRY_SCHEDULE = "5s,5m,30m,2h,5h,10h,10h";

/** 1 MiB: four events at the default payload limit, and a page a client and the server hold comfortably many times at once. */
export const DEFAULT_PAGE_MAX_BYTES = 1024 * 1024;

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.problems = problems;
  }
}

export type ConfigInput = { -readonly [K in keyof Config]?: Config[K] | undefined };

/** Defaults for every setting, then the given values; validated. */
export function resolveConfig(input: ConfigInput = {}): Config {
  const problems: string[] = [];
  const requestTimeoutMs = input.requestTimeoutMs ?? 15_000;
  const config: Config = {
    port: input.port ?? 8787,
    host: input.host ?? "127.0.0.1",
    dbPath: resolve(input.dbPath ?? "./.hookline/hookline.db"),
    databaseUrl: input.databaseUrl,
    databaseSchema: input.databaseSchema ?? "public",
    dbPoolSize: input.dbPoolSize ?? 10,
    dbStatementTimeoutMs: input.dbStatementTimeoutMs ?? 30_000,
    apiKey: input.apiKey,
    retrySchedule: input.retrySchedule ?? parseSchedule(DEFAULT_RETRY_SCHEDULE, problems),
    requestTimeoutMs,
    leaseMs: input.leaseMs ?? requestTimeoutMs + 30_000,
    maxPayloadBytes: input.maxPayloadBytes ?? 256 * 1024,
    pageMaxBytes: input.pageMaxBytes ?? DEFAULT_PAGE_MAX_BYTES,
    egressAllow: input.egressAllow ?? [],
    httpsOnly: input.httpsOnly ?? false,
    dangerouslyAllowInvalidTls: input.dangerouslyAllowInvalidTls ?? false,
    concurrency: input.concurrency ?? 64,
    endpointConcurrency: input.endpointConcurrency ?? 8,
    disableAfterMs: input.disableAfterMs ?? 5 * 86_400_000,
    retentionMs: input.retentionMs ?? 30 * 86_400_000,
    retryAfterMaxMs: input.retryAfterMaxMs ?? 3_600_000,
    internalErrorLimit: input.internalErrorLimit ?? 5,
    shutdownTimeoutMs: input.shutdownTimeoutMs ?? 10_000,
    pollIntervalMs: input.pollIntervalMs ?? 1000,
    internalRetryMs: input.internalRetryMs ?? 1000,
    responseBodyLimit: input.responseBodyLimit ?? 8 * 1024,
    httpHeadersTimeoutMs: input.httpHeadersTimeoutMs ?? 10_000,
    httpRequestTimeoutMs: input.httpRequestTimeoutMs ?? 30_000,
    httpIdleTimeoutMs: input.httpIdleTimeoutMs ?? 72_000,
    httpMaxConnections: input.httpMaxConnections ?? 1000,
    masterKey: input.masterKey,
    logLevel: input.logLevel ?? "info",
  };
  checkConfig(config, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function checkConfig(c: Config, problems: string[]): void {
  const int = (name: string, value: number, min: number, max: number): void => {
    if (!Number.isSafeInteger(value) || value < min || value > max) problems.push(`${name} must be an integer from ${min} to ${max} (got ${value}).`);
  };
  int("PORT", c.port, 0, 65535);
  int("HOOKLINE_REQUEST_TIMEOUT_MS", c.requestTimeoutMs, 1, 600_000);
  int("HOOKLINE_LEASE_MS", c.leaseMs, 1, 86_400_000);
  int("HOOKLINE_MAX_PAYLOAD_BYTES", c.maxPayloadBytes, 1024, 64 * 1024 * 1024);
  int("HOOKLINE_PAGE_MAX_BYTES", c.pageMaxBytes, 1024, 64 * 1024 * 1024);
  int("HOOKLINE_CONCURRENCY", c.concurrency, 1, 10_000);
  int("HOOKLINE_ENDPOINT_CONCURRENCY", c.endpointConcurrency, 1, 10_000);
  int("HOOKLINE_DISABLE_AFTER", c.disableAfterMs, 1, Number.MAX_SAFE_INTEGER);
  int("HOOKLINE_RETENTION", c.retentionMs, 1, Number.MAX_SAFE_INTEGER);
  int("HOOKLINE_RETRY_AFTER_MAX", c.retryAfterMaxMs, 0, 7 * 86_400_000);
  int("HOOKLINE_INTERNAL_ERROR_LIMIT", c.internalErrorLimit, 1, 1000);
  int("HOOKLINE_SHUTDOWN_TIMEOUT_MS", c.shutdownTimeoutMs, 0, 3_600_000);
  int("HOOKLINE_DB_POOL_SIZE", c.dbPoolSize, 2, 1000);
  int("HOOKLINE_DB_STATEMENT_TIMEOUT_MS", c.dbStatementTimeoutMs, 100, 3_600_000);
  int("HOOKLINE_HTTP_HEADERS_TIMEOUT_MS", c.httpHeadersTimeoutMs, 100, 600_000);
  int("HOOKLINE_HTTP_REQUEST_TIMEOUT_MS", c.httpRequestTimeoutMs, 100, 3_600_000);
  int("HOOKLINE_HTTP_IDLE_TIMEOUT_MS", c.httpIdleTimeoutMs, 100, 3_600_000);
  int("HOOKLINE_HTTP_MAX_CONNECTIONS", c.httpMaxConnections, 1, 1_000_000);
  if (c.httpHeadersTimeoutMs > c.httpRequestTimeoutMs) {
    problems.push(
      `HOOKLINE_HTTP_HEADERS_TIMEOUT_MS (${c.httpHeadersTimeoutMs}) cannot exceed HOOKLINE_HTTP_REQUEST_TIMEOUT_MS (${c.httpRequestTimeoutMs}): the headers are part of the request.`,
    );
  }
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(c.databaseSchema)) {
    problems.push(`HOOKLINE_DB_SCHEMA must be a lower-case SQL identifier (letters, digits, _; at most 63) (got "${c.databaseSchema}").`);
  }
  if (c.databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(c.databaseUrl)) {
    problems.push("DATABASE_URL must be a PostgreSQL URL like postgres://user:password@host:5432/hookline; unset it to use the embedded SQLite database.");
  }
  int("pollIntervalMs", c.pollIntervalMs, 1, 60_000);
  int("internalRetryMs", c.internalRetryMs, 1, 3_600_000);
  int("responseBodyLimit", c.responseBodyLimit, 0, 1024 * 1024);
  if (c.retrySchedule.length > 50) problems.push(`HOOKLINE_RETRY_SCHEDULE has ${c.retrySchedule.length} entries; at most 50 retries are supported.`);
  for (const delay of c.retrySchedule) int("each HOOKLINE_RETRY_SCHEDULE entry", delay, 0, 30 * 86_400_000);
  if (c.endpointConcurrency > c.concurrency) {
    problems.push(`HOOKLINE_ENDPOINT_CONCURRENCY (${c.endpointConcurrency}) cannot exceed HOOKLINE_CONCURRENCY (${c.concurrency}).`);
  }
  if (c.leaseMs < c.requestTimeoutMs + LEASE_MARGIN_MS) {
    problems.push(
      `HOOKLINE_LEASE_MS (${c.leaseMs}) must exceed HOOKLINE_REQUEST_TIMEOUT_MS (${c.requestTimeoutMs}) by at least ${LEASE_MARGIN_MS} ms, ` +
        `or a slow attempt could outlive its lease and be delivered twice at once. Set HOOKLINE_LEASE_MS to ${c.requestTimeoutMs + LEASE_MARGIN_MS} or more, or leave it unset (default: timeout + 30 s).`,
    );
  }
  if (c.masterKey !== undefined && c.masterKey.length !== 32) {
    problems.push(`HOOKLINE_MASTER_KEY must be base64 of exactly 32 bytes (got ${c.masterKey.length} bytes); create one with: openssl rand -base64 32`);
  }
  if (!LOG_LEVELS.includes(c.logLevel)) problems.push(`HOOKLINE_LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")} (got "${c.logLevel}").`);
  if (c.apiKey !== undefined && (c.apiKey.length < 16 || /\s/.test(c.apiKey))) {
    problems.push("HOOKLINE_API_KEY must be at least 16 characters without whitespace; leave it unset to have one generated.");
  }
}

function parseSchedule(text: string, problems: string[], name = "HOOKLINE_RETRY_SCHEDULE"): number[] {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed === "none") return [];
  const delays: number[] = [];
  for (const part of trimmed.split(",")) {
    const ms = parseDuration(part);
    if (ms === undefined) {
      problems.push(
        `${name}: "${part.trim()}" is not a duration; use a comma-separated list like "${DEFAULT_RETRY_SCHEDULE}" (units ms, s, m, h, d), or "none" for no retries.`,
      );
    } else delays.push(ms);
  }
  return delays;
}

/** Reads the environment; throws ConfigError listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  };
  const integer = (name: string): number | undefined => {
    const text = read(name);
    if (text === undefined) return undefined;
    if (!/^\d+$/.test(text)) {
      problems.push(`${name} must be a whole number (got "${text}").`);
      return undefined;
    }
    return Number(text);
  };
  const duration = (name: string): number | undefined => {
    const text = read(name);
    if (text === undefined) return undefined;
    const ms = parseDuration(text);
    if (ms === undefined) problems.push(`${name} must be a duration like "5d", "12h", "30m" or "1500ms" (got "${text}").`);
    return ms;
  };
  const boolean = (name: string): boolean | undefined => {
    const text = read(name)?.toLowerCase();
    if (text === undefined) return undefined;
    if (["1", "true", "yes", "on"].includes(text)) return true;
    if (["0", "false", "no", "off"].includes(text)) return false;
    problems.push(`${name} must be true or false (got "${text}").`);
    return undefined;
  };
  const schedule = read("HOOKLINE_RETRY_SCHEDULE");
  const masterKeyText = read("HOOKLINE_MASTER_KEY");
  let masterKey: Buffer | undefined;
  if (masterKeyText !== undefined) {
    masterKey = /^[A-Za-z0-9+/]+={0,2}$/.test(masterKeyText) ? Buffer.from(masterKeyText, "base64") : Buffer.alloc(0);
  }
  const input: ConfigInput = {
    port: integer("PORT"),
    host: read("HOST"),
    dbPath: read("HOOKLINE_DB"),
    databaseUrl: read("DATABASE_URL"),
    databaseSchema: read("HOOKLINE_DB_SCHEMA"),
    dbPoolSize: integer("HOOKLINE_DB_POOL_SIZE"),
    dbStatementTimeoutMs: integer("HOOKLINE_DB_STATEMENT_TIMEOUT_MS"),
    apiKey: read("HOOKLINE_API_KEY"),
    retrySchedule: schedule === undefined ? undefined : parseSchedule(schedule, problems),
    requestTimeoutMs: integer("HOOKLINE_REQUEST_TIMEOUT_MS"),
    leaseMs: integer("HOOKLINE_LEASE_MS"),
    maxPayloadBytes: integer("HOOKLINE_MAX_PAYLOAD_BYTES"),
    pageMaxBytes: integer("HOOKLINE_PAGE_MAX_BYTES"),
    egressAllow: parseEgressAllow(env["HOOKLINE_EGRESS_ALLOW"], problems),
    httpsOnly: boolean("HOOKLINE_HTTPS_ONLY"),
    dangerouslyAllowInvalidTls: boolean("HOOKLINE_DANGEROUSLY_ALLOW_INVALID_TLS"),
    concurrency: integer("HOOKLINE_CONCURRENCY"),
    endpointConcurrency: integer("HOOKLINE_ENDPOINT_CONCURRENCY"),
    disableAfterMs: duration("HOOKLINE_DISABLE_AFTER"),
    retentionMs: duration("HOOKLINE_RETENTION"),
    retryAfterMaxMs: duration("HOOKLINE_RETRY_AFTER_MAX"),
    internalErrorLimit: integer("HOOKLINE_INTERNAL_ERROR_LIMIT"),
    shutdownTimeoutMs: integer("HOOKLINE_SHUTDOWN_TIMEOUT_MS"),
    httpHeadersTimeoutMs: integer("HOOKLINE_HTTP_HEADERS_TIMEOUT_MS"),
    httpRequestTimeoutMs: integer("HOOKLINE_HTTP_REQUEST_TIMEOUT_MS"),
    httpIdleTimeoutMs: integer("HOOKLINE_HTTP_IDLE_TIMEOUT_MS"),
    httpMaxConnections: integer("HOOKLINE_HTTP_MAX_CONNECTIONS"),
    masterKey,
    logLevel: read("HOOKLINE_LOG_LEVEL"),
  };
  if (problems.length > 0) {
    // Report parse problems together with the cross-field ones that can still be checked.
    try {
      resolveConfig(withoutUndefined(input));
    } catch (error) {
      if (error instanceof ConfigError) problems.push(...error.problems);
    }
    throw new ConfigError(problems);
  }
  return resolveConfig(input);
}

function withoutUndefined(input: ConfigInput): ConfigInput {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && !(typeof v === "number" && Number.isNaN(v))));
}

/** `HOOKLINE_EGRESS_ALLOW`: CIDRs separated by commas; unset, empty or "none" = no allow-list. */
function parseEgressAllow(value: string | undefined, problems: string[]): string[] | undefined {
  if (value === undefined) return undefined;
  try {
    return parseAllowList(value);
  } catch (error) {
    problems.push(`HOOKLINE_EGRESS_ALLOW: ${(error as Error).message}`);
    return undefined;
  }
}

/** One line per setting for the startup log (no secrets). */
export function describeConfig(c: Config): Record<string, unknown> {
  return {
    db: describeDatabase(c),
    retrySchedule: c.retrySchedule.map(formatDuration).join(","),
    requestTimeoutMs: c.requestTimeoutMs,
    leaseMs: c.leaseMs,
    maxPayloadBytes: c.maxPayloadBytes,
    pageMaxBytes: c.pageMaxBytes,
    egressAllow: c.egressAllow.length === 0 ? "none" : c.egressAllow.join(","),
    httpsOnly: c.httpsOnly,
    concurrency: c.concurrency,
    endpointConcurrency: c.endpointConcurrency,
    disableAfter: formatDuration(c.disableAfterMs),
    retention: formatDuration(c.retentionMs),
    secretsEncrypted: c.masterKey !== undefined,
  };
}

/** Where the data lives, for logs and the banner: the SQLite path, or the PostgreSQL URL without its password. */
export function describeDatabase(c: Config): string {
  if (c.databaseUrl === undefined) return `SQLite ${c.dbPath}`;
  let shown = "(unparseable URL)";
  try {
    const url = new URL(c.databaseUrl);
    if (url.password !== "") url.password = "***";
    shown = url.toString();
  } catch {
    // keep the placeholder: never echo a URL we cannot redact
  }
  return `PostgreSQL ${shown}${c.databaseSchema === "public" ? "" : ` (schema ${c.databaseSchema})`}`;
}
