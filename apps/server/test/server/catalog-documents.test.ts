/**
 * The webhooks the server sends, as documents fetched over HTTP from a real server: AsyncAPI 3.0 at
 * GET /asyncapi.json and the catalog's `webhooks` inside GET /openapi.json. Both validate with no
 * error and no warning, are public like the API description, and list every type and version of
 * the loaded catalog.
 */
import { fileURLToPath } from "node:url";
import { Parser } from "@asyncapi/parser";
import { loadCatalog, renderDocuments } from "@hookline/generator";
import { validate } from "@readme/openapi-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addEventType, copySenderCatalog, removeCatalogDir } from "../support/catalog-dir.js";
import { startServer, type TestServer } from "../support/server.js";

describe("catalog documents", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ deps: { startWorker: false } });
  });
  afterAll(async () => {
    await server.close();
  });

  /** Every type and version the server's event-type API reports, as `<type>.v<n>`. */
  async function carriedVersions(): Promise<string[]> {
    const catalog = server.app.catalog.current();
    return catalog.types.flatMap((type) => catalog.versions(type).map((version) => `${type}.v${version}`));
  }

  it("GET /asyncapi.json is public and valid AsyncAPI 3.0 for @asyncapi/parser", async () => {
    const res = await fetch(`${server.url}/asyncapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const text = await res.text();
    const { document, diagnostics } = await new Parser().parse(text);
    // Severity 0 is an error, 1 a warning; the one information only says that AsyncAPI 3.1 exists.
    expect(diagnostics.filter((d) => d.severity <= 1).map((d) => `${d.code} at ${d.path.join("/")}: ${d.message}`)).toEqual([]);
    expect(document?.version()).toBe("3.0.0");
    const doc = JSON.parse(text);
    const messages = Object.values(doc.components.messages as Record<string, { title: string }>).map((m) => m.title.replace(" v", ".v"));
    expect(messages.sort()).toEqual((await carriedVersions()).sort());
  }, 60_000);

  it("GET /openapi.json describes the API and the webhooks, valid for @readme/openapi-parser", async () => {
    const res = await fetch(`${server.url}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as any;
    expect(Object.keys(doc.webhooks).sort()).toEqual((await carriedVersions()).sort());
    expect(doc.paths["/v1/events"].post).toBeDefined();
    expect(doc.paths["/asyncapi.json"].get.security).toEqual([]);
    const created = doc.webhooks["order.created.v1"].post;
    expect(created.requestBody.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/OrderCreatedV1Envelope" });
    expect(created.security).toEqual([]);
    expect(doc.components.schemas.OrderCreatedV1Envelope.properties.data).toEqual({ $ref: "#/components/schemas/OrderCreatedV1" });
    expect(doc.components.securitySchemes.apiKey).toBeDefined();
    const result = await validate(doc);
    expect(result).toEqual({ valid: true, warnings: [], specification: "OpenAPI" });
  }, 60_000);
});

describe("served and generated documents", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ deps: { startWorker: false } });
  });
  afterAll(async () => {
    await server.close();
  });

  it("equal what hookline generate writes for the catalog the server loaded, but for info", { timeout: 60_000 }, async () => {
    const model = await loadCatalog(fileURLToPath(new URL("../../../../catalog/", import.meta.url)));
    // A catalog generated before every version was carried (issue 13) has only the newest of each
    // type; from then on `carried` is every event of the model.
    const view = server.app.catalog.current();
    const carried = model.events.filter((e) => view.versions(e.type).includes(e.version));
    expect(model.events.filter((e) => e.latest).every((e) => carried.includes(e))).toBe(true);
    const files = renderDocuments({ ...model, events: carried }, { title: "Catalog", version: "1.0.0" }, "catalog");
    const generated = (name: string) => {
      const { info: _info, "x-generated": _note, ...rest } = JSON.parse(files.find((f) => f.path === name)?.text as string);
      return rest;
    };
    const { info: _info, ...asyncapi } = (await server.api("GET", "/asyncapi.json", undefined, { authorization: null })).body;
    expect(asyncapi).toEqual(generated("asyncapi.json"));
    const openapi = (await server.api("GET", "/openapi.json", undefined, { authorization: null })).body;
    const webhooks = generated("openapi.json");
    expect(openapi.webhooks).toEqual(webhooks.webhooks);
    for (const [name, schema] of Object.entries(webhooks.components.schemas))
      expect(openapi.components.schemas[name], name).toEqual(schema);
  });
});

describe("catalog documents after a reload", () => {
  let server: TestServer | undefined;
  let dir: string | undefined;
  afterAll(async () => {
    await server?.close();
    if (dir !== undefined) removeCatalogDir(dir);
  });

  it("follow the loaded catalog: a type added by POST /v1/catalog/reload appears in both", { timeout: 60_000 }, async () => {
    dir = copySenderCatalog();
    server = await startServer({ config: { catalogDir: dir }, deps: { startWorker: false } });
    const before = (await server.api("GET", "/openapi.json")).body;
    expect(before.webhooks).not.toHaveProperty(["refund.issued.v1"]);
    expect(before.components.schemas.SendEvent.discriminator.mapping).not.toHaveProperty(["refund.issued"]);
    expect((await server.api("GET", "/asyncapi.json")).body.channels).not.toHaveProperty(["refund.issued"]);

    addEventType(dir, "refund.issued", "order.paid");
    expect((await server.api("POST", "/v1/catalog/reload")).status).toBe(200);

    const after = (await server.api("GET", "/openapi.json")).body;
    expect(Object.keys(after.webhooks).sort()).toEqual([...Object.keys(before.webhooks), "refund.issued.v1"].sort());
    // The typed send body and the polled envelope follow the reload too.
    expect(after.components.schemas.SendEvent.discriminator.mapping["refund.issued"]).toBe("#/components/schemas/SendEvent.refund.issued");
    expect(after.components.schemas["SendEvent.refund.issued"].properties.payload).toEqual({ $ref: "#/components/schemas/AddedV1" });
    expect(after.components.schemas.EventEnvelope.anyOf).toContainEqual({ $ref: "#/components/schemas/AddedV1Envelope" });
    const asyncapi = (await server.api("GET", "/asyncapi.json")).body;
    expect(asyncapi.channels["refund.issued"].messages).toEqual({ AddedV1: { $ref: "#/components/messages/AddedV1" } });
  });
});
