/**
 * `hookline trigger --all` on a catalog of fuzzed schemas, against a real server that loaded that
 * catalog (HOOKLINE_CATALOG_DIR): the catalog is written from the generator's fuzzed schemas, checked
 * with `hookline validate`, turned into a sender SDK by the generator library and compiled with tsc
 * (which also type-checks the generated code of the fuzzed shapes); every type must be accepted
 * and delivered, signed, to a plain loopback receiver.
 */

import { execFile } from "node:child_process";
import { createHmac, timingSafeEqual } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { generate } from "@hookline/generator";
import { generateSecret } from "@hookline/sender";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  API_KEY,
  assertBuilt,
  eventually,
  hookline,
  hooklineJson,
  REPO_ROOT,
  type ServerProcess,
  startServer,
  tempDir,
} from "./support.js";

beforeAll(assertBuilt);

const require = createRequire(import.meta.url);
const SEED = 15;
const TYPES = 8;

// Shared with the generator's property test of generated payloads; imported by path, since it is a
// test module of another workspace (not part of its package).
const FUZZED_CATALOG = pathToFileURL(path.join(REPO_ROOT, "generator", "test", "support", "fuzzed-catalog.ts")).href;
type WriteFuzzedCatalog = (dir: string, options: { seed: number; count: number }) => Promise<string[]>;

let work: string;
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

interface Received {
  readonly id: string;
  readonly body: { type: string; version?: number; data: unknown };
}

/** A plain HTTP receiver that checks the Standard Webhooks signature itself (HMAC-SHA256 of id.timestamp.body). */
async function signedReceiver(secret: string): Promise<{ url: string; received: Received[]; rejected: string[] }> {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const received: Received[] = [];
  const rejected: string[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const id = String(request.headers["webhook-id"]);
      const expected = createHmac("sha256", key)
        .update(`${id}.${String(request.headers["webhook-timestamp"])}.${body}`)
        .digest();
      const signed = String(request.headers["webhook-signature"] ?? "")
        .split(" ")
        .some((entry) => {
          const given = Buffer.from(entry.replace(/^v1,/, ""), "base64");
          return entry.startsWith("v1,") && given.length === expected.length && timingSafeEqual(given, expected);
        });
      if (!signed) {
        rejected.push(id);
        response.writeHead(401).end("bad signature");
        return;
      }
      received.push({ id, body: JSON.parse(body) as Received["body"] });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`, received, rejected };
}

/** tsc of the repository on the generated SDK: ESM .js beside nothing else, as the server loads it. */
function compile(project: string): Promise<void> {
  const tsc = path.join(path.dirname(require.resolve("typescript/package.json")), "bin", "tsc");
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [tsc, "-p", project], (error, out, err) =>
      error === null ? resolve() : reject(new Error(`tsc failed on the generated SDK:\n${out}${err}`)),
    ),
  );
}

describe("hookline trigger --all on a fuzzed catalog", () => {
  it("every fuzzed type is accepted by a server running that catalog and delivered, signed", { timeout: 120_000 }, async () => {
    // Inside the repository (.tmp/ is ignored by git) so the generated code resolves @hookline/core.
    mkdirSync(path.join(REPO_ROOT, "apps", "cli-e2e", ".tmp"), { recursive: true });
    work = mkdtempSync(path.join(REPO_ROOT, "apps", "cli-e2e", ".tmp", "fuzzed-"));
    const catalogDir = path.join(work, "catalog");
    const { writeFuzzedCatalog } = (await import(FUZZED_CATALOG)) as { writeFuzzedCatalog: WriteFuzzedCatalog };
    const types = await writeFuzzedCatalog(catalogDir, { seed: SEED, count: TYPES });
    expect(types).toHaveLength(TYPES);

    const validated = await hookline({ url: "http://127.0.0.1:9" }, "validate", "--catalog", catalogDir);
    expect(validated.code, validated.err).toBe(0);

    const generatedDir = path.join(work, "generated");
    await generate({
      catalog: catalogDir,
      catalogDir,
      baseDir: work,
      outputs: [{ target: "sender", outDir: generatedDir, runtime: "@hookline/core" }],
    });
    const relativeBase = path.relative(work, path.join(REPO_ROOT, "tsconfig.base.json"));
    writeFileSync(
      path.join(work, "tsconfig.json"),
      JSON.stringify({
        extends: relativeBase.split(path.sep).join("/"),
        compilerOptions: { rootDir: "generated", outDir: "dist", declaration: false, declarationMap: false, sourceMap: false },
        include: ["generated"],
      }),
    );
    await compile(path.join(work, "tsconfig.json"));

    const server: ServerProcess = await startServer(tempDir(), { env: { HOOKLINE_CATALOG_DIR: path.join(work, "dist") } });
    cleanups.push(() => server.kill("SIGKILL"));
    const served = await (await fetch(`${server.url}/v1/event-types`, { headers: { authorization: `Bearer ${API_KEY}` } })).text();
    for (const type of types) expect(served).toContain(type);

    const secret = generateSecret();
    const receiver = await signedReceiver(secret);
    await hooklineJson(server, "endpoints", "create", receiver.url, "--secret", secret);

    const accepted = await hooklineJson<{ id: string; type: string; deliveries: number }[]>(
      server,
      "trigger",
      "--all",
      "--catalog",
      catalogDir,
    );
    expect(accepted.map((a) => a.type)).toEqual(types);
    expect(accepted.every((a) => a.deliveries === 1)).toBe(true);

    await eventually(() => receiver.received.length >= types.length, "every fuzzed event delivered");
    expect(receiver.rejected).toEqual([]);
    const examples = await Promise.all(
      types.map(async (type) => JSON.parse((await hookline(server, "fixtures", type, "--catalog", catalogDir)).out) as unknown),
    );
    const byType = new Map(receiver.received.map((r) => [r.body.type, r.body.data]));
    expect(types.map((type) => byType.get(type))).toEqual(examples);
    // The server's own record: one stored event per type, each delivery marked delivered.
    const events = await hooklineJson<{ data: { id: string; type: string }[] }>(server, "events", "list", "--limit", "100");
    expect(events.data.map((e) => e.type).sort()).toEqual(types);
    // Recorded once the receiver's answer is back, which can be just after the receiver saw the body.
    const ids = accepted.map((a) => a.id).sort();
    await eventually(async () => {
      const page = await hooklineJson<{ data: { eventId: string }[] }>(
        server,
        "deliveries",
        "list",
        "--status",
        "delivered",
        "--limit",
        "100",
      );
      return JSON.stringify(page.data.map((d) => d.eventId).sort()) === JSON.stringify(ids);
    }, "every delivery recorded as delivered");
  });
});
