/**
 * Catalog reloads and pins (issue 13 items 3 and 6), on both backends: a reload that adds an event
 * type pins every existing endpoint to it (newest version); a reload that adds a version of an
 * existing type leaves existing pins alone while new endpoints get the new version; a reload that
 * drops a version a real endpoint is pinned to is refused.
 */
import { afterEach, describe, expect, it } from "vitest";
import { addEventType, addVersion, copySenderCatalog, removeCatalogDir, removeEventType } from "../support/catalog-dir.js";
import { example, startServer, type TestServer } from "../support/server.js";

const TYPE = "order.shipped";

describe("catalog reload and pins", () => {
  let server: TestServer | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await server?.close();
    if (dir !== undefined) removeCatalogDir(dir);
    server = undefined;
    dir = undefined;
  });

  const start = async (): Promise<TestServer> => {
    dir = copySenderCatalog();
    server = await startServer({ config: { catalogDir: dir }, deps: { startWorker: false } });
    return server;
  };
  const reload = async (s: TestServer): Promise<Record<string, any>> => {
    const res = await s.api("POST", "/v1/catalog/reload");
    expect(res.status, res.text).toBe(200);
    expect(res.body.applied).toBe(true);
    return res.body;
  };
  const pins = async (s: TestServer, id: string): Promise<Record<string, number>> => {
    const res = await s.api("GET", `/v1/endpoints/${id}`);
    expect(res.status, res.text).toBe(200);
    return res.body.pins;
  };

  it("pins existing endpoints to an event type the reload adds, at its newest version", { timeout: 30_000 }, async () => {
    const s = await start();
    const created = await s.api("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/hook", pins: { [TYPE]: 1 } });
    expect(created.status, created.text).toBe(201);
    expect(created.body.pins).not.toHaveProperty("refund.issued");

    addEventType(dir ?? "", "refund.issued", "order.paid");
    await reload(s);
    expect(await pins(s, created.body.id)).toEqual({ ...created.body.pins, "refund.issued": 1 });
    const listed = await s.api("GET", "/v1/endpoints");
    expect(listed.body.data.find((e: { id: string }) => e.id === created.body.id).pins["refund.issued"]).toBe(1);
    // The pin is real: the type's only version lists the endpoint as a subscriber.
    const subscribers = await s.api("GET", "/v1/event-types/refund.issued/versions/1/subscribers");
    expect(subscribers.body.data.map((e: { id: string }) => e.id)).toEqual([created.body.id]);
  });

  it("a reload adding v3 keeps every existing pin; an endpoint created after it is pinned to v3", { timeout: 30_000 }, async () => {
    const s = await start();
    const onV1 = (await s.api("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/a", pins: { [TYPE]: 1 } })).body;
    const onNewest = (await s.api("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/b" })).body;
    expect(onNewest.pins[TYPE]).toBe(2);

    addVersion(dir ?? "", TYPE, 3);
    const applied = await reload(s);
    expect(applied.added).toEqual([{ type: TYPE, version: 3 }]);
    expect(await pins(s, onV1.id)).toEqual(onV1.pins);
    expect(await pins(s, onNewest.id)).toEqual(onNewest.pins);
    const late = await s.api("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/c" });
    expect(late.status, late.text).toBe(201);
    expect(late.body.pins[TYPE]).toBe(3);
    expect((await s.api("GET", `/v1/event-types/${TYPE}`)).body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2, 3]);
    // Ingest without a version is now v3; the old pins can still move to it.
    const sent = await s.api("POST", "/v1/events", { type: TYPE, payload: example(TYPE) });
    expect(sent.body.version).toBe(3);
    expect((await s.api("PATCH", `/v1/endpoints/${onV1.id}`, { pins: { [TYPE]: 3 } })).body.pins[TYPE]).toBe(3);
  });

  it("refuses a reload dropping a type a real endpoint is pinned to (the endpoint_pins rows counted by the store)", {
    timeout: 30_000,
  }, async () => {
    const s = await start();
    const serving = (await s.api("GET", "/v1/catalog")).body.fingerprint;
    await s.api("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/a", eventTypes: ["order.*"] });
    removeEventType(dir ?? "", "order.created");
    const res = await s.api("POST", "/v1/catalog/reload");
    expect(res.status, res.text).toBe(409);
    expect(res.body.error.details).toEqual([
      expect.objectContaining({ code: "pinned_version_removed", type: "order.created", version: 1 }),
    ]);
    expect(res.body.error.details[0].message).toMatch(/^1 endpoint is pinned to order\.created v1/);
    expect((await s.api("GET", "/v1/catalog")).body.fingerprint).toBe(serving);
  });
});
