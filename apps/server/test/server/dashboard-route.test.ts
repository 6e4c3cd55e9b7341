/**
 * GET /ui/ serves the dashboard (HOOKLINE_DASHBOARD_DIR) publicly with the strict CSP, `/ui/portal`
 * answers its index.html (the portal entry), `GET /` redirects browsers to it, frame-ancestors follows
 * HOOKLINE_PORTAL_FRAME_ANCESTORS, nothing outside the folder is reachable, and a missing or
 * unconfigured dashboard answers 404 in the API's error shape.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest, requestText } from "../support/raw-http.js";
import { startServer, type TestServer } from "../support/server.js";

const SECRET = "outside-the-dashboard-do-not-serve";
const POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors";

describe("the dashboard under /ui/", () => {
  let server: TestServer;
  let root: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "hookline-dashboard-route-"));
    const site = join(root, "dist");
    mkdirSync(join(site, "pages"), { recursive: true });
    writeFileSync(join(site, "index.html"), "<!doctype html><title>dashboard</title>");
    writeFileSync(join(site, "main.js"), "export {};");
    writeFileSync(join(site, "pages", "events.js"), "export {};");
    writeFileSync(join(site, "style.css"), "body{}");
    writeFileSync(join(root, "secret.txt"), SECRET);
    server = await startServer({ config: { dashboardDir: site, portalFrameAncestors: "https://app.example.com 'self'" } });
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("serves each file without a key, with its type, the strict CSP and no-sniff/no-referrer headers", async () => {
    const cases = [
      ["/ui/", "text/html; charset=utf-8", "<title>dashboard</title>"],
      ["/ui/index.html", "text/html; charset=utf-8", "<title>dashboard</title>"],
      ["/ui/portal", "text/html; charset=utf-8", "<title>dashboard</title>"],
      ["/ui/portal/", "text/html; charset=utf-8", "<title>dashboard</title>"],
      ["/ui/main.js", "text/javascript; charset=utf-8", "export {};"],
      ["/ui/pages/events.js", "text/javascript; charset=utf-8", "export {};"],
      ["/ui/style.css", "text/css; charset=utf-8", "body{}"],
    ] as const;
    for (const [target, type, text] of cases) {
      const res = await server.api("GET", target, undefined, { authorization: null });
      expect(res.status, target).toBe(200);
      expect(res.headers.get("content-type"), target).toBe(type);
      expect(res.text, target).toContain(text);
      expect(res.headers.get("content-security-policy"), target).toBe(`${POLICY} https://app.example.com 'self'`);
      expect(res.headers.get("x-content-type-options"), target).toBe("nosniff");
      expect(res.headers.get("referrer-policy"), target).toBe("no-referrer");
      expect(res.headers.get("access-control-allow-origin"), target).toBeNull();
    }
  });

  it("redirects / and /ui to /ui/, leaves every other path as it was, and 404s what is not there", async () => {
    const root = await rawRequest(server.url, requestText("GET", "/"));
    expect(root.status).toBe(302);
    expect(root.head).toMatch(/\r\nlocation: \/ui\/\r\n/i);
    const bare = await rawRequest(server.url, requestText("GET", "/ui"));
    expect(bare.status).toBe(301);
    expect(bare.head).toMatch(/\r\nlocation: \/ui\/\r\n/i);
    expect((await server.api("GET", "/healthz", undefined, { authorization: null })).status).toBe(200);
    expect((await server.api("GET", "/v1/events", undefined, { authorization: null })).status).toBe(401);
    for (const target of ["/ui/missing.js", "/ui/..%2fsecret.txt", "/ui/%2e%2e/secret.txt", "/ui/.hidden", "/ui/portal/x"]) {
      const res = await rawRequest(server.url, requestText("GET", target));
      expect(res.status, target).toBe(404);
      expect(res.body, target).not.toContain(SECRET);
      expect(JSON.parse(res.body).error.code, target).toBe("not_found");
    }
  });

  it("says how to build it when it is not installed, and refuses a frame-ancestors value that would break the policy", async () => {
    const bare = await startServer({ config: { dashboardDir: join(root, "nowhere") } });
    try {
      const res = await bare.api("GET", "/ui/", undefined, { authorization: null });
      expect(res.status).toBe(404);
      expect(res.body.error.message).toContain("npm run build");
      const framed = await bare.api("GET", "/healthz", undefined, { authorization: null });
      expect(framed.status).toBe(200);
    } finally {
      await bare.close();
    }
    await expect(startServer({ config: { portalFrameAncestors: "'none'; script-src *" } })).rejects.toThrow(
      /HOOKLINE_PORTAL_FRAME_ANCESTORS/,
    );
  });
});
