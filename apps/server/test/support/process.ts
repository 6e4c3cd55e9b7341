/** Runs the built server (`node bin/hookline-server.js`) as a child process, as an operator would. */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../bin/hookline-server.js", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The child runs dist/: refuse to test a missing or stale build (turbo's `test` builds first; by hand, `npm run build`). */
export function assertBuilt(): void {
  let built: number;
  try {
    built = statSync(join(ROOT, "dist", "cli.js")).mtimeMs;
  } catch {
    throw new Error("apps/server/dist is missing: run `npm run build` in apps/server (or `npx turbo run test`) before the process tests.");
  }
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { withFileTypes: true }).map((e) =>
        e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
      ),
    );
  if (newest(join(ROOT, "src")) > built) {
    throw new Error("apps/server/dist is older than src/: run `npm run build` in apps/server before the process tests.");
  }
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** stdout and stderr interleaved as they arrived. */
  output: () => string;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>;
}

export async function spawnServer(env: Record<string, string>, args: string[] = ["serve"]): Promise<ServerProcess> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env["PATH"] ?? "", PORT: "0", HOST: "127.0.0.1", HOOKLINE_LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
    stdout += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
    stderr += chunk.toString("utf8");
  });
  const exited = new Promise<number | string>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown")));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 10 s:\n${out}`)), 10_000);
    const check = (): void => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    // The banner is on stderr.
    child.stderr?.on("data", check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${out}`));
    });
  });
  return { child, url, output: () => out, stdout: () => stdout, stderr: () => stderr, exited };
}
