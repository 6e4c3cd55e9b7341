/**
 * Test harness: a real server (HTTP on 127.0.0.1:0, SQLite file in a temp dir) with test-speed
 * settings (millisecond retry schedule, short poll), plus a small API client and helpers.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { catalog } from "@hookline/sender";
import { createHookline, type Hookline, type HooklineDeps } from "../../src/app.js";
import { resolveConfig, type ConfigInput } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";

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
  const logs: string[] = [];
  const config = resolveConfig({
    port: 0,
    host: "127.0.0.1",
    dbPath,
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
  const call = async (method: string, path: string, body: string | undefined, headers: Record<string, string | null> = {}): Promise<ApiResponse> => {
    const merged: Record<string, string> = {};
    const all: Record<string, string | null> = {
      authorization: `Bearer ${API_KEY}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    };
    for (const [k, v] of Object.entries(all)) if (v !== null) merged[k] = v;
    const res = await fetch(`${app.url}${path}`, { method, headers: merged, ...(body === undefined ? {} : { body }) });
    const text = await res.text();
    let parsed: unknown = undefined;
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
    url: app.url,
    logs,
    api: (method, path, body, headers) => call(method, path, body === undefined ? undefined : JSON.stringify(body), headers),
    raw: (method, path, body, headers) => call(method, path, body, headers),
    async close() {
      await app.close();
      if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A valid payload for `type` (the catalog's first example), deep-copied. */
export function example(type: string): Record<string, unknown> {
  const info = (catalog.eventTypes as Record<string, { examples: readonly unknown[] } | undefined>)[type];
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
