/**
 * Processes for the end-to-end tests: the built delivery server (`hookline-server serve
 * --dev-allow-loopback`, SQLite in a temp dir), the built `hookline` CLI, and a receiver made with
 * the generated SDK (`@hookline/receiver`) that records what it verified and handled.
 */

import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, statSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createReceiver, toNodeListener } from "@hookline/receiver";

const require = createRequire(import.meta.url);
const SERVER_BIN = path.join(path.dirname(require.resolve("@hookline/server/package.json")), "bin", "hookline-server.js");
const HOOKLINE_BIN = path.join(path.dirname(require.resolve("@hookline/generator/package.json")), "bin", "hookline.js");
export const REPO_ROOT = path.resolve(path.dirname(require.resolve("@hookline/generator/package.json")), "..");
export const API_KEY = "e2e-api-key-0123456789abcdef";

/** The tests spawn dist/: refuse a missing or stale build of the CLI or the server (turbo's `test` builds first). */
export function assertBuilt(): void {
  for (const [name, bin] of [
    ["@hookline/generator", HOOKLINE_BIN],
    ["@hookline/server", SERVER_BIN],
  ] as const) {
    const root = path.dirname(path.dirname(bin));
    const fix = `run \`npx turbo run build --filter=@hookline/cli-e2e...\` (or npm test) before these tests`;
    let built: number;
    try {
      built = statSync(path.join(root, "dist", "cli.js")).mtimeMs;
    } catch {
      throw new Error(`${name} has no dist/: ${fix}.`);
    }
    if (newest(path.join(root, "src")) > built) throw new Error(`${name}'s dist/ is older than its src/: ${fix}.`);
  }
}

function newest(dir: string): number {
  return Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((e) =>
      e.isDirectory() ? newest(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).mtimeMs,
    ),
  );
}

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), "hookline-cli-e2e-"));
}

export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * The server on a SQLite file in `dir` (the same dir again = a restart on the same database), run as
 * `npm start` runs it (--dev-allow-loopback) unless `loopback: false`; `env` adds variables (e.g.
 * HOOKLINE_CATALOG_DIR).
 */
export async function startServer(
  dir: string,
  options: { port?: number; loopback?: boolean; env?: Record<string, string> } = {},
): Promise<ServerProcess> {
  const { port = 0, loopback = true } = options;
  const child = spawn(process.execPath, [SERVER_BIN, "serve", ...(loopback ? ["--dev-allow-loopback"] : [])], {
    env: {
      PATH: process.env.PATH ?? "",
      PORT: String(port),
      HOST: "127.0.0.1",
      HOOKLINE_DB: path.join(dir, "hookline.db"),
      HOOKLINE_API_KEY: API_KEY,
      HOOKLINE_RETRY_SCHEDULE: "50ms,50ms",
      HOOKLINE_LOG_LEVEL: "warn",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 15 s:\n${output}`)), 15_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    void exited.then(() => reject(new Error(`server exited before listening:\n${output}`)));
  });
  return {
    url,
    child,
    async kill(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** One `hookline` run from the repository root (so it finds ./catalog), against `server`. */
export function hookline(server: { url: string }, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [HOOKLINE_BIN, ...args],
      { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? "", HOOKLINE_URL: server.url, HOOKLINE_API_KEY: API_KEY, NO_COLOR: "1" } },
      (error, out, err) => resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, out, err }),
    );
  });
}

/** One `hookline` run in `cwd` (a user's project), with `env` added to PATH. */
export function hooklineIn(cwd: string, env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [HOOKLINE_BIN, ...args],
      { cwd, env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...env } },
      (error, out, err) => resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, out, err }),
    );
  });
}

/** `hookline ... --json` parsed; fails the test with the CLI's stderr otherwise. */
export async function hooklineJson<T = any>(server: { url: string }, ...args: string[]): Promise<T> {
  const result = await hookline(server, ...args, "--json");
  if (result.code !== 0) throw new Error(`hookline ${args.join(" ")} exited ${result.code}: ${result.err}`);
  return JSON.parse(result.out) as T;
}

export interface ListenProcess {
  readonly child: ChildProcess;
  readonly endpointId: string;
  readonly secret: string;
  /** Delivery lines printed so far (--json). */
  lines(): Record<string, unknown>[];
  stderr(): string;
  readonly exited: Promise<number | string>;
}

/** `hookline listen --json ...`; resolves once it printed its ready line. */
export async function startListen(server: { url: string }, ...args: string[]): Promise<ListenProcess> {
  const child = spawn(process.execPath, [HOOKLINE_BIN, "listen", "--json", ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", HOOKLINE_URL: server.url, HOOKLINE_API_KEY: API_KEY, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr?.on("data", (c: Buffer) => {
    err += c.toString("utf8");
  });
  const exited = new Promise<number | string>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown")));
  const ready = await new Promise<{ endpointId: string; secret: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`listen was not ready in 15 s:\n${out}\n${err}`)), 15_000);
    child.stdout?.on("data", (c: Buffer) => {
      out += c.toString("utf8");
      const first = out.split("\n")[0];
      if (out.includes("\n") && first !== undefined) {
        clearTimeout(timer);
        resolve(JSON.parse(first) as { endpointId: string; secret: string });
      }
    });
    void exited.then((code) => reject(new Error(`listen exited ${code} before it was ready:\n${err}`)));
  });
  return {
    child,
    endpointId: ready.endpointId,
    secret: ready.secret,
    lines: () =>
      out
        .split("\n")
        .slice(1)
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    stderr: () => err,
    exited,
  };
}

export interface HandledEvent {
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
}

/**
 * A receiver made with the generated SDK on 127.0.0.1. The secret can be set after start (listen
 * prints it once it runs); until then, or with `failWith`, it answers that status.
 */
export async function startReceiver(): Promise<{
  url: string;
  handled: HandledEvent[];
  useSecret(secret: string): void;
  failWith(status: number | undefined): void;
  close(): Promise<void>;
}> {
  const handled: HandledEvent[] = [];
  let listener: http.RequestListener | undefined;
  let failure: number | undefined;
  const server = http.createServer((request, response) => {
    if (failure !== undefined || listener === undefined) {
      response.writeHead(failure ?? 503, { "content-type": "text/plain" }).end("receiver says no");
      return;
    }
    listener(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    handled,
    useSecret(secret) {
      const receiver = createReceiver({ secret });
      for (const type of receiver.events)
        receiver.on(type, (event, { id }) => {
          handled.push({ id, type: event.type, data: event.data });
        });
      listener = toNodeListener(receiver);
    },
    failWith(status) {
      failure = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Polls `check` until it returns a value (not undefined/false), or fails after `ms`. */
export async function eventually<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  ms = 15_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
