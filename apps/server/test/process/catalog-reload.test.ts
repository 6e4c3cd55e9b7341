/**
 * Catalog changes on the real `hookline-server serve` process: SIGHUP reloads HOOKLINE_CATALOG_DIR
 * (and logs the result), `--dev-watch-catalog` (what `npm start` passes) reloads when the files
 * change, and a catalog that cannot be served stops the start with its problems, not a stack trace.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { addEventType, breakExample, copySenderCatalog, removeCatalogDir } from "../support/catalog-dir.js";
import { assertBuilt, BIN, type ServerProcess, spawnServer } from "../support/process.js";
import { example, waitUntil } from "../support/server.js";

const KEY = "reload-test-key-0123456789";

describe("hookline-server catalog reload", () => {
  let dir: string;
  let catalogDir: string | undefined;
  let server: ServerProcess | undefined;
  beforeAll(() => {
    assertBuilt();
    dir = mkdtempSync(join(tmpdir(), "hookline-reload-process-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    if (server !== undefined && server.child.exitCode === null) {
      server.child.kill("SIGINT");
      await server.exited;
    }
    if (catalogDir !== undefined) removeCatalogDir(catalogDir);
    server = undefined;
    catalogDir = undefined;
  });

  const env = (name: string): Record<string, string> => {
    catalogDir = copySenderCatalog();
    return { HOOKLINE_DB: join(dir, `${name}.db`), HOOKLINE_API_KEY: KEY, HOOKLINE_LOG_LEVEL: "info", HOOKLINE_CATALOG_DIR: catalogDir };
  };
  const api = async (path: string, init: { method?: string; body?: unknown } = {}) => {
    const res = await fetch(`${server?.url}${path}`, {
      method: init.method ?? "GET",
      headers: { authorization: `Bearer ${KEY}`, ...(init.body === undefined ? {} : { "content-type": "application/json" }) },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const logLines = (): Record<string, unknown>[] =>
    (server?.stdout() ?? "")
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const sendRefund = () => api("/v1/events", { method: "POST", body: { type: "refund.issued", payload: example("order.paid") } });

  it("SIGHUP reloads the catalog directory and logs what changed; a broken catalog is refused and logged at warn", {
    timeout: 30_000,
  }, async () => {
    server = await spawnServer(env("sighup"));
    expect(server.stderr()).toMatch(
      new RegExp(`Catalog:\\s+19 event types from ${catalogDir} \\(fingerprint [0-9a-f]{16}; reload: SIGHUP or POST /v1/catalog/reload\\)`),
    );
    expect((await sendRefund()).status).toBe(422);

    addEventType(catalogDir ?? "", "refund.issued", "order.paid");
    server.child.kill("SIGHUP");
    await waitUntil(() => logLines().some((l) => l["msg"] === "event catalog reloaded"), 10_000, "the SIGHUP reload");
    expect(logLines().find((l) => l["msg"] === "event catalog reloaded")).toMatchObject({
      level: 30,
      trigger: "SIGHUP",
      added: ["refund.issued v1"],
    });
    expect((await sendRefund()).status).toBe(202);

    breakExample(catalogDir ?? "", "order.paid");
    server.child.kill("SIGHUP");
    await waitUntil(() => logLines().some((l) => String(l["msg"]).includes("refused")), 10_000, "the refused SIGHUP reload");
    const refused = logLines().find((l) => String(l["msg"]).includes("refused"));
    expect(refused).toMatchObject({ level: 40, trigger: "SIGHUP", reason: "invalid" });
    expect(refused?.["problems"]).toEqual([expect.stringMatching(/^Example 2 of order\.paid v1 does not match its own schema/)]);
    expect((await sendRefund()).status).toBe(202);

    // Still running and serving: SIGHUP never stops the process.
    expect(server.child.exitCode).toBe(null);
    server.child.kill("SIGINT");
    expect(await server.exited).toBe(0);
  });

  it("--dev-watch-catalog (npm start) reloads when the generated files change", { timeout: 30_000 }, async () => {
    server = await spawnServer(env("watch"), ["serve", "--dev-watch-catalog"]);
    expect(server.stderr()).toMatch(/Catalog:\s+19 event types from .*; reloads when its files change\)/);
    addEventType(catalogDir ?? "", "refund.issued", "order.paid");
    await waitUntil(async () => (await sendRefund()).status === 202, 15_000, "the watcher to load refund.issued");
    expect(logLines().find((l) => l["msg"] === "event catalog reloaded")).toMatchObject({ trigger: "watch" });
  });

  it("a catalog directory that cannot be served stops the start with every problem listed (exit 1, no stack trace)", () => {
    const environment = env("broken");
    breakExample(catalogDir ?? "", "order.paid");
    breakExample(catalogDir ?? "", "order.created");
    const result = spawnSync(process.execPath, [BIN, "serve"], {
      env: { PATH: process.env["PATH"] ?? "", PORT: "0", HOST: "127.0.0.1", ...environment },
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `hookline-server: The event catalog in ${catalogDir} cannot be served:\n  - Example 1 of order.created v1`,
    );
    expect(result.stderr).toContain("\n  - Example 2 of order.paid v1 does not match its own schema");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
