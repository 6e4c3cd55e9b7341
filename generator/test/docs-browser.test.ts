/**
 * The docs site in a real browser: Debian's Chromium driven by playwright-core, the site built from the
 * real catalog and served over loopback HTTP. Every page renders without a console error, a page error
 * or a Content-Security-Policy violation; every internal link (and #anchor) resolves; search finds an
 * event by name and by a word of its description, from the keyboard. Screenshots of the index and one
 * event page, desktop and narrow, are taken on every run; `HOOKLINE_UPDATE_SCREENSHOTS=1` writes them
 * to test/screenshots/ for review (otherwise a temp folder, so a test run leaves the tree clean). Needs Chromium (HOOKLINE_CHROMIUM,
 * default /usr/bin/chromium): skipped without it, except in CI, where that is a failure.
 */

import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderDocs, writeDocs } from "../src/docs/build-docs.js";
import { loadCatalog } from "../src/index.js";
import { REAL_CATALOG, removeTempDirs, tempDir } from "./support/catalog.js";

const CHROMIUM = process.env.HOOKLINE_CHROMIUM ?? "/usr/bin/chromium";
const REVIEWED_SCREENSHOTS = fileURLToPath(new URL("./screenshots/", import.meta.url));
const available = existsSync(CHROMIUM);
if (!available && process.env.CI)
  throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set HOOKLINE_CHROMIUM.`);

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
};

let site: string;
let pages: string[];
let server: Server;
let origin: string;
let browser: Browser;

/** A static file server for the site folder; anything outside it or missing is a 404. */
function serve(root: string): Promise<Server> {
  const http = createServer(async (request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname);
    const file = path.join(root, pathname.endsWith("/") ? `${pathname}index.html` : pathname);
    if (!file.startsWith(root + path.sep)) return void response.writeHead(404).end();
    try {
      const body = await readFile(file);
      response.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => http.listen(0, "127.0.0.1", () => resolve(http)));
}

/** Console errors, uncaught errors and failed requests a page produces while `action` runs. */
async function problemsOf(page: Page, action: () => Promise<unknown>): Promise<string[]> {
  const problems: string[] = [];
  const onConsole = (m: { type(): string; text(): string }) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
  };
  const onPageError = (e: Error) => problems.push(`page error: ${e.message}`);
  // A 404 shows up as a console error; ERR_ABORTED is a load (the icon) cut short by the next navigation.
  const onFailed = (r: { url(): string; failure(): { errorText: string } | null }) => {
    if (r.failure()?.errorText !== "net::ERR_ABORTED") problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  };
  page.on("console", onConsole);
  page.on("pageerror", onPageError);
  page.on("requestfailed", onFailed);
  try {
    await action();
  } finally {
    page.off("console", onConsole);
    page.off("pageerror", onPageError);
    page.off("requestfailed", onFailed);
  }
  return problems;
}

beforeAll(async () => {
  if (!available) return;
  site = path.join(await tempDir("hookline-docs-"), "site");
  const files = renderDocs(await loadCatalog(REAL_CATALOG), { title: "Hookline webhook events" });
  pages = (await writeDocs(site, files)).filter((f) => f.endsWith(".html"));
  server = await serve(site);
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await removeTempDirs();
});

describe.skipIf(!available)("the docs site in Chromium", () => {
  it("renders every page without console errors, page errors or CSP violations, and every internal link resolves", async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    const broken: string[] = [];
    const ids = new Map<string, Set<string>>();
    const links = new Map<string, string>();
    for (const file of pages) {
      const url = `${origin}/${file}`;
      problems.push(
        ...(
          await problemsOf(page, async () => {
            const response = await page.goto(url, { waitUntil: "load" });
            expect(response?.status(), url).toBe(200);
            // The stylesheet applied (a CSP block would leave the default white-on-nothing layout).
            expect(await page.evaluate<string>(`getComputedStyle(document.querySelector("header.site")).display`)).toBe("flex");
          })
        ).map((p) => `${file}: ${p}`),
      );
      ids.set(url, new Set(await page.evaluate<string[]>(`[...document.querySelectorAll("[id]")].map((el) => el.id)`)));
      for (const href of await page.evaluate<string[]>(`[...document.querySelectorAll("a[href]")].map((a) => a.href)`)) {
        if (href.startsWith(origin)) links.set(href, file);
      }
    }
    for (const [href, from] of links) {
      const [target = "", anchor] = href.split("#");
      if (!ids.has(target)) {
        const status = (await page.request.get(target)).status();
        if (status !== 200) broken.push(`${from} → ${href} (${status})`);
        continue;
      }
      if (anchor !== undefined && anchor !== "" && !ids.get(target)?.has(decodeURIComponent(anchor)))
        broken.push(`${from} → ${href} (no #${anchor})`);
    }
    await page.close();
    expect(pages.length).toBeGreaterThan(30);
    expect(links.size).toBeGreaterThan(pages.length);
    expect(problems).toEqual([]);
    expect(broken).toEqual([]);
  });

  it("reports a CSP violation when a page breaks the policy (the check above can fail)", async () => {
    const bad = (await readFile(path.join(site, "index.html"), "utf8")).replace(
      "</main>",
      `<p style="color: red">x</p><script>document.title = "x"</script></main>`,
    );
    await writeFile(path.join(site, "csp-probe.html"), bad);
    const page = await browser.newPage();
    const problems = await problemsOf(page, () => page.goto(`${origin}/csp-probe.html`, { waitUntil: "load" }));
    await page.close();
    expect(problems.filter((p) => p.includes("Content Security Policy")).length).toBeGreaterThanOrEqual(2);
  });

  it("search finds an event by name and by a word of its description, from the keyboard", async () => {
    const page = await browser.newPage();
    const problems = await problemsOf(page, async () => {
      await page.goto(`${origin}/index.html`);
      await page.keyboard.press("/");
      await page.keyboard.type("order.shipped");
      await expect.poll(() => page.locator("#search-results a").first().textContent()).toMatch(/^order\.shipped/);
      // A word of its description, not of its name.
      await page.fill("#search-input", "");
      await page.keyboard.type("warehouse");
      await expect
        .poll(() => page.locator("#search-results a").allTextContents())
        .toEqual(expect.arrayContaining([expect.stringMatching(/^order\.shipped/)]));
      await page.fill("#search-input", "no-such-thing-anywhere");
      await expect.poll(() => page.locator("#search-status").textContent()).toBe("No results for no-such-thing-anywhere");
      await page.fill("#search-input", "");
      await page.keyboard.type("order.shipped");
      await expect.poll(() => page.locator("#search-results a").count()).toBeGreaterThan(0);
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("Enter");
      await page.waitForURL(`${origin}/events/order.shipped.html`);
    });
    await page.close();
    expect(problems).toEqual([]);
  });

  it("saves screenshots of the index and an event page, desktop and narrow", async () => {
    const folder = process.env.HOOKLINE_UPDATE_SCREENSHOTS === "1" ? REVIEWED_SCREENSHOTS : await tempDir();
    await mkdir(folder, { recursive: true });
    for (const [name, width, height] of [
      ["desktop", 1280, 900],
      ["narrow", 390, 844],
    ] as const) {
      const page = await browser.newPage({ viewport: { width, height } });
      for (const [file, shot] of [
        ["index.html", "index"],
        ["events/order.shipped.html", "order.shipped"],
      ] as const) {
        await page.goto(`${origin}/${file}`);
        const png = await page.screenshot({ path: path.join(folder, `${shot}-${name}.png`), fullPage: true });
        expect(png.subarray(1, 4).toString("latin1"), `${file} at ${width}px is a PNG`).toBe("PNG");
        // Readable at narrow widths: nothing wider than the viewport but the scrollable code and table boxes.
        const overflow = await page.evaluate<number>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        expect(overflow, `${file} at ${width}px`).toBeLessThanOrEqual(0);
      }
      await page.close();
    }
  });
});
