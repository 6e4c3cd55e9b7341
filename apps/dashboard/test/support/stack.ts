/**
 * A real server (SQLite file in a temp dir, the dashboard served from this workspace's dist/, loopback
 * egress allowed) with its logs captured, and a local receiver whose answers each test scripts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { type ConfigInput, createHookline, type Hookline, resolveConfig } from "@hookline/server";

export const API_KEY = "dashboard-test-api-key-0123456789";
export const DASHBOARD_DIR = fileURLToPath(new URL("../../dist/", import.meta.url));

export interface Stack {
  server: Hookline;
  url: string;
  logs: string[];
  api<T = any>(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

export async function startStack(config: ConfigInput = {}): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), "hookline-dashboard-"));
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString("utf8"));
      done();
    },
  });
  const server = await createHookline(
    resolveConfig({
      port: 0,
      host: "127.0.0.1",
      dbPath: join(dir, "hookline.db"),
      apiKey: API_KEY,
      retrySchedule: [150],
      requestTimeoutMs: 2000,
      egressAllow: ["127.0.0.1/32"],
      pollIntervalMs: 50,
      internalRetryMs: 10,
      shutdownTimeoutMs: 2000,
      dashboardDir: DASHBOARD_DIR,
      logLevel: "debug",
      ...config,
    }),
    { logDestination: sink },
  );
  return {
    server,
    url: server.url,
    logs,
    async api(method, path, body, token = API_KEY) {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
    },
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Received {
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export interface Answer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

/** A receiver on loopback: `answer(path, n)` decides the reply to the n-th request (0-based) to a path. */
export async function startReceiver(answer: (path: string, n: number) => Answer = () => ({ status: 200 })) {
  const received: Received[] = [];
  /** Paths a test switched to failing, for `answer` to consult. */
  const failing = new Set<string>();
  const counts = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      const path = request.url ?? "/";
      const n = counts.get(path) ?? 0;
      counts.set(path, n + 1);
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      const reply = answer(path, n);
      response.writeHead(reply.status, { "content-type": "text/plain", ...reply.headers }).end(reply.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    failing,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function waitFor<T>(probe: () => Promise<T | undefined | false | null>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
