/**
 * The root README's "Evolve an event: add a version", followed step by step as a user would, on a
 * copy of the repository's catalog in a git repository of its own: a running server (catalog
 * directory = the compiled generated SDK) with an endpoint on order.shipped v2; then a v3 file and its
 * converter, `hookline generate`, the SDK compiled, `hookline check --against HEAD` (adding a
 * version breaks no one: exit 0), `POST /v1/catalog/reload`, the old endpoint still on v2 and sent v2
 * for a v3 event, and v3 once its pin is PATCHed.
 */

import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_KEY, assertBuilt, eventually, hooklineIn, REPO_ROOT, type ServerProcess, startServer, tempDir } from "./support.js";

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const tsc = path.join(path.dirname(require.resolve("typescript/package.json")), "bin", "tsc");
// Inside the workspace (git-ignored .tmp/): the generated SDK resolves @hookline/core from here.
const scratch = path.join(path.dirname(path.dirname(fileURLToPath(import.meta.url))), ".tmp");
const TYPE = "order.shipped";
const EVENTS = "catalog/events/orders";

const CONVERTER = `// order.shipped v3 → v2 drops the carrier. No up: a v2 payload does not say which carrier ships it.
import type { OrderShippedV2, OrderShippedV3 } from "../../types.js";

export function down(payload: OrderShippedV3): OrderShippedV2 {
  const { carrier: _carrier, ...v2 } = payload;
  return v2;
}
`;

interface Received {
  version: number;
  data: Record<string, unknown>;
}

describe("evolve an event: add a version (root README)", () => {
  let work: string;
  let server: ServerProcess;
  let receiver: http.Server;
  let receiverUrl: string;
  const received: Received[] = [];

  const api = async (method: string, route: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${server.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${API_KEY}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text === "" ? undefined : JSON.parse(text) };
  };
  /** `npm run generate` (hookline generate with the project's configuration), then the SDK's build (tsc). */
  const generateAndBuild = async (): Promise<void> => {
    const generated = await hooklineIn(work, {}, "generate");
    expect(generated.code, generated.err).toBe(0);
    await run(process.execPath, [tsc, "-p", path.join(work, "tsconfig.json")], { cwd: work });
  };
  const git = (...args: string[]) => run("git", args, { cwd: work });

  beforeAll(async () => {
    assertBuilt();
    await mkdir(scratch, { recursive: true });
    work = await mkdtemp(path.join(scratch, "add-version-"));
    await cp(path.join(REPO_ROOT, "catalog"), path.join(work, "catalog"), {
      recursive: true,
      filter: (src) => !src.includes("node_modules") && !src.includes(`${path.sep}dist`),
    });
    await writeFile(
      path.join(work, "hookline.config.json"),
      JSON.stringify({ catalog: "./catalog", outputs: [{ target: "sender", outDir: "src/generated" }] }),
    );
    await writeFile(path.join(work, "package.json"), JSON.stringify({ name: "shop-webhooks", type: "module", private: true }));
    await writeFile(
      path.join(work, "tsconfig.json"),
      JSON.stringify({
        extends: path.join(REPO_ROOT, "tsconfig.base.json"),
        compilerOptions: { rootDir: "src", outDir: "dist", declaration: false, declarationMap: false, sourceMap: false },
        include: ["src"],
      }),
    );
    await writeFile(path.join(work, ".gitignore"), "src/generated/\ndist/\ncatalog/types.ts\n");
    await git("init", "-q", "-b", "main");
    await git("add", "-A");
    await git("-c", "user.name=Shop", "-c", "user.email=shop@example.test", "commit", "-qm", "catalog as released");

    // The project as deployed: its SDK built, the server loading the compiled catalog.
    await generateAndBuild();
    server = await startServer(tempDir(), { env: { HOOKLINE_CATALOG_DIR: path.join(work, "dist", "generated") } });
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push(JSON.parse(Buffer.concat(chunks).toString("utf8")) as Received);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  }, 120_000);
  afterAll(async () => {
    await server?.kill("SIGKILL");
    receiver?.close();
    receiver?.closeAllConnections();
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it("v3 file + converter, generate, check, reload: the old endpoint stays on v2 until its pin moves to v3", async () => {
    const endpoint = await api("POST", "/v1/endpoints", { url: receiverUrl, eventTypes: [TYPE] });
    expect(endpoint.status).toBe(201);
    expect(endpoint.body.pins[TYPE]).toBe(2);

    // 1. The new version file (v2 gets a versioned title: titles are unique).
    const v2File = path.join(work, EVENTS, "order.shipped.v2.json");
    const v2 = JSON.parse(await readFile(v2File, "utf8")) as {
      $id: string;
      required: string[];
      properties: Record<string, unknown>;
      examples: Record<string, unknown>[];
    };
    const v3 = {
      ...v2,
      $id: v2.$id.replace(".v2.json", ".v3.json"),
      "x-hookline": { type: TYPE, version: 3 },
      required: [...v2.required, "carrier"],
      properties: { ...v2.properties, carrier: { description: "Who carries the shipment.", enum: ["dhl", "ups", "postnl"] } },
      examples: v2.examples.map((example) => ({ ...example, carrier: "dhl" })),
    };
    await writeFile(path.join(work, EVENTS, "order.shipped.v3.json"), JSON.stringify(v3, null, 2));
    await writeFile(v2File, JSON.stringify({ ...v2, title: "OrderShippedV2" }, null, 2));
    // 2. The converter.
    await writeFile(path.join(work, EVENTS, "order.shipped.v3.convert.ts"), CONVERTER);
    // 3. npm run generate (and the build that compiles the SDK).
    await generateAndBuild();
    expect(await readFile(path.join(work, "dist", "generated", "converters", "order.shipped.v3.convert.js"), "utf8")).toContain("down");

    // 4. hookline check --against main: a new version breaks no pinned endpoint.
    const check = await hooklineIn(work, { HOOKLINE_API_KEY: API_KEY }, "check", "--against", "main", "--server", server.url);
    expect({ code: check.code, err: check.err }, check.out).toEqual({ code: 0, err: "" });
    expect(check.out).toContain("version-added  backward:compatible forward:compatible full:compatible  order.shipped v3 added");
    expect(check.out).toContain("0 breaking under forward");
    expect(check.out).not.toContain("BREAKING");

    // 5. The server reloads (npm start would do it by itself; here as in production).
    const reload = await api("POST", "/v1/catalog/reload");
    expect(reload.status, JSON.stringify(reload.body)).toBe(200);
    expect(reload.body).toMatchObject({ applied: true, added: [{ type: TYPE, version: 3 }], removed: [] });
    expect((await api("GET", `/v1/endpoints/${endpoint.body.id}`)).body.pins[TYPE]).toBe(2);

    const example = v3.examples[0] as Record<string, unknown>;
    const first = await api("POST", "/v1/events", { type: TYPE, payload: example });
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    expect(first.body.version).toBe(3);
    const asV2 = await eventually(() => received[0], "the v2 delivery");
    const { carrier: _carrier, ...withoutCarrier } = example;
    expect(asV2).toMatchObject({ type: TYPE, version: 2, data: withoutCarrier });
    expect(asV2.data).not.toHaveProperty("carrier");

    // 6. The pin change.
    const patched = await api("PATCH", `/v1/endpoints/${endpoint.body.id}`, { pins: { [TYPE]: 3 } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.pins[TYPE]).toBe(3);
    await api("POST", "/v1/events", { type: TYPE, payload: example });
    const asV3 = await eventually(() => received[1], "the v3 delivery");
    expect(asV3).toMatchObject({ type: TYPE, version: 3, data: example });
  });
});
