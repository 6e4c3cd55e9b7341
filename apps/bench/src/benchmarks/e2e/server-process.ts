/**
 * The delivery server as a child process, started from its built bin exactly as an operator would:
 * configuration by environment, SQLite database in a temporary folder (or PostgreSQL through
 * `env`), loopback allowed for egress.
 */

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { runCommand } from "../../harness/command.js";
import type { BenchContext } from "../types.js";

export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  readonly apiKey: string;
  /** The last lines the server wrote to stderr (for error messages). */
  stderrTail(): string;
  /** SIGTERM, then wait for exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

export const BENCH_API_KEY = "bench-api-key-0123456789abcdef";

/**
 * With HOOKLINE_BENCH_SERVER_PROFILE=<dir>, every server the benchmark starts writes a V8 CPU
 * profile there on exit (read it with `node dist/profile/summarize.js <file> 30 apps/server`).
 */
export function profileArgs(name: string): string[] {
  const dir = process.env["HOOKLINE_BENCH_SERVER_PROFILE"];
  return dir === undefined || dir === "" ? [] : ["--cpu-prof", `--cpu-prof-dir=${path.resolve(dir)}`, `--cpu-prof-name=${name}.cpuprofile`];
}

/** Path of `hookline-server`'s bin, resolved through the package (the workspace link). */
export function resolveServerBin(): string {
  const require = createRequire(import.meta.url);
  let manifestPath: string;
  try {
    manifestPath = require.resolve("@hookline/server/package.json");
  } catch {
    throw new Error("@hookline/server is not installed in this workspace; run `npm ci` at the repository root.");
  }
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { bin?: Record<string, string> };
  const bin = manifest.bin?.["hookline-server"];
  if (bin === undefined) throw new Error(`${manifestPath} declares no "hookline-server" bin.`);
  const dir = path.dirname(manifestPath);
  if (!existsSync(path.join(dir, "dist", "cli.js"))) {
    throw new Error("The delivery server is not built: run `npx turbo run build --filter=@hookline/server` first.");
  }
  return path.join(dir, bin);
}

/**
 * Builds the server (a Turbo cache hit when nothing changed), so the benchmark never measures a
 * stale dist/. The bench package does not depend on @hookline/server, so the root build skips it.
 */
export async function buildServer(ctx: BenchContext): Promise<void> {
  const args = ["turbo", "run", "build", "--filter=@hookline/server", "--output-logs=errors-only"];
  const result = await runCommand("npx", args, { cwd: ctx.repoRoot });
  if (result.code !== 0) throw new Error(`\`npx ${args.join(" ")}\` failed (exit ${result.code}):\n${result.output.slice(-2000)}`);
  ctx.log(`e2e: server build up to date (${Math.round(result.elapsedMs)} ms)`);
}

export async function startDeliveryServer(options: {
  readonly dbPath: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly execArgv?: readonly string[];
  readonly startTimeoutMs?: number;
}): Promise<ServerProcess> {
  const bin = resolveServerBin();
  const child: ChildProcess = spawn(process.execPath, [...(options.execArgv ?? []), bin, "serve"], {
    env: {
      ...process.env,
      PORT: "0",
      HOST: "127.0.0.1",
      HOOKLINE_DB: options.dbPath,
      // An inherited DATABASE_URL would silently move the SQLite runs to PostgreSQL; variants set their own.
      DATABASE_URL: "",
      HOOKLINE_DB_SCHEMA: "",
      HOOKLINE_API_KEY: BENCH_API_KEY,
      HOOKLINE_EGRESS_ALLOW: "127.0.0.1/32",
      HOOKLINE_LOG_LEVEL: "warn",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  let banner = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
    banner += banner.length < 100_000 ? chunk : "";
  });
  // Log lines (stdout) are not needed, but the pipe must be drained or the server would block on it.
  child.stdout?.resume();
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The delivery server did not report its URL within ${options.startTimeoutMs ?? 15_000} ms.\n${stderr}`)),
      options.startTimeoutMs ?? 15_000,
    );
    // The banner ("... listening on <url>") is on stderr.
    child.stderr?.on("data", () => {
      const match = /listening on (http:\/\/\S+)/.exec(banner);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`The delivery server exited with code ${code} before listening.\n${stderr}`));
    });
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error("The delivery server has no pid.");
  return {
    url,
    pid,
    apiKey: BENCH_API_KEY,
    stderrTail: () => stderr,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
