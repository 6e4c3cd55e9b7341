/**
 * Every registered route × every kind of credential × a row of the caller's own tenant and one of
 * another tenant, over real HTTP. The routes come from fastify's route table, so a route added
 * without an entry in ACCESS fails here. Expectations are written out from the rules in the README
 * ("Tokens and the consumer portal"), not computed with src/domain/scope.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registeredRoutes } from "../../src/http/server.js";
import { API_KEY, type ApiResponse, example, startServer, type TestServer, waitUntil } from "../support/server.js";

/** What each route needs. `read-all`: read, but not for tenant tokens (data across tenants). */
type Need = "public" | "admin" | "read" | "read-all" | "write";
const ACCESS: Record<string, Need> = {
  "GET /healthz": "public",
  "GET /readyz": "public",
  "GET /metrics": "public",
  "GET /openapi.json": "public",
  "GET /asyncapi.json": "public",
  "GET /docs": "public",
  "GET /docs/*": "public",
  "GET /reference": "public",
  "GET /reference/*": "public",
  "GET /": "public",
  "GET /ui": "public",
  "GET /ui/*": "public",
  "POST /v1/portal/session": "public",
  "POST /v1/tokens": "admin",
  "GET /v1/tokens": "admin",
  "DELETE /v1/tokens/:id": "admin",
  "POST /v1/portal-links": "admin",
  "POST /v1/catalog/reload": "admin",
  // Replay selected names deliveries by id across tenants: the operator's (tenant sessions replay per event).
  "POST /v1/deliveries/replay": "admin",
  "GET /v1/catalog": "read",
  "GET /v1/event-types": "read",
  "GET /v1/event-types/:type": "read",
  "GET /v1/event-types/:type/versions/:version/subscribers": "read-all",
  "GET /v1/me": "read",
  "GET /v1/events": "read",
  "GET /v1/events/:id": "read",
  "GET /v1/events/:id/attempts": "read",
  "GET /v1/deliveries": "read",
  "GET /v1/endpoints": "read",
  "GET /v1/endpoints/:id": "read",
  "GET /v1/endpoints/:id/attempts": "read",
  "GET /v1/endpoints/:id/secret": "write",
  "POST /v1/events": "write",
  "POST /v1/events/:id/replay": "write",
  "POST /v1/endpoints": "write",
  "PATCH /v1/endpoints/:id": "write",
  "DELETE /v1/endpoints/:id": "write",
  "POST /v1/endpoints/:id/rotate-secret": "write",
  "POST /v1/endpoints/:id/recover": "write",
};

type Kind = "admin" | "all-read" | "all-write" | "a-write" | "a-read" | "expired" | "revoked" | "none";
const KINDS: readonly Kind[] = ["admin", "all-read", "all-write", "a-write", "a-read", "expired", "revoked", "none"];
type Side = "own" | "other";

/** What a credential kind should get: a success, or an error status and code. */
function expected(need: Need, kind: Kind, side: Side, method: string, hasRow: boolean): { ok: true } | { status: number; code: string } {
  if (need === "public") return { ok: true };
  if (kind === "none") return { status: 401, code: "missing_api_key" };
  if (kind === "expired" || kind === "revoked") return { status: 401, code: "invalid_api_key" };
  if (kind === "admin") return { ok: true };
  const tenant = kind.startsWith("a-");
  const write = kind.endsWith("write");
  if (need === "admin") return tenant ? { status: 404, code: "not_found" } : { status: 403, code: "admin_only" };
  if (need === "read-all" && tenant) return { status: 404, code: "not_found" };
  if (need === "write" && !write) return { status: 403, code: "read_only_token" };
  if (tenant && side === "other") {
    if (hasRow) return { status: 404, code: "not_found" };
    // Creating a row in another tenant.
    if (method === "POST") return { status: 422, code: "tenant_mismatch" };
  }
  return { ok: true };
}

describe("access matrix: every route × credential kind × own/other tenant", () => {
  let server: TestServer;
  const tokens = {} as Record<Kind, string | null>;
  /** Ids of tenant b's rows: never in any answer to a tenant-a token. */
  const otherIds = new Set<string>();
  const fixed = { endpoint: { a: "", b: "" }, event: { a: "", b: "" } };

  const asKind = (kind: Kind): Record<string, string | null> => ({
    authorization: tokens[kind] === null ? null : `Bearer ${tokens[kind]}`,
  });

  async function endpointOf(tenant: "a" | "b"): Promise<string> {
    const res = await server.api("POST", "/v1/endpoints", { url: `http://127.0.0.1:9/${tenant}`, tenant, eventTypes: ["order.*"] });
    expect(res.status, res.text).toBe(201);
    if (tenant === "b") otherIds.add(res.body.id);
    return res.body.id as string;
  }

  async function eventOf(tenant: "a" | "b"): Promise<string> {
    const res = await server.api("POST", "/v1/events", { type: "order.created", payload: example("order.created"), tenant });
    expect(res.status, res.text).toBe(202);
    if (tenant === "b") otherIds.add(res.body.id);
    return res.body.id as string;
  }

  async function token(body: Record<string, unknown>): Promise<{ id: string; token: string }> {
    const res = await server.api("POST", "/v1/tokens", body);
    expect(res.status, res.text).toBe(201);
    return { id: res.body.id, token: res.body.token };
  }

  beforeAll(async () => {
    // The server's clock runs `skew` ahead of the real one: moved forward to expire a token.
    let skew = 0;
    server = await startServer({ config: { retrySchedule: [5] }, deps: { now: () => Date.now() + skew } });
    tokens.admin = API_KEY;
    tokens.none = null;
    tokens["all-read"] = (await token({})).token;
    tokens["all-write"] = (await token({ access: "write" })).token;
    tokens["a-write"] = (await token({ tenant: "a", access: "write" })).token;
    tokens["a-read"] = (await token({ tenant: "a", access: "read", expiresIn: 3600 })).token;
    const expired = await token({ tenant: "a", access: "write", expiresIn: 60 });
    skew = 120_000;
    tokens.expired = expired.token;
    const revoked = await token({ access: "write" });
    expect((await server.api("DELETE", `/v1/tokens/${revoked.id}`)).status).toBe(204);
    tokens.revoked = revoked.token;
    for (const tenant of ["a", "b"] as const) {
      fixed.endpoint[tenant] = await endpointOf(tenant);
      fixed.event[tenant] = await eventOf(tenant);
    }
    // Deliveries fail (nothing listens on port 9) and leave attempts, deliveries and a dead letter per tenant.
    await waitUntil(
      async () => (await server.api("GET", "/v1/deliveries?status=failed")).body.data.length >= 2,
      10_000,
      "a failed delivery per tenant",
    );
    for (const path of [`/v1/events/${fixed.event.b}/attempts`, `/v1/events/${fixed.event.b}`]) {
      const res = await server.api("GET", path);
      for (const row of res.body.data ?? res.body.deliveries) otherIds.add(row.id);
    }
    expect(otherIds.size).toBeGreaterThanOrEqual(4);
  }, 30_000);
  afterAll(() => server?.close());

  it("has an access entry for every registered route, and every entry is registered", () => {
    const keys = new Set(
      registeredRoutes(server.app.http)
        .filter((r) => r.method !== "HEAD" || r.url === undefined)
        .flatMap((r) => (Array.isArray(r.method) ? r.method : [r.method]).map((m) => `${m} ${r.url}`)),
    );
    expect(
      [...keys].filter((k) => !(k in ACCESS)),
      "routes without an entry in ACCESS",
    ).toEqual([]);
    expect(
      Object.keys(ACCESS).filter((k) => !keys.has(k)),
      "entries for routes that do not exist",
    ).toEqual([]);
  });

  it("answers every route as the rules say, and never shows another tenant's rows", { timeout: 120_000 }, async () => {
    const routes = registeredRoutes(server.app.http).flatMap((r) =>
      (Array.isArray(r.method) ? r.method : [r.method]).map((method) => ({ method: method as string, url: r.url as string })),
    );
    const problems: string[] = [];
    let cases = 0;
    for (const { method, url } of routes) {
      const need = ACCESS[`${method === "HEAD" ? "GET" : method} ${url}`];
      if (need === undefined) throw new Error(`no access entry for ${method} ${url}`);
      for (const kind of KINDS) {
        for (const side of ["own", "other"] as const) {
          const tenant = side === "own" ? "a" : "b";
          const request = await prepare(method, url, tenant);
          const res = await server.api(method, request.path, request.body, asKind(kind));
          cases++;
          const want = expected(need, kind, side, method, request.hasRow);
          const where = `${kind} ${side}: ${method} ${request.path} → ${res.status} ${res.text.slice(0, 160)}`;
          if ("ok" in want) {
            if (!acceptable(method, url, res)) problems.push(`expected success, ${where}`);
          } else if (res.status !== want.status || (method !== "HEAD" && res.body?.error?.code !== want.code)) {
            problems.push(`expected ${want.status} ${want.code}, ${where}`);
          }
          if (kind.startsWith("a-")) {
            // The id the request names is echoed in its 404; no other id of tenant b may appear.
            for (const id of otherIds) if (!request.path.includes(id) && res.text.includes(id)) problems.push(`leaks ${id}: ${where}`);
            if (res.status === 404 && method !== "HEAD" && need !== "public") await sameAsMissing(request, need, res, problems, where);
          }
          if (kind.startsWith("a-") && res.status === 200 && Array.isArray(res.body?.data)) {
            for (const row of res.body.data) {
              const rowTenant = row.tenant ?? tenantOfRow(row);
              if (rowTenant !== undefined && rowTenant !== "a") problems.push(`row of tenant ${rowTenant}: ${where}`);
            }
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(cases).toBeGreaterThan(400);
  });

  it("filters lists to the token's tenant in the query: own rows listed, other tenants' rows and filters give nothing", async () => {
    for (const kind of ["a-read", "a-write"] as const) {
      const endpoints = await server.api("GET", "/v1/endpoints?limit=250", undefined, asKind(kind));
      expect(endpoints.body.data.map((e: { tenant: string }) => e.tenant)).toEqual(endpoints.body.data.map(() => "a"));
      expect(endpoints.body.data.map((e: { id: string }) => e.id)).toContain(fixed.endpoint.a);
      expect((await server.api("GET", "/v1/endpoints?tenant=b", undefined, asKind(kind))).body).toEqual({ data: [], nextCursor: null });
      const events = await server.api("GET", "/v1/events?limit=250", undefined, asKind(kind));
      expect(new Set(events.body.data.map((e: { tenant: string }) => e.tenant))).toEqual(new Set(["a"]));
      expect((await server.api("GET", "/v1/events?tenant=b", undefined, asKind(kind))).body).toEqual({ data: [], nextCursor: null });
      const deliveries = await server.api("GET", "/v1/deliveries?limit=250", undefined, asKind(kind));
      expect(deliveries.body.data.length).toBeGreaterThan(0);
      for (const d of deliveries.body.data) expect(otherIds.has(d.eventId), d.eventId).toBe(false);
      const ofOther = await server.api("GET", `/v1/deliveries?endpointId=${fixed.endpoint.b}`, undefined, asKind(kind));
      expect(ofOther.body).toEqual({ data: [], nextCursor: null });
      // Pages: one row per page, every page of tenant a, and the cursor walk ends with a's rows only.
      let after = "";
      const seen: string[] = [];
      for (let i = 0; i < 50; i++) {
        const page = await server.api("GET", `/v1/deliveries?limit=1${after}`, undefined, asKind(kind));
        seen.push(...page.body.data.map((d: { eventId: string }) => d.eventId));
        if (page.body.nextCursor === null) break;
        after = `&after=${page.body.nextCursor}`;
      }
      expect(seen.length).toBe(deliveries.body.data.length);
    }
    const all = await server.api("GET", "/v1/endpoints?limit=250", undefined, asKind("all-read"));
    expect(new Set(all.body.data.map((e: { tenant: string }) => e.tenant))).toEqual(new Set(["a", "b"]));
  });

  /** The path and body of one case; write routes get fresh rows so every case starts from the same state. */
  async function prepare(method: string, url: string, tenant: "a" | "b"): Promise<{ path: string; body?: unknown; hasRow: boolean }> {
    const fresh = method !== "GET" && method !== "HEAD";
    let path = url.replace(":type", "order.created").replace(":version", "1").replace("*", "index.html");
    let hasRow = false;
    if (path.includes(":id")) {
      hasRow = true;
      let id: string;
      if (url.startsWith("/v1/tokens")) id = (await token({ tenant })).id;
      else if (url.startsWith("/v1/events")) id = fresh ? await eventOf(tenant) : fixed.event[tenant];
      else id = fresh ? await endpointOf(tenant) : fixed.endpoint[tenant];
      path = path.replace(":id", id);
    }
    const bodies: Record<string, unknown> = {
      "POST /v1/events": { type: "order.created", payload: example("order.created"), tenant },
      "POST /v1/endpoints": { url: "http://127.0.0.1:9/new", tenant },
      "PATCH /v1/endpoints/:id": { description: "changed" },
      "POST /v1/endpoints/:id/recover": { since: "2020-01-01T00:00:00Z" },
      "POST /v1/portal-links": { tenant },
      "POST /v1/portal/session": { code: "hlp_not-a-real-code" },
      "POST /v1/tokens": { tenant },
      "POST /v1/deliveries/replay": { ids: ["dlv_missing"] },
    };
    const body = bodies[`${method} ${url}`] ?? (fresh && method !== "DELETE" ? {} : undefined);
    // Lists: the other side asks for the other tenant's rows by filter.
    if (url === "/v1/endpoints" || url === "/v1/events") path += `?tenant=${tenant}`;
    if (url === "/v1/deliveries") path += `?endpointId=${fixed.endpoint[tenant]}`;
    return { path, body, hasRow };
  }

  function acceptable(method: string, url: string, res: ApiResponse): boolean {
    if (url === "/v1/portal/session") return res.status === 401 && res.body?.error?.code === "invalid_portal_code";
    if (url === "/v1/catalog/reload") return res.status === 200 || res.status === 409;
    if (url.startsWith("/docs") || url === "/" || url.startsWith("/ui")) return res.status !== 401 && res.status !== 403;
    if (url === "/readyz") return res.status === 200 || res.status === 503;
    return res.status >= 200 && res.status < 300 && (method === "HEAD" || method === "DELETE" || res.text.length > 0);
  }

  /** A tenant token's 404 is the body a missing id gets (ids swapped), or the unmatched-route 404. */
  async function sameAsMissing(
    request: { path: string; hasRow: boolean },
    need: Need,
    res: ApiResponse,
    problems: string[],
    where: string,
  ): Promise<void> {
    if (!request.hasRow || need === "admin" || need === "read-all") {
      if (!String(res.body?.error?.message).startsWith("No route ")) problems.push(`route 404 differs: ${where}`);
      return;
    }
    const id = /\/((?:ep|evt|tok)_[A-Za-z0-9]+)/.exec(request.path)?.[1] ?? "";
    const missing = id.replace(/_.*/, "_doesNotExist0000");
    const real = await server.api(
      "GET",
      request.path.replace(id, missing).replace(/\/(secret|attempts|replay|recover|rotate-secret)$/, ""),
    );
    if (JSON.stringify(res.body) !== real.text.replaceAll(missing, id))
      problems.push(`404 body differs from a missing id's (${real.text}): ${where}`);
  }

  function tenantOfRow(row: { eventId?: string; endpointId?: string }): string | undefined {
    const id = row.eventId ?? row.endpointId;
    return id !== undefined && otherIds.has(id) ? "b" : undefined;
  }
});
