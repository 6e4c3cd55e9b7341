/**
 * GET /openapi.json as a contract: valid OpenAPI 3.1 for @readme/openapi-parser with no error and no
 * warning, with the real catalog merged in and with a catalog whose component names clash with the
 * API's; typed where it matters (the event payload per type, integer query parameters, named
 * components, every error answer in the shared `Error` shape with its `details`).
 */
import { validate } from "@readme/openapi-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addEventType, copySenderCatalog, removeCatalogDir, wrapModule } from "../support/catalog-dir.js";
import { startServer, type TestServer } from "../support/server.js";

type Operation = {
  operationId: string;
  security: unknown[];
  parameters?: Array<{ name: string; in: string; schema: Record<string, unknown> }>;
  requestBody?: unknown;
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
};
type Doc = {
  paths: Record<string, Record<string, Operation>>;
  webhooks: Record<string, unknown>;
  components: { schemas: Record<string, any> };
};

const operations = (doc: Doc): Array<[string, Operation]> =>
  Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op]));

describe("GET /openapi.json with the real catalog", () => {
  let server: TestServer;
  let doc: Doc;
  beforeAll(async () => {
    server = await startServer({ deps: { startWorker: false } });
    const res = await fetch(`${server.url}/openapi.json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as Doc;
  });
  afterAll(() => server.close());

  it("is valid OpenAPI 3.1 for @readme/openapi-parser: no error, no warning", async () => {
    expect(await validate(structuredClone(doc) as unknown as Parameters<typeof validate>[0])).toEqual({
      valid: true,
      warnings: [],
      specification: "OpenAPI",
    });
  });

  it("types POST /v1/events per event type: a union of every catalog type, discriminated by `type`", async () => {
    const types = (await server.api("GET", "/v1/event-types")).body.data.map((t: { type: string }) => t.type).sort();
    const send = doc.components.schemas["SendEvent"];
    expect(send.discriminator.propertyName).toBe("type");
    expect(Object.keys(send.discriminator.mapping).sort()).toEqual(types);
    expect(send.oneOf).toHaveLength(types.length);
    const shipped = doc.components.schemas["SendEvent.order.shipped"];
    expect(shipped.properties.type).toEqual({ const: "order.shipped" });
    // order.shipped carries two versions: the payload is either, `version` says which.
    expect(shipped.properties.payload).toEqual({
      anyOf: [{ $ref: "#/components/schemas/OrderShippedV1" }, { $ref: "#/components/schemas/OrderShippedV2" }],
    });
    expect(shipped.properties.version.enum).toEqual([1, 2]);
    expect(shipped.additionalProperties).toBe(false);
    expect(doc.components.schemas["SendEvent.order.created"].properties.payload).toEqual({ $ref: "#/components/schemas/OrderCreatedV1" });
    // Polling: the envelope is one of the catalog's, so `envelope.data` is typed too.
    const envelopes = doc.components.schemas["EventEnvelope"].anyOf.map((e: { $ref: string }) => e.$ref);
    expect(envelopes).toContain("#/components/schemas/OrderShippedV2Envelope");
    expect(envelopes).toHaveLength(Object.keys(doc.webhooks).length);
    expect(doc.components.schemas["Event"].properties.envelope).toEqual({ $ref: "#/components/schemas/EventEnvelope" });
  });

  it("names the API's shapes under components.schemas and refers to them", () => {
    for (const name of ["Error", "ErrorIssue", "Event", "EventDetail", "EventEnvelope", "Delivery", "EventDelivery", "Attempt"]) {
      expect(doc.components.schemas[name], name).toBeDefined();
    }
    for (const name of ["Endpoint", "CreatedEndpoint", "AcceptedEvent", "SendEvent", "EventType", "ReplayResult", "RecoverResult"]) {
      expect(doc.components.schemas[name], name).toBeDefined();
    }
    const answer = (op: string, status: string) =>
      operations(doc).find(([name]) => name === op)?.[1].responses[status]?.content?.["application/json"]?.schema;
    expect(answer("GET /v1/events/{id}", "200")).toEqual({ $ref: "#/components/schemas/EventDetail" });
    expect(answer("POST /v1/events/{id}/replay", "202")).toEqual({ $ref: "#/components/schemas/ReplayResult" });
    expect(answer("POST /v1/endpoints/{id}/recover", "202")).toEqual({ $ref: "#/components/schemas/RecoverResult" });
    expect(answer("GET /v1/deliveries", "200")).toMatchObject({
      properties: { data: { items: { $ref: "#/components/schemas/Delivery" } } },
    });
  });

  it("types query and path integers as integers, with their range", () => {
    const lists = operations(doc).filter(([, op]) => op.parameters?.some((p) => p.name === "limit"));
    expect(lists.map(([name]) => name).sort()).toEqual(
      [
        "GET /v1/deliveries",
        "GET /v1/endpoints",
        "GET /v1/endpoints/{id}/attempts",
        "GET /v1/events",
        "GET /v1/events/{id}/attempts",
        "GET /v1/tokens",
      ].sort(),
    );
    for (const [name, op] of lists) {
      expect(op.parameters?.find((p) => p.name === "limit")?.schema, name).toEqual({ type: "integer", minimum: 1, maximum: 250 });
    }
    const subscribers = doc.paths["/v1/event-types/{type}/versions/{version}/subscribers"]?.["get"];
    expect(subscribers?.parameters?.find((p) => p.name === "version")?.schema).toMatchObject({ type: "integer" });
  });

  it("documents every error answer in the shared Error shape, with `details` described", () => {
    const error = doc.components.schemas["Error"];
    expect(error.properties.error.required).toEqual(["code", "message"]);
    expect(error.properties.error.properties.details.anyOf).toEqual([
      { type: "array", items: { $ref: "#/components/schemas/ErrorIssue" } },
      { type: "object", additionalProperties: true },
    ]);
    for (const [name, op] of operations(doc)) {
      const statuses = Object.keys(op.responses);
      for (const status of statuses.filter((s) => Number(s) >= 400)) {
        expect(op.responses[status]?.description, `${name} ${status}`).not.toBe("Default Response");
        // Readiness answers 503 with its checks, not an error.
        if (name === "GET /readyz") continue;
        expect(op.responses[status]?.content?.["application/json"]?.schema, `${name} ${status}`).toEqual({
          $ref: "#/components/schemas/Error",
        });
      }
      const isPublic = op.security.length === 0;
      // Authenticated routes: 401 without the key, 503 while the database is down.
      if (!isPublic) expect(statuses, name).toEqual(expect.arrayContaining(["401", "503"]));
      if (op.requestBody !== undefined) expect(statuses, name).toEqual(expect.arrayContaining(["400", "413", "415"]));
      if ((op.parameters ?? []).some((p) => p.in !== "header") || op.requestBody !== undefined) expect(statuses, name).toContain("400");
      for (const status of statuses.filter((s) => s.startsWith("2"))) {
        expect(op.responses[status]?.description, `${name} ${status}`).not.toBe("Default Response");
      }
    }
    expect(Object.keys(doc.paths["/v1/events"]?.["post"]?.responses ?? {}).sort()).toEqual(
      ["200", "202", "400", "401", "409", "413", "415", "422", "503"].sort(),
    );
  });

  it("answers what it documents: 400 invalid_request for a non-integer limit, invalid_limit out of range, 503 shape matches Error", async () => {
    const words = await server.api("GET", "/v1/events?limit=ten");
    expect(words.status).toBe(400);
    expect(words.body.error).toMatchObject({ code: "invalid_request", details: [{ in: "querystring", path: "/limit" }] });
    for (const limit of ["", "1.5", "-", "0x10", "1e2", "%205", "ten"]) {
      const res = await server.api("GET", `/v1/events?limit=${limit}`);
      expect([res.status, res.body.error.code], limit).toEqual([400, "invalid_request"]);
    }
    for (const limit of ["0", "251", "99999"]) {
      const res = await server.api("GET", `/v1/events?limit=${limit}`);
      expect(res.status, limit).toBe(400);
      expect(res.body.error.code, limit).toBe("invalid_limit");
    }
    expect((await server.api("GET", "/v1/events?limit=250")).status).toBe(200);
    // A coerced integer in the path: a version that is not one is a 400, not a 404 or a 500.
    expect((await server.api("GET", "/v1/event-types/order.shipped/versions/two/subscribers")).status).toBe(400);
    expect((await server.api("GET", "/v1/event-types/order.shipped/versions/2/subscribers")).status).toBe(200);
  });
});

describe("GET /openapi.json with a catalog whose component names are the API's", () => {
  let server: TestServer | undefined;
  let dir: string | undefined;
  afterAll(async () => {
    await server?.close();
    if (dir !== undefined) removeCatalogDir(dir);
  });

  it("keeps the API's names and serves the catalog's as Catalog.<name>, references rewritten, still valid", {
    timeout: 60_000,
  }, async () => {
    dir = copySenderCatalog();
    addEventType(dir, "clash.happened", "order.paid");
    // Its schema shares definitions called `Error` and `Event`, as a catalog may well do.
    wrapModule(
      dir,
      "schemas.js",
      "schemas",
      `(() => {
        const documents = { ...base["clash.happened"], schema: {
          title: "Added", type: "object",
          properties: { problem: { $ref: "#/$defs/Error" }, seen: { $ref: "#/$defs/Event" } },
          $defs: { Error: { type: "object", properties: { reason: { type: "string" } } }, Event: { type: "string" } },
        } };
        return { ...base, "clash.happened": documents, ...(base.versions === undefined ? {} : { versions: { ...base.versions, "clash.happened": { 1: documents } } }) };
      })()`,
    );
    server = await startServer({ config: { catalogDir: dir }, deps: { startWorker: false } });
    const doc = (await server.api("GET", "/openapi.json", undefined, { authorization: null })).body as Doc;
    const schemas = doc.components.schemas;
    expect(schemas["Error"].properties.error).toBeDefined();
    expect(schemas["Event"].properties.envelope).toBeDefined();
    expect(schemas["Catalog.Error"]).toEqual({ type: "object", properties: { reason: { type: "string" } } });
    expect(schemas["Catalog.Event"]).toEqual({ type: "string" });
    expect(schemas["AddedV1"].properties).toEqual({
      problem: { $ref: "#/components/schemas/Catalog.Error" },
      seen: { $ref: "#/components/schemas/Catalog.Event" },
    });
    expect(schemas["SendEvent.clash.happened"].properties.payload).toEqual({ $ref: "#/components/schemas/AddedV1" });
    expect(await validate(structuredClone(doc) as unknown as Parameters<typeof validate>[0])).toEqual({
      valid: true,
      warnings: [],
      specification: "OpenAPI",
    });
  });
});
