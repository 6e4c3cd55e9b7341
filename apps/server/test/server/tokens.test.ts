/**
 * Stored tokens and portal links over real HTTP: create/list/revoke, what a tenant token's writes
 * do, the portal code exchange (single use, code expiry, session expiry, tenant scope), that no
 * token or code reaches the logs, and that a cross-site form cannot act (no cookies, no CORS).
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testBackend } from "../support/postgres.js";
import { API_KEY, example, startServer, type TestServer } from "../support/server.js";

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

describe("scoped tokens and portal links", () => {
  let server: TestServer;
  let skew = 0;
  const secrets: string[] = [];

  beforeAll(async () => {
    server = await startServer({
      captureLogs: "trace",
      config: { portalTitle: "Acme hooks", portalColor: "#112233", publicUrl: "https://hooks.example.com" },
      deps: { now: () => Date.now() + skew, startWorker: false },
    });
  });
  afterAll(() => server?.close());

  async function createToken(body: Record<string, unknown>): Promise<{ id: string; token: string }> {
    const res = await server.api("POST", "/v1/tokens", body);
    expect(res.status, res.text).toBe(201);
    secrets.push(res.body.token);
    return res.body;
  }

  it("creates a token shown once, stores only its SHA-256, lists it without the secret and revokes it at once", async () => {
    const created = await server.api("POST", "/v1/tokens", {
      tenant: "acme",
      access: "write",
      expiresIn: 3600,
      description: "acme backend",
    });
    expect(created.status).toBe(201);
    const { token, id } = created.body;
    secrets.push(token);
    expect(token).toMatch(/^hlt_[A-Za-z0-9_-]{43}$/);
    expect(id).toMatch(/^tok_/);
    expect(created.body).toMatchObject({ tenant: "acme", access: "write", description: "acme backend", lastUsedAt: null });
    expect(Date.parse(created.body.expiresAt) - Date.parse(created.body.createdAt)).toBe(3_600_000);

    const rows = await server.query<Record<string, unknown>>("SELECT * FROM tokens WHERE id = $1", [id]);
    expect(rows[0]?.["hash"]).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(rows)).not.toContain(token.slice(4));

    const me = await server.api("GET", "/v1/me", undefined, bearer(token));
    expect(me.body).toEqual({
      kind: "token",
      access: "write",
      tenant: "acme",
      expiresAt: created.body.expiresAt,
      portal: { title: "Acme hooks", color: "#112233" },
    });
    const listed = await server.api("GET", "/v1/tokens");
    const entry = listed.body.data.find((t: { id: string }) => t.id === id);
    expect(entry.lastUsedAt).not.toBeNull();
    expect(entry).not.toHaveProperty("token");
    expect(listed.text).not.toContain(token.slice(4));

    expect((await server.api("DELETE", `/v1/tokens/${id}`)).status).toBe(204);
    const after = await server.api("GET", "/v1/me", undefined, bearer(token));
    expect([after.status, after.body.error.code]).toEqual([401, "invalid_api_key"]);
    expect((await server.api("DELETE", `/v1/tokens/${id}`)).status).toBe(404);
    expect((await server.api("GET", "/v1/tokens")).body.data.map((t: { id: string }) => t.id)).not.toContain(id);
    const admin = await server.api("GET", "/v1/me");
    expect(admin.body).toMatchObject({ kind: "admin", access: "write", tenant: null, expiresAt: null });
  });

  it("records a token's last use at most once a minute", async () => {
    const { id, token } = await createToken({ access: "read" });
    const lastUsed = async (): Promise<string | null> =>
      (await server.api("GET", "/v1/tokens?limit=250")).body.data.find((t: { id: string }) => t.id === id).lastUsedAt;
    expect(await lastUsed()).toBeNull();
    await server.api("GET", "/v1/me", undefined, bearer(token));
    const first = await lastUsed();
    expect(first).not.toBeNull();
    skew += 30_000;
    await server.api("GET", "/v1/me", undefined, bearer(token));
    expect(await lastUsed()).toBe(first);
    skew += 31_000;
    try {
      await server.api("GET", "/v1/me", undefined, bearer(token));
      // Written after the answer (not awaited by the request): poll briefly.
      let now = first;
      for (let i = 0; i < 50 && now === first; i++) {
        await new Promise((r) => setTimeout(r, 20));
        now = await lastUsed();
      }
      expect(Date.parse(now ?? "") - Date.parse(first ?? "")).toBeGreaterThanOrEqual(61_000);
    } finally {
      skew -= 61_000;
    }
  });

  it("refuses bad token requests with 400 and the reason", async () => {
    for (const body of [
      { expiresIn: 10 },
      { expiresIn: 3600, expiresAt: "2999-01-01T00:00:00Z" },
      { expiresAt: "2020-01-01T00:00:00Z" },
      { tenant: "has spaces" },
      { access: "admin" },
      { scope: "all" },
    ]) {
      const res = await server.api("POST", "/v1/tokens", body);
      expect([res.status, res.body.error.code], JSON.stringify(body)).toEqual([400, "invalid_request"]);
    }
    const future = new Date(Date.now() + 86_400_000).toISOString();
    expect((await server.api("POST", "/v1/tokens", { expiresAt: future })).body).toMatchObject({
      access: "read",
      tenant: null,
      expiresAt: future,
    });
  });

  it("puts a tenant token's endpoints and events in its tenant and refuses another one", async () => {
    const { token } = await createToken({ tenant: "acme", access: "write" });
    const ep = await server.api("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/acme" }, bearer(token));
    expect([ep.status, ep.body.tenant]).toEqual([201, "acme"]);
    const other = await server.api("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/x", tenant: "globex" }, bearer(token));
    expect([other.status, other.body.error.code]).toEqual([422, "tenant_mismatch"]);
    expect(other.body.error.message).toContain('"acme"');
    const moved = await server.api("PATCH", `/v1/endpoints/${ep.body.id}`, { tenant: null }, bearer(token));
    expect([moved.status, moved.body.error.code]).toEqual([422, "tenant_mismatch"]);
    const event = await server.api("POST", "/v1/events", { type: "order.created", payload: example("order.created") }, bearer(token));
    expect([event.status, event.body.tenant, event.body.deliveries]).toEqual([202, "acme", 1]);
    const read = await createToken({ tenant: "acme" });
    const refused = await server.api("PATCH", `/v1/endpoints/${ep.body.id}`, { description: "x" }, bearer(read.token));
    expect([refused.status, refused.body.error.code]).toEqual([403, "read_only_token"]);
    const secret = await server.api("GET", `/v1/endpoints/${ep.body.id}/secret`, undefined, bearer(read.token));
    expect([secret.status, secret.body.error.code]).toEqual([403, "read_only_token"]);
  });

  it("exchanges a portal link's code once for a session of its tenant that ends at expiresAt", async () => {
    const mine = (await server.api("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/p", tenant: "initech" })).body.id;
    const theirs = (await server.api("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/q", tenant: "umbrella" })).body.id;
    const link = await server.api("POST", "/v1/portal-links", { tenant: "initech", access: "read", expiresIn: 600 });
    expect(link.status).toBe(201);
    const { code, url } = link.body;
    secrets.push(code);
    expect(code).toMatch(/^hlp_[A-Za-z0-9_-]{43}$/);
    expect(url).toBe(`https://hooks.example.com/ui/portal#code=${code}`);
    expect(Date.parse(link.body.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(JSON.stringify(await server.query("SELECT * FROM portal_codes"))).not.toContain(code.slice(4));

    const session = await server.api("POST", "/v1/portal/session", { code }, { authorization: null });
    expect(session.status, session.text).toBe(201);
    expect(session.headers.get("set-cookie")).toBeNull();
    expect(session.headers.get("cache-control")).toBe("no-store");
    secrets.push(session.body.token);
    expect(session.body).toMatchObject({ tenant: "initech", access: "read", portal: { title: "Acme hooks", color: "#112233" } });
    expect(Date.parse(session.body.expiresAt) - Date.now()).toBeGreaterThan(590_000);
    const auth = bearer(session.body.token);
    const listed = await server.api("GET", "/v1/endpoints", undefined, auth);
    expect(listed.body.data.map((e: { id: string }) => e.id)).toEqual([mine]);
    expect((await server.api("GET", `/v1/endpoints/${theirs}`, undefined, auth)).status).toBe(404);
    expect((await server.api("GET", `/v1/endpoints/${mine}`, undefined, auth)).status).toBe(200);
    expect((await server.api("DELETE", `/v1/endpoints/${mine}`, undefined, auth)).status).toBe(403);
    expect((await server.api("GET", "/v1/tokens")).body.data).toContainEqual(
      expect.objectContaining({ description: "portal session", tenant: "initech" }),
    );

    const again = await server.api("POST", "/v1/portal/session", { code }, { authorization: null });
    expect([again.status, again.body.error.code]).toEqual([401, "invalid_portal_code"]);

    // The session ends at its expiresAt: 600 s later the token is refused like an unknown one.
    skew += 601_000;
    try {
      const late = await server.api("GET", "/v1/endpoints", undefined, auth);
      expect([late.status, late.body.error.code]).toEqual([401, "invalid_api_key"]);
    } finally {
      skew -= 601_000;
    }
  });

  it("lets a portal code expire after 10 minutes unexchanged", async () => {
    const link = await server.api("POST", "/v1/portal-links", { tenant: "initech" });
    secrets.push(link.body.code);
    skew += 10 * 60_000 + 1000;
    try {
      const late = await server.api("POST", "/v1/portal/session", { code: link.body.code }, { authorization: null });
      expect([late.status, late.body.error.code]).toEqual([401, "invalid_portal_code"]);
    } finally {
      skew -= 10 * 60_000 + 1000;
    }
    // Within the 10 minutes a fresh link works, and its session is write by default for an hour.
    const fresh = await server.api("POST", "/v1/portal-links", { tenant: "initech" });
    secrets.push(fresh.body.code);
    skew += 9 * 60_000;
    try {
      const ok = await server.api("POST", "/v1/portal/session", { code: fresh.body.code }, { authorization: null });
      expect([ok.status, ok.body.access]).toEqual([201, "write"]);
      secrets.push(ok.body.token);
      expect(Date.parse(ok.body.expiresAt) - (Date.now() + skew)).toBeGreaterThan(3_590_000);
    } finally {
      skew -= 9 * 60_000;
    }
  });

  it("refuses a cross-origin form POST: no cookie or CORS header makes it carry a credential", async () => {
    const before = (await server.api("GET", "/v1/endpoints?limit=250")).body.data.length;
    const form = {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example", referer: "https://evil.example/" },
      body: "url=http%3A%2F%2F127.0.0.1%3A9%2Fcsrf",
    };
    const res = await fetch(`${server.url}/v1/endpoints`, form);
    expect(res.status).toBe(401);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    const withKey = await fetch(`${server.url}/v1/endpoints`, {
      ...form,
      headers: { ...form.headers, authorization: `Bearer ${API_KEY}` },
    });
    expect(withKey.status).toBe(415);
    const exchange = await fetch(`${server.url}/v1/portal/session`, { ...form, body: "code=hlp_x" });
    expect(exchange.status).toBe(415);
    const preflight = await fetch(`${server.url}/v1/endpoints`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    expect(preflight.headers.get("access-control-allow-headers")).toBeNull();
    expect((await server.api("GET", "/v1/endpoints?limit=250")).body.data.length).toBe(before);
  });

  it("never logs a token, a portal code or the API key, in any encoding", async () => {
    // Refused credentials are logged too (at info): still without the secret.
    await server.api("GET", "/v1/endpoints", undefined, bearer(`hlt_${"x".repeat(43)}`));
    await server.api("POST", "/v1/portal/session", { code: `hlp_${"y".repeat(43)}` }, { authorization: null });
    expect(secrets.length).toBeGreaterThanOrEqual(8);
    const logs = server.logs.join("");
    expect(logs.length).toBeGreaterThan(1000);
    const forms = (secret: string): string[] => {
      const raw = Buffer.from(secret.slice(4), "base64url");
      return [
        secret,
        secret.slice(4),
        raw.toString("hex"),
        raw.toString("base64"),
        Buffer.from(secret).toString("base64"),
        createHash("sha256").update(secret).digest("hex"),
        createHash("sha256").update(secret).digest("base64"),
      ];
    };
    for (const secret of [...secrets, `hlt_${"x".repeat(43)}`, `hlp_${"y".repeat(43)}`]) {
      for (const form of forms(secret)) expect(logs.includes(form), `${secret.slice(0, 6)}… as ${form.slice(0, 8)}…`).toBe(false);
    }
    expect(logs).not.toContain(API_KEY);
  });
});

describe("retention of ended credentials", () => {
  it("purges portal codes and tokens that ended before the retention cut-off, and keeps live ones", async () => {
    const server = await startServer({ deps: { startWorker: false } });
    try {
      const forever = (await server.api("POST", "/v1/tokens", { access: "write" })).body.id;
      const short = (await server.api("POST", "/v1/tokens", { expiresIn: 60 })).body.id;
      const revoked = (await server.api("POST", "/v1/tokens", {})).body.id;
      await server.api("DELETE", `/v1/tokens/${revoked}`);
      await server.api("POST", "/v1/portal-links", { tenant: "acme" });
      await server.app.store.purge(Date.now() + 3_600_000, 100);
      const left = await server.query<{ id: string }>("SELECT id FROM tokens ORDER BY id");
      expect(left.map((t) => t.id)).toEqual([forever]);
      expect(await server.query("SELECT hash FROM portal_codes")).toEqual([]);
      expect(short).toMatch(/^tok_/);
    } finally {
      await server.close();
    }
  });
});

describe("several instances on one PostgreSQL database", () => {
  it.runIf(testBackend() === "postgres")("see a revocation at once and redeem a code created on another instance once", async () => {
    const first = await startServer({ deps: { startWorker: false } });
    const second = await startServer({ dir: first.dir, deps: { startWorker: false } });
    try {
      const { id, token } = (await first.api("POST", "/v1/tokens", { access: "read" })).body;
      expect((await second.api("GET", "/v1/me", undefined, bearer(token))).status).toBe(200);
      expect((await first.api("DELETE", `/v1/tokens/${id}`)).status).toBe(204);
      expect((await second.api("GET", "/v1/me", undefined, bearer(token))).status).toBe(401);

      const { code } = (await first.api("POST", "/v1/portal-links", { tenant: "acme" })).body;
      const both = await Promise.all([
        second.api("POST", "/v1/portal/session", { code }, { authorization: null }),
        first.api("POST", "/v1/portal/session", { code }, { authorization: null }),
      ]);
      expect(both.map((r) => r.status).sort()).toEqual([201, 401]);
    } finally {
      await second.close();
      await first.close();
    }
  });
});
