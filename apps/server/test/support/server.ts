/**
 * Test harness: a real server (HTTP on 127.0.0.1:0) with test-speed settings (millisecond retry
 * schedule, short poll), plus a small API client and helpers. Storage is a SQLite file in a temp dir,
 * or — in the "postgres" vitest project — a fresh schema in the test PostgreSQL database, so the
 * same behavioural suite runs on both backends.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { schemas } from "@hookline/sender/schemas";
import { createHookline, type Hookline, type HooklineDeps } from "../../src/app.js";
import { resolveConfig, type ConfigInput } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { PgStore } from "../../src/store/postgres/pg-store.js";
import type { Store } from "../../src/store/store.js";
import Database from "better-sqlite3";
import { dropSchema, schemaName, sql, testBackend, testDatabaseUrl } from "./postgres.js";

export const API_KEY = "test-api-key-0123456789";

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export interface TestServer {
  app: Hookline;
  dir: string;
  dbPath: string;
  backend: "sqlite" | "postgres";
  /** The PostgreSQL schema (postgres backend only). */
  schema: string | undefined;
  /** Reads the database directly, on a separate connection ($1-style parameters on both backends). */
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<R[]>;
  url: string;
  /** JSON API call with the test API key (pass `headers.authorization` to override, `null` to omit). */
  api<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string | null>): Promise<ApiResponse<T>>;
  /** Raw body (string) POST, for byte-exact requests. */
  raw<T = any>(method: string, path: string, body: string, headers?: Record<string, string | null>): Promise<ApiResponse<T>>;
  /** Captured log lines (when `captureLogs` was set). */
  logs: string[];
  close(): Promise<void>;
}

export interface TestServerOptions {
  config?: ConfigInput;
  deps?: HooklineDeps;
  /** Capture logs at this level into `logs`. */
  captureLogs?: string;
  /** Reuse a directory (restart on the same database). */
  dir?: string;
}

export async function startServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "hookline-test-"));
  const dbPath = join(dir, "hookline.db");
  const backend = testBackend();
  const schema = backend === "postgres" ? schemaName(dir) : undefined;
  const logs: string[] = [];
  const config = resolveConfig({
    port: 0,
    host: "127.0.0.1",
    dbPath,
    ...(schema === undefined ? {} : { databaseUrl: testDatabaseUrl(), databaseSchema: schema, dbPoolSize: 4 }),
    apiKey: API_KEY,
    retrySchedule: [20, 40, 80],
    requestTimeoutMs: 2000,
    leaseMs: 8000,
    egressAllow: ["127.0.0.1/32"],
    pollIntervalMs: 50,
    internalRetryMs: 10,
    shutdownTimeoutMs: 2000,
    logLevel: "silent",
    ...options.config,
  });
  const deps: HooklineDeps = { ...options.deps };
  if (options.captureLogs !== undefined) {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logs.push(chunk.toString("utf8"));
        done();
      },
    });
    Object.assign(deps, { logger: createLogger(options.captureLogs, sink) });
  }
  const app = await createHookline(config, deps);
  const call = async (
    method: string,
    path: string,
    body: string | undefined,
    headers: Record<string, string | null> = {},
  ): Promise<ApiResponse> => {
    const merged: Record<string, string> = {};
    const all: Record<string, string | null> = {
      authorization: `Bearer ${API_KEY}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    };
    for (const [k, v] of Object.entries(all)) if (v !== null) merged[k] = v;
    const res = await fetch(`${app.url}${path}`, { method, headers: merged, ...(body === undefined ? {} : { body }) });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, text, headers: res.headers };
  };
  return {
    app,
    dir,
    dbPath,
    backend,
    schema,
    query: (text, values = []) => queryDatabase(schema, dbPath, text, values),
    url: app.url,
    logs,
    api: (method, path, body, headers) => call(method, path, body === undefined ? undefined : JSON.stringify(body), headers),
    raw: (method, path, body, headers) => call(method, path, body, headers),
    async close() {
      await app.close();
      if (options.dir === undefined) {
        rmSync(dir, { recursive: true, force: true });
        if (schema !== undefined) await dropSchema(schema);
      }
    },
  };
}

/** A valid payload for `type` (the catalog's first example), deep-copied. */
export function example(type: string): Record<string, unknown> {
  const info = (schemas as unknown as Record<string, { examples: readonly unknown[] } | undefined>)[type];
  const payload = info?.examples[0];
  if (payload === undefined) throw new Error(`no example for ${type}`);
  return structuredClone(payload) as Record<string, unknown>;
}

export async function waitUntil<T>(probe: () => T | Promise<T>, timeoutMs = 5000, what = "condition"): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (last !== undefined && last !== null && last !== false) return last as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Header value as a string (node:http lower-cases names). */
export function header(req: { headers: Record<string, string | string[] | undefined> }, name: string): string {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(", ") : (value ?? "");
}

/** The store a test server in `dir` would open, for tests that wrap or drive a store directly. */
export function storeFor(dir: string, options: { masterKey?: Buffer } = {}): Store {
  if (testBackend() === "postgres") {
    return new PgStore({ connectionString: testDatabaseUrl(), schema: schemaName(dir), poolSize: 4, masterKey: options.masterKey });
  }
  return new SqliteStore({ path: join(dir, "hookline.db"), masterKey: options.masterKey });
}

/** Drops what `storeFor(dir)`/`startServer({ dir })` created (the directory, and the schema on PostgreSQL). */
export async function removeStorage(dir: string): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  if (testBackend() === "postgres") await dropSchema(schemaName(dir));
}

async function queryDatabase<R>(schema: string | undefined, dbPath: string, text: string, values: unknown[]): Promise<R[]> {
  if (schema !== undefined) return (await sql(text, values, schema)) as R[];
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare(text.replace(/\$\d+/g, "?")).all(...values) as R[];
  } finally {
    db.close();
  }
}
