import type { Kind } from "./config/kinds.js";
import { SETTINGS, type Setting, type Settings } from "./config/settings.js";

export { DEFAULT_RETRY_SCHEDULE, LOG_FORMATS, type LogFormat } from "./config/settings.js";

/**
 * Every setting of the server, typed from the table in config/settings.ts (which documents each
 * one). `loadConfig` reads them from the environment; tests build one with `resolveConfig`. Both
 * refuse an unsafe combination rather than guessing, with a message that names the variable and
 * the fix.
 */
export type Config = { readonly [K in keyof Settings]: Settings[K] extends Setting<infer T> ? T : never };

export type ConfigInput = { -readonly [K in keyof Config]?: Config[K] | undefined };

/** A lease must outlive one attempt by at least this much (signing, database write, clock drift). */
export const LEASE_MARGIN_MS = 5000;

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.problems = problems;
  }
}

/** A row of the table with its value type erased, for the loops below. */
interface AnySetting {
  readonly env?: string;
  readonly kind: Kind<unknown>;
  readonly default: unknown;
  readonly hidden?: boolean;
}
const entries = Object.entries(SETTINGS) as unknown as [keyof Config, AnySetting][];

/** What messages call a setting: its variable, or its key for the code-only ones. */
const nameOf = (key: keyof Config): string => (SETTINGS[key] as AnySetting).env ?? key;

/** Defaults for every setting, then the given values; validated. */
export function resolveConfig(input: ConfigInput = {}): Config {
  const problems: string[] = [];
  const resolved: Record<string, unknown> = {};
  for (const [key, s] of entries) {
    let value = input[key] ?? (typeof s.default === "function" ? (s.default as (r: typeof resolved) => unknown)(resolved) : s.default);
    if (value !== undefined) {
      if (s.kind.normalize !== undefined) value = s.kind.normalize(value);
      s.kind.check?.(value, nameOf(key), problems);
    }
    resolved[key] = value;
  }
  const config = resolved as Config;
  crossChecks(config, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Rules that involve two settings; each names both variables and the way out. */
function crossChecks(c: Config, problems: string[]): void {
  if (c.httpHeadersTimeoutMs > c.httpRequestTimeoutMs) {
    problems.push(
      `HOOKLINE_HTTP_HEADERS_TIMEOUT_MS (${c.httpHeadersTimeoutMs}) cannot exceed HOOKLINE_HTTP_REQUEST_TIMEOUT_MS (${c.httpRequestTimeoutMs}): the headers are part of the request.`,
    );
  }
  if (c.endpointConcurrency > c.concurrency) {
    problems.push(`HOOKLINE_ENDPOINT_CONCURRENCY (${c.endpointConcurrency}) cannot exceed HOOKLINE_CONCURRENCY (${c.concurrency}).`);
  }
  if (c.leaseMs < c.requestTimeoutMs + LEASE_MARGIN_MS) {
    problems.push(
      `HOOKLINE_LEASE_MS (${c.leaseMs}) must exceed HOOKLINE_REQUEST_TIMEOUT_MS (${c.requestTimeoutMs}) by at least ${LEASE_MARGIN_MS} ms, ` +
        `or a slow attempt could outlive its lease and be delivered twice at once. Set HOOKLINE_LEASE_MS to ${c.requestTimeoutMs + LEASE_MARGIN_MS} or more, or leave it unset (default: timeout + 30 s).`,
    );
  }
}

/** Reads the environment; throws ConfigError listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const input: Record<string, unknown> = {};
  for (const [key, s] of entries) {
    const text = s.env === undefined ? undefined : env[s.env]?.trim();
    // Set but empty counts as unset, as shells and compose files often leave variables.
    if (s.env !== undefined && text !== undefined && text !== "") input[key] = s.kind.parse(text, s.env, problems);
  }
  if (problems.length > 0) {
    // Report parse problems together with the range and cross-field ones that can still be checked.
    try {
      resolveConfig(input as ConfigInput);
    } catch (error) {
      if (error instanceof ConfigError) problems.push(...error.problems);
    }
    throw new ConfigError(problems);
  }
  return resolveConfig(input as ConfigInput);
}

/** The effective settings for the start-up log, by variable and as one would write them (no secrets). */
export function describeConfig(c: Config): Record<string, unknown> {
  const shown: Record<string, unknown> = { db: describeDatabase(c), secretsEncrypted: c.masterKey !== undefined };
  for (const [key, s] of entries) {
    const value = c[key];
    if (s.env !== undefined && s.hidden !== true && value !== undefined) shown[s.env] = s.kind.show(value);
  }
  return shown;
}

/** Where the data lives, for logs and the banner: the SQLite path, or the PostgreSQL URL without its password or query values. */
export function describeDatabase(c: Config): string {
  if (c.databaseUrl === undefined) return `SQLite ${c.dbPath}`;
  let shown = "(unparseable URL)";
  try {
    const url = new URL(c.databaseUrl);
    if (url.password !== "") url.password = "***";
    // pg also reads settings from the query, secrets among them (?password=, ?sslpassword=, ?sslkey=): names only.
    for (const name of new Set(url.searchParams.keys())) url.searchParams.set(name, "***");
    shown = url.toString();
  } catch {
    // keep the placeholder: never echo a URL we cannot redact
  }
  return `PostgreSQL ${shown}${c.databaseSchema === "public" ? "" : ` (schema ${c.databaseSchema})`}`;
}
