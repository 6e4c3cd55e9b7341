/**
 * The API reference page (/reference/): public, served entirely by this server (Swagger UI from the
 * swagger-ui-dist package, no CDN), and it renders every operation of /openapi.json in a real
 * browser whose every request to another origin is refused, i.e. offline.
 */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "../support/server.js";

const CHROMIUM = process.env["HOOKLINE_CHROMIUM"] ?? "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
if (!available && process.env["CI"])
  throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set HOOKLINE_CHROMIUM.`);

describe("GET /reference/", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ deps: { startWorker: false } });
  });
  afterAll(() => server.close());

  it("is public, with a strict policy, and loads only files of this server", async () => {
    const page = await server.api("GET", "/reference/", undefined, { authorization: null });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    const urls = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? "");
    expect(urls.sort()).toEqual(["favicon-32x32.png", "reference.js", "swagger-ui-bundle.js", "swagger-ui.css"]);
    for (const url of urls) {
      const asset = await fetch(`${server.url}/reference/${url}`);
      expect(asset.status, url).toBe(200);
      expect((await asset.arrayBuffer()).byteLength, url).toBeGreaterThan(0);
    }
    expect((await fetch(`${server.url}/reference`, { redirect: "manual" })).headers.get("location")).toBe("/reference/");
    const missing = await server.api("GET", "/reference/package.json", undefined, { authorization: null });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("not_found");
    // Not part of the API it documents.
    const doc = (await server.api("GET", "/openapi.json")).body;
    expect(Object.keys(doc.paths).filter((p) => p.startsWith("/reference"))).toEqual([]);
  });

  it.skipIf(!available)("renders every operation in Chromium with every other origin blocked", { timeout: 60_000 }, async () => {
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
      const page = await browser.newPage();
      const blocked: string[] = [];
      const problems: string[] = [];
      await page.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith(server.url) || url.startsWith("data:")) return route.continue();
        blocked.push(url);
        return route.abort();
      });
      page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(`console: ${message.text()}`);
      });
      await page.goto(`${server.url}/reference/`, { waitUntil: "load" });
      await page.waitForSelector(".opblock", { timeout: 30_000 });
      const doc = (await server.api("GET", "/openapi.json")).body;
      const operations = Object.values(doc.paths as Record<string, object>).reduce((n, ops) => n + Object.keys(ops).length, 0);
      // The operations, then the webhooks the server sends.
      expect(await page.locator(".opblock").count()).toBe(operations + Object.keys(doc.webhooks).length);
      expect(await page.locator(".opblock-summary-path", { hasText: "/v1/events" }).count()).toBeGreaterThan(0);
      expect(await page.locator(".title").first().textContent()).toContain("Hookline delivery server");
      expect(blocked).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await browser?.close();
    }
  });
});
