/**
 * The API key is required on every route but the few marked public, whatever spelling of the request
 * target reaches it: the check is taken on the route the router matched, not on the raw target.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest, requestText } from "../support/raw-http.js";
import { API_KEY, example, startServer, type TestServer } from "../support/server.js";

const PUBLIC_ROUTES = ["GET /asyncapi.json", "GET /healthz", "GET /metrics", "GET /openapi.json", "GET /readyz", "POST /v1/portal/session"];

/** Every spelling of `path` we could think of that a lenient router might still match. */
function spellings(path: string, origin: string): string[] {
  const out = new Set<string>([path]);
  const hex = (c: string, lower: boolean): string => {
    const code = Buffer.from(c).toString("hex");
    return (lower ? code : code.toUpperCase()).replace(/(..)/g, "%$1");
  };
  for (let i = 0; i < path.length; i++) {
    for (const lower of [false, true]) out.add(path.slice(0, i) + hex(path[i] as string, lower) + path.slice(i + 1));
  }
  out.add(path.replace(/[^/]/g, (c) => hex(c, false)));
  out.add(path.replace(/\//g, "%2F"));
  out.add(path.replace("v", "%2576")); // double encoding
  for (const prefix of ["http://x", "https://x", "HTTP://X", origin, "http://x:80", "http://user:pass@x", "//x"]) out.add(prefix + path);
  const rest = path.slice("/v1".length);
  out.add(`/.${path}`);
  out.add(`/x/..${path}`);
  out.add(`/%2e${path}`);
  out.add(`/x/%2e%2e${path}`);
  out.add(`/v1/.${rest}`);
  out.add(`/v1/x/..${rest}`);
  out.add(`${path}/.`);
  out.add(`${path}/x/..`);
  out.add(`/${path}`);
  out.add(`/v1/${rest}`);
  out.add(path.replaceAll("/", "//"));
  out.add(`${path}//`);
  out.add(path.toUpperCase());
  out.add(`/V1${rest}`);
  out.add(`/v1;x=y${rest}`);
  out.add(`${path};x=y`);
  out.add(path.replace(/\/([^/]+)$/, "/$1;v=1"));
  for (const tail of ["/", "?", "?x=1", "#", "#frag", "%20", "%00", "%2f", "%2F", ".json", "%09", "~", "%3b"]) out.add(path + tail);
  out.add(path.replaceAll("/", "\\"));
  out.add(`/v1\\${rest.slice(1)}`);
  return [...out];
}

const BODIES: Record<string, string> = {
  "POST /v1/events": JSON.stringify({ type: "order.created", payload: example("order.created") }),
  "POST /v1/endpoints": JSON.stringify({ url: "http://127.0.0.1:9/created-without-key" }),
  "PATCH /v1/endpoints/:id": JSON.stringify({ url: "http://127.0.0.1:9/patched-without-key" }),
  "POST /v1/endpoints/:id/recover": JSON.stringify({ since: "2020-01-01T00:00:00Z" }),
};

async function inBatches<T>(items: readonly T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

describe("authentication does not depend on how the request target is spelled", () => {
  let server: TestServer;
  let routes: { method: string; path: string; public: boolean }[];
  let endpointId: string;
  let eventId: string;
  let secret: string;

  beforeAll(async () => {
    server = await startServer();
    const ep = await server.api("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/hook", eventTypes: ["order.*"] });
    endpointId = ep.body.id;
    secret = ep.body.secret;
    eventId = (await server.api("POST", "/v1/events", { type: "order.created", payload: example("order.created") })).body.id;
    const spec = (await server.api("GET", "/openapi.json", undefined, { authorization: null })).body as {
      paths: Record<string, Record<string, { security: unknown[] }>>;
    };
    routes = Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        method: method.toUpperCase(),
        path: path.replace(/\{(\w+)\}/g, ":$1"),
        public: op.security.length === 0,
      })),
    );
  });
  afterAll(() => server.close());

  it("documents exactly the public routes as needing no key, and every other route as needing it", () => {
    expect(routes.length).toBeGreaterThan(15);
    expect(routes.filter((r) => r.public).map((r) => `${r.method} ${r.path}`)).toEqual(PUBLIC_ROUTES);
  });

  it("answers 401 (or 400 for a target the parser refuses) on every protected route, for every spelling, and changes nothing", {
    timeout: 120_000,
  }, async () => {
    const protectedRoutes = routes.filter((r) => !PUBLIC_ROUTES.includes(`${r.method} ${r.path}`));
    const answers = new Map<number, number>();
    const leaks: string[] = [];
    const cases = protectedRoutes.flatMap((route) => {
      const path = route.path.replace(":id", route.path.startsWith("/v1/events") ? eventId : endpointId).replace(":type", "order.created");
      const body = BODIES[`${route.method} ${route.path}`] ?? (route.method === "GET" || route.method === "DELETE" ? "" : "{}");
      const headers = body === "" ? {} : { "Content-Type": "application/json" };
      const methods = route.method === "GET" ? ["GET", "HEAD"] : [route.method];
      return methods.flatMap((method) => spellings(path, server.url).map((target) => ({ method, target, body, headers })));
    });
    expect(cases.length).toBeGreaterThan(1000);
    await inBatches(cases, 32, async ({ method, target, body, headers }) => {
      const res = await rawRequest(server.url, requestText(method, target, headers, body));
      answers.set(res.status, (answers.get(res.status) ?? 0) + 1);
      if (res.status !== 401 && res.status !== 400) leaks.push(`${method} ${target} → ${res.status} ${res.body.slice(0, 100)}`);
      if (res.status === 401 && method !== "HEAD") expect(JSON.parse(res.body).error.code).toBe("missing_api_key");
    });
    expect(leaks, `answered without the API key:\n${leaks.slice(0, 20).join("\n")}`).toEqual([]);
    expect(answers.get(401) ?? 0).toBeGreaterThan(cases.length / 2);

    // Nothing was created, changed or read: one endpoint, same secret, one event.
    const endpoints = await server.api("GET", "/v1/endpoints");
    expect(endpoints.body.data.map((e: { id: string }) => e.id)).toEqual([endpointId]);
    expect(endpoints.body.data[0].url).toBe("http://127.0.0.1:9/hook");
    expect((await server.api("GET", `/v1/endpoints/${endpointId}/secret`)).body.secret).toBe(secret);
    expect((await server.api("GET", "/v1/events")).body.data).toHaveLength(1);
  });

  it.each([
    ["percent-encoded letter", (ep: string) => `/%761/endpoints/${ep}/secret`],
    ["absolute form", (ep: string) => `http://x/v1/endpoints/${ep}/secret`],
    ["encoded slash-free segment", (ep: string) => `/v1/%65ndpoints/${ep}/secret`],
  ])("the router does match the %s spelling, so only the key stands in the way", async (_name, target) => {
    const withKey = await rawRequest(server.url, requestText("GET", target(endpointId), { Authorization: `Bearer ${API_KEY}` }));
    expect(withKey.status).toBe(200);
    const without = await rawRequest(server.url, requestText("GET", target(endpointId)));
    expect(without.status).toBe(401);
    expect(without.body).not.toContain(secret);
  });

  it("asks for the key on unknown paths too (deny by default), and serves the public routes without it", async () => {
    expect((await rawRequest(server.url, requestText("GET", "/v2/anything"))).status).toBe(401);
    expect((await rawRequest(server.url, requestText("GET", "/v2/anything", { Authorization: `Bearer ${API_KEY}` }))).status).toBe(404);
    for (const route of PUBLIC_ROUTES.filter((r) => r.startsWith("GET "))) {
      const res = await rawRequest(server.url, requestText("GET", route.split(" ")[1] as string));
      expect(res.status, route).toBe(200);
    }
    // The portal code exchange needs no key: an unknown code is refused by the route itself.
    const exchange = await server.api("POST", "/v1/portal/session", { code: "hlp_unknown" }, { authorization: null });
    expect([exchange.status, exchange.body.error.code]).toEqual([401, "invalid_portal_code"]);
  });
});
