/**
 * A real npm registry for the install test: verdaccio in this process on a free loopback port, its
 * storage in a temp dir, no uplinks (nothing is fetched from anywhere else), one user whose token
 * publishes. `npm` runs as a child process with a temp cache and user config, so neither the
 * developer's ~/.npmrc nor their cache is read or written.
 */

import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { runServer } from "verdaccio";

export interface Registry {
  readonly url: string;
  /** Environment for child processes: npm pointed at this registry only, nothing inherited from an outer npm. */
  readonly env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export async function startRegistry(): Promise<Registry> {
  const home = await mkdtemp(path.join(os.tmpdir(), "hookline-registry-"));
  const server = (await runServer({
    self_path: home,
    storage: path.join(home, "storage"),
    auth: { htpasswd: { file: path.join(home, "htpasswd"), max_users: 1 } },
    uplinks: {},
    packages: { "**": { access: "$all", publish: "$authenticated" } },
    log: { type: "stdout", format: "pretty", level: "fatal" },
    web: { enable: false },
  } as never)) as Server;
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const login = await fetch(new URL("-/user/org.couchdb.user:ci", url), {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "ci", password: "ci-password-not-secret" }),
  });
  if (login.status !== 201) throw new Error(`verdaccio refused to create the test user: ${login.status} ${await login.text()}`);
  const { token } = (await login.json()) as { token: string };
  const userconfig = path.join(home, "npmrc");
  await writeFile(userconfig, `registry=${url}\n//${new URL(url).host}/:_authToken=${token}\n`);
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  Object.assign(env, {
    npm_config_registry: url,
    npm_config_userconfig: userconfig,
    npm_config_globalconfig: path.join(home, "global-npmrc"),
    npm_config_cache: path.join(home, "cache"),
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
    npm_config_loglevel: "warn",
  });
  return {
    url,
    env,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(home, { recursive: true, force: true });
    },
  };
}

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion without throwing on a non-zero exit (the event loop stays free for the registry). */
export function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { cwd, env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== "number") reject(error);
      else resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
    });
  });
}

/** Like `run`, but a non-zero exit fails with everything the command printed. */
export async function runOk(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const result = await run(command, args, cwd, env);
  if (result.code !== 0)
    throw new Error(`${command} ${args.join(" ")} (in ${cwd}) exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/**
 * Starts a long-running program and resolves with its first stdout line parsed as JSON, plus a way
 * to wait for the next line and to stop it.
 */
export async function startProgram(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ first: unknown; next: () => Promise<unknown>; stop: () => void }> {
  const child = spawn(process.execPath, [...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  let buffered = "";
  child.stdout.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    for (let at = buffered.indexOf("\n"); at !== -1; at = buffered.indexOf("\n")) {
      const line = buffered.slice(0, at);
      buffered = buffered.slice(at + 1);
      const waiter = waiting.shift();
      if (waiter === undefined) lines.push(line);
      else waiter(line);
    }
  });
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) => reject(new Error(`node ${args.join(" ")} exited ${code} before printing:\n${stderr}`))),
  );
  const next = () =>
    Promise.race([
      new Promise<unknown>((resolve) => {
        const line = lines.shift();
        if (line !== undefined) resolve(JSON.parse(line));
        else waiting.push((l) => resolve(JSON.parse(l)));
      }),
      exited,
    ]);
  exited.catch(() => {});
  return { first: await next(), next, stop: () => child.kill() };
}
