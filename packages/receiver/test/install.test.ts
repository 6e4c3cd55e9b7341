/**
 * How users get the SDKs: `npm pack` the runtime, sender and receiver, install the tarballs into a
 * fresh project outside the monorepo (offline: they need nothing from a registry), compile a typed
 * send → receive program against them with tsc, and run it over loopback.
 *
 * The compiler and Node's types come from this workspace (typescript's bin, @types/node as a type
 * root) rather than being installed into the project: `npm install --offline typescript` would need
 * the registry's metadata in npm's cache, which a clean CI machine does not have after `npm ci`.
 */

import { execFile } from "node:child_process";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const exec = promisify(execFile);
const require = createRequire(import.meta.url);
const packagesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** Child npm processes must not inherit the workspace settings of the `npm test` that runs us. */
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith("npm_")));

/** Every third-party package the given packages need at run time (dependencies, transitively). */
async function dependencyClosure(roots: readonly string[]): Promise<string[]> {
  const seen = new Set<string>();
  const visit = async (dir: string): Promise<void> => {
    const manifest = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    for (const name of Object.keys(manifest.dependencies ?? {})) {
      if (name.startsWith("@hookline/") || seen.has(name)) continue;
      seen.add(name);
      await visit(packageDir(name));
    }
  };
  for (const root of roots) await visit(root);
  return [...seen].sort();
}

/** The folder of an installed package of this workspace. */
function packageDir(pkg: string): string {
  return path.dirname(require.resolve(`${pkg}/package.json`));
}

const app = `
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createSender, generateSecret, type OrderCreated } from "@hookline/sender";
import { createReceiver, toNodeListener, type WebhookEvent } from "@hookline/receiver";
import { schemas } from "@hookline/sender/schemas";

const secret = generateSecret();
const seen: string[] = [];
const receiver = createReceiver({
  secret,
  events: ["order.created", "user.logged_in"],
  exhaustive: true,
  handlers: {
    "order.created": (event) => { seen.push(event.type + ":" + event.data.orderId); },
    "user.logged_in": (event) => { seen.push(event.type); },
  },
});
const server = createServer(toNodeListener(receiver));
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const url = "http://127.0.0.1:" + (server.address() as AddressInfo).port + "/webhooks";

const sender = createSender({ secret });
const order = schemas["order.created"].examples[0] as OrderCreated;
const result = await sender.send(url, "order.created", order);
const login = await sender.send(url, "user.logged_in", schemas["user.logged_in"].examples[0] as never);
function neverCalled(event: WebhookEvent): void {
  // @ts-expect-error "order.creatd" is not an event type
  void sender.send(url, "order.creatd", order);
  if (event.type === "order.created") console.log(event.data.orderId);
}
void neverCalled;
server.close();
console.log(JSON.stringify({ status: result.status, login: login.status, seen }));
`;

describe("installing the packed SDKs into a fresh project", () => {
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), "hookline-install-"));
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it("installs offline, compiles a typed send → receive program, and runs it", async () => {
    for (const name of ["core", "sender", "receiver"]) {
      await exec(npm, ["pack", "--silent", "--pack-destination", work], { cwd: path.join(packagesDir, name), env: cleanEnv });
    }
    const tarballs = (await readdir(work)).filter((f) => f.endsWith(".tgz")).sort();
    const versions = await Promise.all(
      ["core", "receiver", "sender"].map(async (name) => {
        const manifest = JSON.parse(await readFile(path.join(packagesDir, name, "package.json"), "utf8")) as { version: string };
        return `hookline-${name}-${manifest.version}.tgz`;
      }),
    );
    expect(tarballs).toEqual(versions);
    // No third-party run-time dependency: the generated validators carry the few helpers they use.
    expect(await dependencyClosure(["core", "sender", "receiver"].map((name) => path.join(packagesDir, name)))).toEqual([]);

    await writeFile(path.join(work, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    await exec(
      npm,
      ["install", "--offline", "--no-audit", "--no-fund", ...(await readdir(work)).filter((f) => f.endsWith(".tgz")).map((t) => `./${t}`)],
      {
        cwd: work,
        env: cleanEnv,
      },
    );
    await writeFile(path.join(work, "app.ts"), app);
    await writeFile(
      path.join(work, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          module: "NodeNext",
          target: "ES2022",
          outDir: "dist",
          types: ["node"],
          typeRoots: [path.dirname(packageDir("@types/node"))],
          skipLibCheck: false,
        },
        files: ["app.ts"],
      }),
    );
    await exec(process.execPath, [path.join(packageDir("typescript"), "bin", "tsc"), "-p", "."], { cwd: work, env: cleanEnv });
    const { stdout } = await exec(process.execPath, [path.join(work, "dist", "app.js")], { cwd: work, env: cleanEnv });
    expect(JSON.parse(stdout.trim().split("\n").at(-1) ?? "")).toEqual({
      status: 200,
      login: 200,
      seen: ["order.created:ord_3kT9vQ2mNa", "user.logged_in"],
    });
  }, 180_000);
});
