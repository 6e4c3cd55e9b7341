/**
 * The running server picks up catalog changes (issue 13 item 6): POST /v1/catalog/reload and the dev
 * watcher load the catalog directory afresh; a catalog that fails its checks is refused with every
 * problem listed while the previous one keeps serving; ingest running during reloads never sees a
 * half-swapped catalog.
 */
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { catalog as senderCatalog } from "@hookline/sender";
import { schemas as senderSchemas } from "@hookline/sender/schemas";
import { afterEach, describe, expect, it } from "vitest";
import type { ConfigInput } from "../../src/config.js";
import type { PinnedVersionCount } from "../../src/domain/catalog-reload.js";
import { addEventType, breakExample, copySenderCatalog, removeCatalogDir, removeEventType, writeModule } from "../support/catalog-dir.js";
import { example, removeStorage, startServer, storeFor, type TestServer, waitUntil } from "../support/server.js";

describe("catalog reload", () => {
  let server: TestServer | undefined;
  let dir: string | undefined;
  let receiver: Server | undefined;
  afterEach(async () => {
    await server?.close();
    if (dir !== undefined) removeCatalogDir(dir);
    receiver?.close();
    server = undefined;
    dir = undefined;
    receiver = undefined;
  });

  const start = async (config: ConfigInput = {}, captureLogs?: string): Promise<TestServer> => {
    dir = copySenderCatalog();
    server = await startServer({ config: { catalogDir: dir, ...config }, ...(captureLogs === undefined ? {} : { captureLogs }) });
    return server;
  };

  it("POST /v1/catalog/reload adds a new event type: ingest and subscriptions accept it from the next request", {
    timeout: 30_000,
  }, async () => {
    const s = await start();
    const before = (await s.api("GET", "/v1/catalog")).body;
    expect(before).toMatchObject({ directory: dir, fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(before.types).toContainEqual({ type: "order.paid", versions: [1], latest: 1 });

    const unknown = await s.api("POST", "/v1/events", { type: "refund.issued", payload: example("order.paid") });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe("unknown_event_type");
    expect(unknown.body.error.message).toContain(
      `"refund.issued". It is not in the catalog this server loaded (fingerprint ${before.fingerprint}, loaded at ${before.loadedAt}). ` +
        "If you added it to the catalog, run `npm run generate` and reload: POST /v1/catalog/reload, SIGHUP, or HOOKLINE_CATALOG_WATCH=true in development.",
    );
    expect(unknown.body.error.message).not.toContain("regenerate the SDK");
    const early = await s.api("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/early", eventTypes: ["refund.issued"] });
    expect(early.status).toBe(422);
    expect(early.body.error.message).toContain(
      "a type just added to the catalog needs npm run generate and a reload (POST /v1/catalog/reload)",
    );

    addEventType(dir ?? "", "refund.issued", "order.paid");
    const reload = await s.api("POST", "/v1/catalog/reload");
    expect(reload.status).toBe(200);
    expect(reload.body).toMatchObject({
      applied: true,
      unchanged: false,
      previousFingerprint: before.fingerprint,
      types: before.types.length + 1,
      added: [{ type: "refund.issued", version: 1 }],
      removed: [],
    });
    expect(reload.body.fingerprint).not.toBe(before.fingerprint);

    // A real delivery of the new type, end to end.
    const received: string[] = [];
    receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      req.on("end", () => {
        received.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver?.listen(0, "127.0.0.1", resolve));
    const port = (receiver.address() as AddressInfo).port;
    const endpoint = await s.api("POST", "/v1/endpoints", { url: `http://127.0.0.1:${port}/refunds`, eventTypes: ["refund.issued"] });
    expect(endpoint.status).toBe(201);
    const accepted = await s.api("POST", "/v1/events", { type: "refund.issued", payload: example("order.paid") });
    expect(accepted.status).toBe(202);
    expect(accepted.body.deliveries).toBe(1);
    await waitUntil(() => received.length === 1, 10_000, "the refund.issued delivery");
    expect(JSON.parse(received[0] ?? "{}")).toMatchObject({ type: "refund.issued", data: example("order.paid") });

    expect((await s.api("GET", "/v1/event-types/refund.issued")).status).toBe(200);
    const after = (await s.api("GET", "/v1/catalog")).body;
    expect(after.fingerprint).toBe(reload.body.fingerprint);
    expect(after.types).toContainEqual({ type: "refund.issued", versions: [1], latest: 1 });
    const metrics = (await s.api("GET", "/metrics")).text;
    expect(metrics).toContain(`hookline_catalog_info{fingerprint="${after.fingerprint}"} 1`);
    expect(metrics).not.toContain(`hookline_catalog_info{fingerprint="${before.fingerprint}"}`);
    expect(metrics).toContain('hookline_catalog_reloads_total{result="applied"} 1');
  });

  it("refuses a broken catalog (bad example, syntax error, missing export) listing its problems; the previous one keeps serving", {
    timeout: 30_000,
  }, async () => {
    const s = await start({}, "warn");
    addEventType(dir ?? "", "refund.issued", "order.paid");
    expect((await s.api("POST", "/v1/catalog/reload")).status).toBe(200);
    const serving = (await s.api("GET", "/v1/catalog")).body.fingerprint;

    const stillServing = async (): Promise<void> => {
      expect((await s.api("GET", "/v1/catalog")).body.fingerprint).toBe(serving);
      expect((await s.api("POST", "/v1/events", { type: "refund.issued", payload: example("order.paid") })).status).toBe(202);
    };

    breakExample(dir ?? "", "order.created");
    breakExample(dir ?? "", "user.logged_in");
    const examples = await s.api("POST", "/v1/catalog/reload");
    expect(examples.status).toBe(422);
    expect(examples.body.error.code).toBe("catalog_invalid");
    expect(examples.body.error.message).toMatch(/was not loaded because it failed its checks \(2 problems, listed in details\)/);
    expect(examples.body.error.message).toContain(`The previous catalog (${serving}) keeps serving.`);
    expect(examples.body.error.details).toEqual([
      expect.objectContaining({ code: "invalid_example", file: "schemas.js", type: "order.created", version: 1 }),
      expect.objectContaining({ code: "invalid_example", file: "schemas.js", type: "user.logged_in", version: 1 }),
    ]);
    await stillServing();

    writeModule(dir ?? "", "catalog.js", "export const catalog = {\n  eventTypes: {,\n};\n");
    const syntax = await s.api("POST", "/v1/catalog/reload");
    expect(syntax.status).toBe(422);
    expect(syntax.body.error.details).toEqual([expect.objectContaining({ code: "module_failed", file: "catalog.js" })]);
    expect(syntax.body.error.details[0].message).toContain("SyntaxError");
    await stillServing();

    writeModule(dir ?? "", "catalog.js", "export const eventCatalog = {};\n");
    const missing = await s.api("POST", "/v1/catalog/reload");
    expect(missing.status).toBe(422);
    expect(missing.body.error.details).toEqual([
      expect.objectContaining({
        code: "bad_export",
        message: "catalog.js: does not export `catalog` (an object with eventTypes and validators).",
      }),
    ]);
    await stillServing();

    expect((await s.api("GET", "/metrics")).text).toContain('hookline_catalog_reloads_total{result="refused"} 3');
    const refusals = s.logs
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((l) => l["msg"]?.toString().includes("refused"));
    expect(refusals).toHaveLength(3);
    expect(refusals[0]).toMatchObject({ level: 40, trigger: "api", reason: "invalid", serving });
  });

  it("ingest running while the catalog is reloaded over and over never fails: every answer is from one catalog or the other", {
    timeout: 60_000,
  }, async () => {
    const s = await start();
    const statuses: string[] = [];
    let reloading = true;
    const ingestLoop = async (type: string): Promise<void> => {
      while (reloading) {
        const res = await s.api("POST", "/v1/events", { type, payload: example("order.paid") });
        statuses.push(res.status === 422 ? `${type} 422 ${res.body.error.code}` : `${type} ${res.status}`);
      }
    };
    const listLoop = async (): Promise<void> => {
      while (reloading) statuses.push(`list ${(await s.api("GET", "/v1/event-types")).status}`);
    };
    const loops = [ingestLoop("order.paid"), ingestLoop("refund.issued"), listLoop()];
    const results: unknown[] = [];
    try {
      for (let i = 0; i < 4; i++) {
        if (i % 2 === 0) addEventType(dir ?? "", "refund.issued", "order.paid");
        else removeEventType(dir ?? "", "refund.issued");
        const res = await s.api("POST", "/v1/catalog/reload");
        results.push([res.status, res.body.added, res.body.removed]);
      }
    } finally {
      reloading = false;
      await Promise.all(loops);
    }
    const added = [{ type: "refund.issued", version: 1 }];
    expect(results).toEqual([0, 1, 2, 3].map((i) => (i % 2 === 0 ? [200, added, []] : [200, [], added])));
    const expected = ["order.paid 202", "refund.issued 202", "refund.issued 422 unknown_event_type", "list 200"];
    expect(statuses.filter((status) => !expected.includes(status))).toEqual([]);
    expect(statuses.filter((s) => s.startsWith("order.paid")).length).toBeGreaterThan(0);
  });

  it("HOOKLINE_CATALOG_WATCH reloads after the catalog's files change, and refuses a broken change", { timeout: 30_000 }, async () => {
    const s = await start({ catalogWatch: true }, "info");
    const types = async (): Promise<string[]> => ((await s.api("GET", "/v1/catalog")).body.types as { type: string }[]).map((t) => t.type);
    addEventType(dir ?? "", "refund.issued", "order.paid");
    await waitUntil(async () => (await types()).includes("refund.issued"), 15_000, "the watcher to load refund.issued");
    expect((await s.api("POST", "/v1/events", { type: "refund.issued", payload: example("order.paid") })).status).toBe(202);
    const reloaded = s.logs.map((line) => JSON.parse(line) as Record<string, unknown>).find((l) => l["msg"] === "event catalog reloaded");
    expect(reloaded).toMatchObject({ trigger: "watch", added: ["refund.issued v1"] });

    breakExample(dir ?? "", "order.paid");
    await waitUntil(
      () => s.logs.some((line) => line.includes("event catalog reload refused")),
      15_000,
      "the watcher to refuse the broken catalog",
    );
    expect(await types()).toContain("refund.issued");
  });

  it("refuses (409) a catalog that drops a version endpoints are pinned to, and keeps serving the previous one", {
    timeout: 30_000,
  }, async () => {
    // The counts come from the store's pinnedVersionCounts (the endpoint_pins table): here a real
    // store of the test backend that reports three endpoints pinned to order.created v1.
    const storage = mkdtempSync(join(tmpdir(), "hookline-pins-"));
    const pinned: PinnedVersionCount[] = [{ type: "order.created", version: 1, endpoints: 3 }];
    const store = Object.assign(storeFor(storage), { pinnedVersionCounts: async () => pinned });
    dir = copySenderCatalog();
    try {
      server = await startServer({ dir: storage, config: { catalogDir: dir }, deps: { store } });
      const serving = (await server.api("GET", "/v1/catalog")).body.fingerprint;
      removeEventType(dir, "order.created");
      const res = await server.api("POST", "/v1/catalog/reload");
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("catalog_drops_pinned_versions");
      expect(res.body.error.message).toContain("no longer carries versions that endpoints are pinned to (1 problem, listed in details)");
      expect(res.body.error.details).toEqual([
        expect.objectContaining({
          code: "pinned_version_removed",
          type: "order.created",
          version: 1,
          message: expect.stringMatching(
            /^3 endpoints are pinned to order\.created v1, but the new catalog has no event type order\.created\./,
          ),
        }),
      ]);
      expect((await server.api("GET", "/v1/catalog")).body.fingerprint).toBe(serving);
      expect((await server.api("POST", "/v1/events", { type: "order.created", payload: example("order.created") })).status).toBe(202);
    } finally {
      await server?.close();
      server = undefined;
      await removeStorage(storage);
    }
  });

  it("a catalog given in code is served as is; a reload says there is nothing to reload from", async () => {
    server = await startServer({ deps: { catalog: senderCatalog as never, schemas: senderSchemas as never } });
    const res = await server.api("POST", "/v1/catalog/reload");
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("catalog_fixed");
    expect((await server.api("GET", "/v1/catalog")).body).toMatchObject({ fingerprint: "fixed", directory: null });
  });
});
