import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_KEY, example, startServer, type TestServer } from "../support/server.js";

describe("HTTP API", () => {
  let server: TestServer;
  let endpointId: string;
  let eventId: string;

  beforeAll(async () => {
    server = await startServer({ deps: { startWorker: false } });
    endpointId = (await server.api("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/hook", eventTypes: ["order.created"] })).body.id;
    eventId = (await server.api("POST", "/v1/events", { type: "order.created", payload: example("order.created") })).body.id;
  });
  afterAll(async () => {
    await server.close();
  });

  const ROUTES: [string, () => string, unknown?][] = [
    ["GET", () => "/v1/event-types"],
    ["GET", () => "/v1/event-types/order.created"],
    ["POST", () => "/v1/endpoints", { url: "http://127.0.0.1:9/" }],
    ["GET", () => "/v1/endpoints"],
    ["GET", () => `/v1/endpoints/${endpointId}`],
    ["PATCH", () => `/v1/endpoints/${endpointId}`, { description: "x" }],
    ["DELETE", () => `/v1/endpoints/${endpointId}`],
    ["GET", () => `/v1/endpoints/${endpointId}/secret`],
    ["POST", () => `/v1/endpoints/${endpointId}/rotate-secret`, {}],
    ["POST", () => `/v1/endpoints/${endpointId}/recover`, { since: "2025-01-01T00:00:00Z" }],
    ["GET", () => `/v1/endpoints/${endpointId}/attempts`],
    ["POST", () => "/v1/events", { type: "order.created", payload: {} }],
    ["GET", () => "/v1/events"],
    ["GET", () => `/v1/events/${eventId}`],
    ["GET", () => `/v1/events/${eventId}/attempts`],
    ["POST", () => `/v1/events/${eventId}/replay`, {}],
    ["GET", () => "/v1/deliveries?status=failed"],
  ];

  describe.each(ROUTES)("%s %s", (method, path, body) => {
    it("answers 401 without an API key, or with a wrong one, or a malformed header", async () => {
      for (const authorization of [null, "Bearer wrong-key-0000000000", `Basic ${API_KEY}`, "Bearer", `bearer  ${API_KEY} extra`]) {
        const res = await server.api(method, path(), body, { authorization });
        expect(res.status, String(authorization)).toBe(401);
        expect(["missing_api_key", "invalid_api_key"]).toContain(res.body.error.code);
        expect(res.body.error.message).toBeTruthy();
      }
    });
  });

  it.each([
    ["POST", "/v1/events"],
    ["POST", "/v1/endpoints"],
    ["PATCH", "/v1/endpoints/ep_x"],
    ["POST", "/v1/endpoints/ep_x/rotate-secret"],
    ["POST", "/v1/endpoints/ep_x/recover"],
    ["POST", "/v1/events/evt_x/replay"],
  ])("%s %s answers 400 invalid_json for a body that is not JSON", async (method, path) => {
    for (const text of ["{", "not json", '{"a":1,}', "{'a':1}"]) {
      const res = await server.raw(method, path, text);
      expect(res.status, text).toBe(400);
      expect(res.body.error.code).toBe("invalid_json");
    }
  });

  it.each([
    ["unknown field on ingest", "POST", "/v1/events", { type: "order.created", payload: {}, extra: 1 }, "/extra"],
    ["payload not an object", "POST", "/v1/events", { type: "order.created", payload: [1] }, "/payload"],
    ["missing type", "POST", "/v1/events", { payload: {} }, "/type"],
    ["tenant with spaces", "POST", "/v1/events", { type: "order.created", payload: {}, tenant: "a b" }, "/tenant"],
    ["unknown field on endpoint", "POST", "/v1/endpoints", { url: "http://127.0.0.1:9/", colour: "red" }, "/colour"],
    ["missing url", "POST", "/v1/endpoints", { eventTypes: ["order.created"] }, "/url"],
    ["url not a string", "POST", "/v1/endpoints", { url: 42 }, "/url"],
    ["bad event type pattern", "POST", "/v1/endpoints", { url: "http://127.0.0.1:9/", eventTypes: ["order.*.x"] }, "/eventTypes/0"],
    ["rate limit zero", "POST", "/v1/endpoints", { url: "http://127.0.0.1:9/", rateLimit: 0 }, "/rateLimit"],
    ["rate limit as text", "POST", "/v1/endpoints", { url: "http://127.0.0.1:9/", rateLimit: "5" }, "/rateLimit"],
    ["disabled as text", "POST", "/v1/endpoints", { url: "http://127.0.0.1:9/", disabled: "true" }, "/disabled"],
    ["empty patch", "PATCH", "/v1/endpoints/ep_x", {}, ""],
    ["grace period negative", "POST", "/v1/endpoints/ep_x/rotate-secret", { gracePeriodSeconds: -1 }, "/gracePeriodSeconds"],
    ["grace period fractional", "POST", "/v1/endpoints/ep_x/rotate-secret", { gracePeriodSeconds: 1.5 }, "/gracePeriodSeconds"],
    ["recover without since", "POST", "/v1/endpoints/ep_x/recover", {}, "/since"],
    ["recover with a bad time", "POST", "/v1/endpoints/ep_x/recover", { since: "yesterday" }, "/since"],
    ["replay with unknown field", "POST", "/v1/events/evt_x/replay", { endpoint: "ep_x" }, "/endpoint"],
  ])("400 invalid_request: %s", async (_case, method, path, body, pointer) => {
    const res = await server.api(method, path, body);
    expect(res.status, res.text).toBe(400);
    expect(res.body.error.code).toBe("invalid_request");
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(pointer);
  });

  it.each([
    ["GET", "/v1/endpoints/bad.id"],
    ["GET", `/v1/endpoints/${"x".repeat(65)}`],
    ["GET", "/v1/events/has%20space"],
    ["GET", "/v1/events/evt.dot/attempts"],
    ["POST", "/v1/events/a.b/replay"],
  ])("400 for a malformed id: %s %s", async (method, path) => {
    const res = await server.api(method, path, method === "POST" ? {} : undefined);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_request");
  });

  it.each([
    ["GET", "/v1/endpoints/ep_unknown"],
    ["PATCH", "/v1/endpoints/ep_unknown"],
    ["DELETE", "/v1/endpoints/ep_unknown"],
    ["GET", "/v1/endpoints/ep_unknown/secret"],
    ["POST", "/v1/endpoints/ep_unknown/rotate-secret"],
    ["POST", "/v1/endpoints/ep_unknown/recover"],
    ["GET", "/v1/endpoints/ep_unknown/attempts"],
    ["GET", "/v1/events/evt_unknown"],
    ["GET", "/v1/events/evt_unknown/attempts"],
    ["POST", "/v1/events/evt_unknown/replay"],
    ["GET", "/v1/event-types/order.teleported"],
    ["GET", "/v1/nothing-here"],
  ])("404 for an unknown resource: %s %s", async (method, path) => {
    const body =
      method === "PATCH"
        ? { description: "x" }
        : path.endsWith("recover")
          ? { since: "2025-01-01T00:00:00Z" }
          : method === "POST"
            ? {}
            : undefined;
    const res = await server.api(method, path, body);
    expect(res.status).toBe(404);
    expect(["not_found", "unknown_event_type"]).toContain(res.body.error.code);
  });

  it.each([
    ["limit 0", "?limit=0", "invalid_limit"],
    ["limit 251", "?limit=251", "invalid_limit"],
    ["limit as words", "?limit=ten", "invalid_request"],
    ["forged cursor", `?after=c1${Buffer.from("-5").toString("base64url")}`, "invalid_cursor"],
    ["garbage cursor", "?after=zzz", "invalid_cursor"],
    ["unknown query parameter", "?colour=red", "invalid_request"],
  ])("400 for a bad list query: %s", async (_case, query, code) => {
    for (const path of [
      "/v1/endpoints",
      "/v1/events",
      "/v1/deliveries",
      `/v1/events/${eventId}/attempts`,
      `/v1/endpoints/${endpointId}/attempts`,
    ]) {
      const res = await server.api("GET", path + query);
      expect(res.status, path + query).toBe(400);
      expect(res.body.error.code).toBe(code);
    }
  });

  it.each(["application/x-www-form-urlencoded", "text/plain", "application/xml"])("answers 415 for a %s body", async (type) => {
    const res = await server.raw("POST", "/v1/events", "type=order.created", { "content-type": type });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe("unsupported_media_type");
  });

  it("accepts optional bodies left out, and says when a required one is missing", async () => {
    const ep = (await server.api("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/optional", eventTypes: ["order.created"] })).body
      .id as string;
    expect((await server.api("POST", `/v1/events/${eventId}/replay`)).status).toBe(202);
    expect((await server.raw("POST", `/v1/events/${eventId}/replay`, "")).status).toBe(202);
    const rotated = await server.api("POST", `/v1/endpoints/${ep}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect((await server.raw("DELETE", `/v1/endpoints/${ep}`, "")).status).toBe(204);
    for (const path of ["/v1/events", "/v1/endpoints"]) {
      const res = await server.api("POST", path);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("missing_body");
    }
  });

  it("refuses a __proto__ key", async () => {
    const res = await server.raw("POST", "/v1/endpoints", '{"url":"http://127.0.0.1:9/","metadata":{"__proto__":{"admin":true}}}');
    expect(res.status).toBe(400);
  });

  it("creates, reads, updates, lists and deletes endpoints", async () => {
    const created = await server.api("POST", "/v1/endpoints", {
      url: "http://127.0.0.1:9/crud",
      eventTypes: ["order.*", "user.logged_in", "order.*"],
      tenant: "crud",
      description: "CRUD",
      rateLimit: 2.5,
      metadata: { team: "payments", tier: 1 },
    });
    expect(created.status).toBe(201);
    const ep = created.body;
    expect(ep).toMatchObject({
      eventTypes: ["order.*", "user.logged_in"],
      tenant: "crud",
      rateLimit: 2.5,
      disabled: false,
      disabledReason: null,
      metadata: { team: "payments", tier: 1 },
    });
    expect(ep.id).toMatch(/^ep_[A-Za-z0-9]{24}$/);
    expect(ep.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Date.parse(ep.createdAt)).not.toBeNaN();

    const read = await server.api("GET", `/v1/endpoints/${ep.id}`);
    expect(read.body.secret).toBeUndefined();
    expect(read.body).toEqual({
      ...Object.fromEntries(Object.entries(ep).filter(([k]) => k !== "secret")),
      // Reads carry the endpoint's health; a new endpoint has made no attempt.
      health: { successRate: null, attempts24h: 0, failures24h: 0, lastAttemptAt: null, lastError: null, failingSince: null },
    });

    const patched = await server.api("PATCH", `/v1/endpoints/${ep.id}`, {
      eventTypes: null,
      description: null,
      rateLimit: null,
      disabled: true,
    });
    expect(patched.body).toMatchObject({
      eventTypes: null,
      description: null,
      rateLimit: null,
      disabled: true,
      disabledReason: "disabled via the API",
    });
    expect((await server.api("GET", "/v1/endpoints?tenant=crud&disabled=true")).body.data).toHaveLength(1);
    expect((await server.api("GET", "/v1/endpoints?tenant=crud&disabled=false")).body.data).toHaveLength(0);

    expect(
      (await server.api("PATCH", `/v1/endpoints/${ep.id}`, { eventTypes: ["order.teleported", "nothing.*"] })).body.error,
    ).toMatchObject({
      code: "unknown_event_type",
      details: [{ path: "/eventTypes/0" }, { path: "/eventTypes/1" }],
    });
    expect((await server.api("PATCH", `/v1/endpoints/${ep.id}`, { url: "http://10.1.2.3/" })).body.error.code).toBe("blocked_destination");
    expect((await server.api("PATCH", `/v1/endpoints/${ep.id}`, { secret: "whsec_c2hvcnQ=" })).body.error.code).toBe("invalid_secret");

    expect((await server.api("DELETE", `/v1/endpoints/${ep.id}`)).status).toBe(204);
    expect((await server.api("GET", `/v1/endpoints/${ep.id}`)).status).toBe(404);
    expect((await server.api("DELETE", `/v1/endpoints/${ep.id}`)).status).toBe(404);
  });

  it("paginates with limit and after", async () => {
    for (let i = 0; i < 7; i++) await server.api("POST", "/v1/endpoints", { url: `http://127.0.0.1:9/page/${i}`, tenant: "paging" });
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const res: { body: { data: { url: string }[]; nextCursor: string | null } } = await server.api(
        "GET",
        `/v1/endpoints?tenant=paging&limit=3${after === null ? "" : `&after=${after}`}`,
      );
      seen.push(...res.body.data.map((e) => e.url));
      after = res.body.nextCursor;
      pages++;
    } while (after !== null);
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 7 }, (_, i) => `http://127.0.0.1:9/page/${i}`));
  });

  it("serves events oldest first as a polling feed whose cursor can be resumed", async () => {
    const first = await server.api("GET", "/v1/events?type=inventory.low");
    expect(first.body).toEqual({ data: [], nextCursor: null });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await server.api("POST", "/v1/events", { type: "inventory.low", payload: example("inventory.low") })).body.id);
    const page = await server.api("GET", "/v1/events?type=inventory.low&limit=2");
    expect(page.body.data.map((e: { id: string }) => e.id)).toEqual(ids.slice(0, 2));
    const rest = await server.api("GET", `/v1/events?type=inventory.low&after=${page.body.nextCursor}`);
    expect(rest.body.data.map((e: { id: string }) => e.id)).toEqual(ids.slice(2));
    expect(rest.body.nextCursor).not.toBeNull();
    const later = (await server.api("POST", "/v1/events", { type: "inventory.low", payload: example("inventory.low") })).body.id;
    const resumed = await server.api("GET", `/v1/events?type=inventory.low&after=${rest.body.nextCursor}`);
    expect(resumed.body.data.map((e: { id: string }) => e.id)).toEqual([later]);
    expect(resumed.body.data[0].envelope).toMatchObject({ type: "inventory.low", data: example("inventory.low") });
    const since = await server.api("GET", `/v1/events?type=inventory.low&since=${encodeURIComponent(resumed.body.data[0].createdAt)}`);
    expect(since.body.data.map((e: { id: string }) => e.id)).toContain(later);
  });

  it("lists the catalog's event types", async () => {
    const list = await server.api("GET", "/v1/event-types");
    expect(list.body.nextCursor).toBeNull();
    const types = list.body.data.map((t: { type: string }) => t.type);
    expect(types).toContain("order.created");
    expect([...types].sort()).toEqual(types);
    const one = await server.api("GET", "/v1/event-types/order.created");
    expect(one.body).toMatchObject({
      type: "order.created",
      version: expect.any(Number),
      deprecated: false,
      description: expect.any(String),
    });
    expect(one.body.schema.type).toBe("object");
    expect(one.body.examples.length).toBeGreaterThan(0);
  });

  it("serves health, readiness, metrics, OpenAPI and AsyncAPI without auth", async () => {
    for (const path of ["/healthz", "/readyz", "/metrics", "/openapi.json", "/asyncapi.json"]) {
      const res = await server.api("GET", path, undefined, { authorization: null });
      expect(res.status, path).toBe(path === "/readyz" ? 503 : 200);
    }
    // The worker was not started in this suite: not ready.
    const ready = await server.api("GET", "/readyz");
    expect(ready.body).toEqual({ status: "unavailable", checks: { database: "ok", worker: "stopped" } });
  });

  it("describes every route in /openapi.json, generated from the route schemas", async () => {
    const doc = (await server.api("GET", "/openapi.json")).body;
    expect(doc.openapi).toBe("3.1.0");
    const operations = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        "GET /v1/event-types",
        "GET /v1/event-types/{type}",
        "GET /v1/catalog",
        "POST /v1/catalog/reload",
        "GET /v1/event-types/{type}/versions/{version}/subscribers",
        "POST /v1/endpoints",
        "GET /v1/endpoints",
        "GET /v1/endpoints/{id}",
        "PATCH /v1/endpoints/{id}",
        "DELETE /v1/endpoints/{id}",
        "GET /v1/endpoints/{id}/secret",
        "POST /v1/endpoints/{id}/rotate-secret",
        "POST /v1/endpoints/{id}/recover",
        "GET /v1/endpoints/{id}/attempts",
        "POST /v1/events",
        "GET /v1/events",
        "GET /v1/events/{id}",
        "GET /v1/events/{id}/attempts",
        "POST /v1/events/{id}/replay",
        "GET /v1/deliveries",
        "POST /v1/deliveries/replay",
        "GET /healthz",
        "GET /readyz",
        "GET /metrics",
        "GET /openapi.json",
        "GET /asyncapi.json",
        "POST /v1/tokens",
        "GET /v1/tokens",
        "DELETE /v1/tokens/{id}",
        "POST /v1/portal-links",
        "POST /v1/portal/session",
        "GET /v1/me",
      ].sort(),
    );
    const ingest = doc.paths["/v1/events"].post;
    expect(ingest.security).toEqual([{ apiKey: [] }]);
    // Typed by the catalog: one strict member per event type, chosen by `type`.
    expect(ingest.requestBody.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/SendEvent" });
    expect(doc.components.schemas.SendEvent.discriminator.propertyName).toBe("type");
    expect(doc.components.schemas["SendEvent.order.created"].additionalProperties).toBe(false);
    expect(Object.keys(ingest.responses).sort()).toEqual(["200", "202", "400", "401", "409", "413", "415", "422", "503"]);
    expect(ingest.parameters).toEqual([expect.objectContaining({ name: "idempotency-key", in: "header" })]);
    const ids = new Set<string>();
    for (const ops of Object.values(doc.paths as Record<string, Record<string, { operationId: string }>>))
      for (const op of Object.values(ops)) ids.add(op.operationId);
    expect(ids.size).toBe(operations.length);
  });
});
