import { base64Key, boolean, cidrList, duration, integer, type Kind, oneOf, path, schedule, text } from "./kinds.js";

/**
 * Every setting of the server, declared once: the `Config` type, `loadConfig`'s environment
 * mapping, defaults, checks, the start-up log and the README's configuration table all come from
 * this table (`npm run docs` in apps/server rewrites the README table; a test fails on drift).
 * Checks that involve two settings are in config.ts (`crossChecks`).
 */
export interface Setting<T> {
  /** The environment variable; none = settable from code only (tests). */
  readonly env?: string;
  readonly kind: Kind<NonNullable<T>>;
  /** A function for a default that follows an earlier setting (the table is resolved in order). */
  readonly default: NoInfer<T> | ((resolved: Readonly<Record<string, unknown>>) => NoInfer<T>);
  /** The README's default column, when showing the default value is not enough. */
  readonly docDefault?: string;
  /** The README's meaning column. */
  readonly doc: string;
  /** Never shown in the start-up log (secrets, and the database, which `describeDatabase` shows redacted). */
  readonly hidden?: boolean;
}

const setting = <T>(s: Setting<T>): Setting<T> => s;

export const DEFAULT_RETRY_SCHEDULE = "5s,5m,30m,2h,5h,10h,10h";
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
export const LOG_FORMATS = ["auto", "json", "pretty"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

const DAY = 86_400_000;
const retrySchedule = schedule(DEFAULT_RETRY_SCHEDULE);

export const SETTINGS = {
  port: setting({ env: "PORT", kind: integer(0, 65535), default: 8787, doc: "HTTP port" }),
  host: setting({ env: "HOST", kind: text(), default: "127.0.0.1", doc: "Listen address (`0.0.0.0` to accept remote clients)" }),
  dbPath: setting({
    env: "HOOKLINE_DB",
    kind: path,
    default: "./.hookline/hookline.db",
    doc: "SQLite database file (created with its folder); unused when `DATABASE_URL` is set",
    hidden: true,
  }),
  databaseUrl: setting<string | undefined>({
    env: "DATABASE_URL",
    kind: text((value, name) =>
      /^postgres(ql)?:\/\//.test(value)
        ? undefined
        : `${name} must be a PostgreSQL URL like postgres://user:password@host:5432/hookline; unset it to use the embedded SQLite database.`,
    ),
    default: undefined,
    doc: "`postgres://user:password@host:5432/db`: use PostgreSQL instead of SQLite (see [Scale out](#scale-out-on-postgresql))",
    hidden: true,
  }),
  databaseSchema: setting({
    env: "HOOKLINE_DB_SCHEMA",
    kind: text((value, name) =>
      /^[a-z_][a-z0-9_]{0,62}$/.test(value)
        ? undefined
        : `${name} must be a lower-case SQL identifier (letters, digits, _; at most 63) (got "${value}").`,
    ),
    default: "public",
    doc: "PostgreSQL schema for Hookline's tables (created on start)",
  }),
  dbPoolSize: setting({
    env: "HOOKLINE_DB_POOL_SIZE",
    kind: integer(2, 1000),
    default: 10,
    doc: "PostgreSQL connections per server process (plus one for LISTEN)",
  }),
  dbStatementTimeoutMs: setting({
    env: "HOOKLINE_DB_STATEMENT_TIMEOUT_MS",
    kind: integer(100, 3_600_000),
    default: 30_000,
    doc: "Longest any one PostgreSQL statement may run",
  }),
  apiKey: setting<string | undefined>({
    env: "HOOKLINE_API_KEY",
    kind: text((value, name) =>
      value.length >= 16 && !/\s/.test(value)
        ? undefined
        : `${name} must be at least 16 characters without whitespace; leave it unset to have one generated.`,
    ),
    default: undefined,
    docDefault: "generated on first start",
    doc: "The API key (≥ 16 characters). Unset: one is generated, stored hashed and printed once; `hookline-server reset-api-key` makes a new one",
    hidden: true,
  }),
  retrySchedule: setting({
    env: "HOOKLINE_RETRY_SCHEDULE",
    kind: retrySchedule,
    default: retrySchedule.parse(DEFAULT_RETRY_SCHEDULE, "", []) ?? [],
    doc: "Delays before each retry (`ms`, `s`, `m`, `h`, `d`); its length is the number of retries; `none` for no retries",
  }),
  requestTimeoutMs: setting({
    env: "HOOKLINE_REQUEST_TIMEOUT_MS",
    kind: integer(1, 600_000),
    default: 15_000,
    doc: "One attempt: connect + headers + body",
  }),
  leaseMs: setting({
    env: "HOOKLINE_LEASE_MS",
    kind: integer(1, DAY),
    default: (resolved) => Number(resolved["requestTimeoutMs"]) + 30_000,
    docDefault: "timeout + 30 s",
    doc: "How long a claimed delivery stays reserved; must exceed the timeout by ≥ 5 s",
  }),
  maxPayloadBytes: setting({
    env: "HOOKLINE_MAX_PAYLOAD_BYTES",
    kind: integer(1024, 64 * 1024 * 1024),
    default: 256 * 1024,
    doc: "Largest `POST /v1/events` body (413 above)",
  }),
  pageMaxBytes: setting({
    env: "HOOKLINE_PAGE_MAX_BYTES",
    kind: integer(1024, 64 * 1024 * 1024),
    default: 1024 * 1024,
    doc: "Byte budget of one list page (envelopes, response bodies, metadata); a page ends before the item that would pass it, with at least one item",
  }),
  httpHeadersTimeoutMs: setting({
    env: "HOOKLINE_HTTP_HEADERS_TIMEOUT_MS",
    kind: integer(100, 600_000),
    default: 10_000,
    doc: "An API request's headers must arrive within this (408 and closed otherwise)",
  }),
  httpRequestTimeoutMs: setting({
    env: "HOOKLINE_HTTP_REQUEST_TIMEOUT_MS",
    kind: integer(100, 3_600_000),
    default: 30_000,
    doc: "An API request's headers and body must arrive within this; at least the headers timeout",
  }),
  httpIdleTimeoutMs: setting({
    env: "HOOKLINE_HTTP_IDLE_TIMEOUT_MS",
    kind: integer(100, 3_600_000),
    default: 72_000,
    doc: "Close an API connection with no traffic for this long (also the keep-alive idle time; keep it above a load balancer's idle timeout)",
  }),
  httpMaxConnections: setting({
    env: "HOOKLINE_HTTP_MAX_CONNECTIONS",
    kind: integer(1, 1_000_000),
    default: 1000,
    doc: "Open API connections at most; more are refused until some close",
  }),
  egressAllow: setting<readonly string[]>({
    env: "HOOKLINE_EGRESS_ALLOW",
    kind: cidrList,
    default: [],
    doc: "CIDRs outside the public internet that deliveries may reach, comma-separated (`127.0.0.1/32,10.0.0.0/8`); `none` = none. Cloud metadata addresses stay blocked unless listed exactly",
  }),
  httpsOnly: setting({ env: "HOOKLINE_HTTPS_ONLY", kind: boolean, default: false, doc: "Refuse `http:` endpoint URLs" }),
  dangerouslyAllowInvalidTls: setting({
    env: "HOOKLINE_DANGEROUSLY_ALLOW_INVALID_TLS",
    kind: boolean,
    default: false,
    doc: "Skip TLS certificate verification (testing only)",
  }),
  concurrency: setting({
    env: "HOOKLINE_CONCURRENCY",
    kind: integer(1, 10_000),
    default: 64,
    doc: "Deliveries in flight, all endpoints together",
  }),
  endpointConcurrency: setting({
    env: "HOOKLINE_ENDPOINT_CONCURRENCY",
    kind: integer(1, 10_000),
    default: 8,
    doc: "Deliveries in flight to one endpoint (counted across all instances on PostgreSQL); at most `HOOKLINE_CONCURRENCY`",
  }),
  disableAfterMs: setting({
    env: "HOOKLINE_DISABLE_AFTER",
    kind: duration(1, Number.MAX_SAFE_INTEGER),
    default: 5 * DAY,
    doc: "Disable an endpoint that fails every attempt for this long",
  }),
  retentionMs: setting({
    env: "HOOKLINE_RETENTION",
    kind: duration(1, Number.MAX_SAFE_INTEGER),
    default: 30 * DAY,
    doc: "Delete finished events (with deliveries and attempts) older than this; also the idempotency window",
  }),
  retryAfterMaxMs: setting({
    env: "HOOKLINE_RETRY_AFTER_MAX",
    kind: duration(0, 7 * DAY),
    default: 3_600_000,
    doc: "Longest `Retry-After` honoured",
  }),
  internalErrorLimit: setting({
    env: "HOOKLINE_INTERNAL_ERROR_LIMIT",
    kind: integer(1, 1000),
    default: 5,
    doc: "Internal errors (database, signing) tolerated per delivery before it is dead-lettered; they do not count as attempts",
  }),
  shutdownTimeoutMs: setting({
    env: "HOOKLINE_SHUTDOWN_TIMEOUT_MS",
    kind: integer(0, 3_600_000),
    default: 10_000,
    doc: "On SIGTERM: stop claiming and accepting, wait this long for in-flight deliveries and HTTP answers (connections still open then are closed), exit 0",
  }),
  masterKey: setting<Buffer | undefined>({
    env: "HOOKLINE_MASTER_KEY",
    kind: base64Key(32),
    default: undefined,
    doc:
      "base64 of 32 bytes (`openssl rand -base64 32`): encrypts endpoint secrets, and the credentials and query values of endpoint URLs, at rest (AES-256-GCM). " +
      "Unset, they are stored in clear (still masked in answers). On start, URLs stored in clear (by an earlier version, or before the key was set) are sealed; " +
      "older copies can remain in backups, and on PostgreSQL in dead rows and the WAL until vacuumed and recycled: rotate such credentials if that matters. " +
      "Keep the key: without it, sealed secrets and URLs cannot be read",
    hidden: true,
  }),
  catalogDir: setting<string | undefined>({
    env: "HOOKLINE_CATALOG_DIR",
    kind: path,
    default: undefined,
    docDefault: "`@hookline/sender`'s `dist/generated`",
    doc:
      "The event catalog the server serves: a directory with the compiled generated modules `catalog.js` and `schemas.js` of an SDK. " +
      "Reloaded on `SIGHUP` and `POST /v1/catalog/reload` (see [Catalog changes](#catalog-changes))",
  }),
  docsDir: setting<string | undefined>({
    env: "HOOKLINE_DOCS_DIR",
    kind: path,
    default: undefined,
    docDefault: "`@hookline/catalog`'s `dist/docs`",
    doc:
      "The catalog docs site served publicly (no API key) at `/docs/`: a folder written by `hookline docs` (`npm run docs-site` builds the repository catalog's). " +
      "Missing files answer 404 in the API's error shape",
  }),
  dashboardDir: setting<string | undefined>({
    env: "HOOKLINE_DASHBOARD_DIR",
    kind: path,
    default: undefined,
    docDefault: "`@hookline/dashboard`'s `dist`",
    doc:
      "The operator dashboard and consumer portal served at `/ui/` (`GET /` redirects there): the folder `npm run build` writes in apps/dashboard. " +
      "The files are public; every API call they make needs a key or token",
  }),
  portalFrameAncestors: setting({
    env: "HOOKLINE_PORTAL_FRAME_ANCESTORS",
    kind: text((value, name) =>
      /^[\w\-.:/*' ]{1,1000}$/.test(value) && !/;|,/.test(value)
        ? undefined
        : `${name} must be a space-separated list of CSP sources like 'self' https://app.example.com (no ; or ,); unset it to forbid framing (got "${value.slice(0, 100)}").`,
    ),
    default: "'none'",
    doc: "The dashboard's CSP `frame-ancestors`: the sites allowed to embed the portal in a frame (e.g. `https://app.example.com`)",
  }),
  publicUrl: setting<string | undefined>({
    env: "HOOKLINE_PUBLIC_URL",
    kind: text((value, name) =>
      /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(value) && !value.endsWith("/")
        ? undefined
        : `${name} must be an http(s) URL without a trailing slash, query or fragment, e.g. https://hooks.example.com.`,
    ),
    default: undefined,
    docDefault: "`http://<HOST>:<PORT>` as listened on",
    doc: "The base URL clients reach this server at; portal links (`POST /v1/portal-links`) are built on it",
  }),
  portalTitle: setting({
    env: "HOOKLINE_PORTAL_TITLE",
    kind: text((value, name) => (value.length <= 100 ? undefined : `${name} must be at most 100 characters.`)),
    default: "Webhooks",
    doc: "The consumer portal's title (shown to your customers; `GET /v1/me` and the portal session carry it)",
  }),
  portalColor: setting({
    env: "HOOKLINE_PORTAL_COLOR",
    kind: text((value, name) => (/^#[0-9a-fA-F]{6}$/.test(value) ? undefined : `${name} must be a #rrggbb colour, e.g. #4f46e5.`)),
    default: "#4f46e5",
    doc: "The consumer portal's accent colour, `#rrggbb`",
  }),
  catalogWatch: setting({
    env: "HOOKLINE_CATALOG_WATCH",
    kind: boolean,
    default: false,
    doc: "Reload the catalog when its files change (development; `npm start` turns it on)",
  }),
  logLevel: setting<string>({
    env: "HOOKLINE_LOG_LEVEL",
    kind: oneOf(LOG_LEVELS),
    default: "info",
    doc:
      "pino level; secrets, API keys, signatures and URL credentials are never logged, at any level " +
      "(malformed requests are logged by error code only, never their raw bytes)",
  }),
  logFormat: setting<LogFormat>({
    env: "HOOKLINE_LOG_FORMAT",
    kind: oneOf(LOG_FORMATS),
    default: "auto",
    doc: "`json`: one JSON object per line; `pretty`: coloured lines for people (pino-pretty); `auto`: pretty when stdout is a terminal, JSON otherwise",
  }),
  // Settable from code only: tests shorten them to run fast.
  pollIntervalMs: setting({
    kind: integer(1, 60_000),
    default: 1000,
    doc: "Longest idle sleep of the delivery loop between database polls; new events wake it at once",
  }),
  internalRetryMs: setting({
    kind: integer(1, 3_600_000),
    default: 1000,
    doc: "First pause after an internal error (doubles each time, at most 5 min)",
  }),
  responseBodyLimit: setting({ kind: integer(0, 1024 * 1024), default: 8 * 1024, doc: "Stored bytes of each attempt's response body" }),
};

export type Settings = typeof SETTINGS;
