/**
 * GET /docs/ serves the catalog docs site (HOOKLINE_DOCS_DIR) publicly and read-only: content types,
 * CSP and cache headers, 304 on a matching ETag, 404 in the API's error shape, and no way out of the
 * site folder by any spelling of `..` (percent-encoded, double-encoded, backslashes, absolute-form
 * targets, a symlink pointing outside). The routes stay out of /openapi.json.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { defaultDocsDirectory } from "../../src/http/routes/docs.js";
import { rawRequest, requestText } from "../support/raw-http.js";
import { startServer, type TestServer } from "../support/server.js";

const SECRET = "outside-the-site-do-not-serve";

describe("the docs site under /docs/", () => {
  let server: TestServer;
  let root: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "hookline-docs-route-"));
    const site = join(root, "site");
    mkdirSync(join(site, "assets"), { recursive: true });
    mkdirSync(join(site, "events"), { recursive: true });
    writeFileSync(join(site, "index.html"), "<!doctype html><title>index</title>");
    writeFileSync(join(site, "events", "index.html"), "<!doctype html><title>events</title>");
    writeFileSync(join(site, "events", "order.shipped.html"), "<!doctype html><title>order.shipped</title>");
    writeFileSync(join(site, "assets", "style.css"), "body{}");
    writeFileSync(join(site, "assets", "search.js"), '"use strict";');
    writeFileSync(join(site, "assets", "favicon.svg"), "<svg/>");
    writeFileSync(join(site, "search-index.json"), '{"entries":[]}');
    writeFileSync(join(site, ".env"), SECRET);
    writeFileSync(join(root, "secret.txt"), SECRET);
    symlinkSync(root, join(site, "link-out"));
    server = await startServer({ config: { docsDir: site } });
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  const get = (target: string, headers: Record<string, string> = {}) => rawRequest(server.url, requestText("GET", target, headers));

  it("serves each file with its content type, the CSP and revalidating cache headers, without the API key", async () => {
    const cases = [
      ["/docs/", "text/html; charset=utf-8", "index"],
      ["/docs/index.html", "text/html; charset=utf-8", "index"],
      ["/docs/events/order.shipped.html", "text/html; charset=utf-8", "order.shipped"],
      ["/docs/events/", "text/html; charset=utf-8", "events"],
      ["/docs/events", "text/html; charset=utf-8", "events"],
      ["/docs/assets/style.css", "text/css; charset=utf-8", "body{}"],
      ["/docs/assets/search.js", "text/javascript; charset=utf-8", "use strict"],
      ["/docs/assets/favicon.svg", "image/svg+xml", "<svg/>"],
      ["/docs/search-index.json", "application/json; charset=utf-8", "entries"],
    ] as const;
    for (const [target, type, text] of cases) {
      const res = await server.api("GET", target, undefined, { authorization: null });
      expect(res.status, target).toBe(200);
      expect(res.headers.get("content-type"), target).toBe(type);
      expect(res.text, target).toContain(text);
      expect(res.headers.get("cache-control"), target).toBe("public, max-age=0, must-revalidate");
      expect(res.headers.get("content-security-policy"), target).toContain("script-src 'self'");
      expect(res.headers.get("x-content-type-options"), target).toBe("nosniff");
    }
  });

  it("answers 304 to a request carrying the current ETag, and redirects /docs to /docs/", async () => {
    const first = await server.api("GET", "/docs/assets/style.css", undefined, { authorization: null });
    const etag = first.headers.get("etag") ?? "";
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await get("/docs/assets/style.css", { "If-None-Match": etag });
    expect(again.status).toBe(304);
    expect(again.body).toBe("");
    const absolute = await get("http://x/docs/index.html");
    expect(absolute.status).toBe(200);
    expect(absolute.body).toContain("<title>index</title>");
    const bare = await get("/docs");
    expect(bare.status).toBe(301);
    expect(bare.head).toMatch(/\r\nlocation: \/docs\/\r\n/i);
  });

  it("answers a missing page with 404 in the API's error shape", async () => {
    const res = await server.api("GET", "/docs/events/no.such.event.html", undefined, { authorization: null });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("not_found");
    expect(res.body.error.message).toContain("No docs page at /docs/events/no.such.event.html");
  });

  it("never serves a file outside the site folder, nor a hidden one, however the target is spelled", async () => {
    const targets = [
      "/docs/../secret.txt",
      "/docs/%2e%2e/secret.txt",
      "/docs/%2E%2E/secret.txt",
      "/docs/%2e%2e%2fsecret.txt",
      "/docs/..%2fsecret.txt",
      "/docs/..%5csecret.txt",
      "/docs/..\\secret.txt",
      "/docs/assets/%2e%2e/%2e%2e/secret.txt",
      "/docs/assets/..%2f..%2fsecret.txt",
      "/docs/%252e%252e/secret.txt",
      "/docs/%2e%2e%00/secret.txt",
      "/docs/secret.txt%00.html",
      "/docs//etc/passwd",
      `/docs/${encodeURIComponent(join(root, "secret.txt"))}`,
      "/docs/link-out/secret.txt",
      "/docs/.env",
      "/docs/%2eenv",
      "http://x/docs/%2e%2e/secret.txt",
      "http://x/docs/../secret.txt",
      "//x/docs/%2e%2e/secret.txt",
    ];
    for (const target of targets) {
      const res = await get(target);
      expect(res.body, target).not.toContain(SECRET);
      // 401: a target that is no docs route at all ("//x/docs/…" is a path starting "//x") asks for the key.
      expect([400, 401, 404], `${target} → ${res.status}`).toContain(res.status);
      expect(JSON.parse(res.body).error.code, target).toMatch(
        /^(not_found|missing_api_key|invalid_character|invalid_request|bad_request|malformed_request)$/,
      );
    }
  });

  it("does not open the API: a /docs/ target that climbs into /v1 still needs the key", async () => {
    for (const target of ["/docs/../v1/endpoints", "/docs/%2e%2e/v1/endpoints", "http://x/docs/../v1/endpoints"]) {
      const res = await get(target);
      expect([400, 401, 404], `${target} → ${res.status}`).toContain(res.status);
      expect(res.body, target).not.toContain('"data"');
    }
  });

  it("defaults to the site npm run docs-site builds from the repository catalog", () => {
    expect(defaultDocsDirectory()).toBe(fileURLToPath(new URL("../../../../catalog/dist/docs", import.meta.url)));
  });

  it("is left out of /openapi.json", async () => {
    const spec = (await server.api("GET", "/openapi.json", undefined, { authorization: null })).body as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths).filter((p) => p.startsWith("/docs"))).toEqual([]);
    expect(Object.keys(spec.paths).length).toBeGreaterThan(15);
  });
});
