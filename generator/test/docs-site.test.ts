/**
 * `hookline docs`: the generated HTML of one event page is pinned (test/docs/order.shipped.html), catalog
 * text is always escaped, and the site lists every version with its computed changelog. The browser
 * checks (rendering, links, search, CSP) are in docs-browser.test.ts.
 */

import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { escapeHtml, richText } from "../src/docs/html.js";
import { renderDocs } from "../src/docs/build-docs.js";
import { main } from "../src/cli.js";
import { loadCatalog } from "../src/index.js";
import { FIXTURES, REAL_CATALOG, defSchema, eventSchema, removeTempDirs, tempDir, writeCatalog } from "./support/catalog.js";

afterAll(removeTempDirs);

describe("escaping", () => {
  it("escapes markup and quotes, and turns only backtick spans into <code>", () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;");
    expect(richText("Use `<b>bold</b>` or <i>x</i>")).toBe("Use <code>&lt;b&gt;bold&lt;/b&gt;</code> or &lt;i&gt;x&lt;/i&gt;");
    expect(richText("a lone ` stays")).toBe("a lone ` stays");
  });

  it("renders a description containing <script> as text on every page it appears", async () => {
    const hostile = `<script>alert(1)</script> "quoted" \`<img src=x onerror=alert(2)>\``;
    const dir = await writeCatalog({
      "events/orders/order.created.v1.json": eventSchema("events/orders/order.created.v1.json", {
        description: hostile,
        properties: { orderId: { description: hostile, type: "string", enum: ["</td><script>"] } },
        examples: [{ orderId: "</td><script>" }],
      }),
      "defs/money.json": defSchema("defs/money.json", { description: hostile }),
    });
    const files = renderDocs(await loadCatalog(dir), { title: "<script>t</script>" });
    for (const [file, content] of files) {
      if (!file.endsWith(".html")) continue;
      expect(content, file).not.toMatch(/<script>|<img|onerror=alert\(2\)>/);
      expect(content.match(/<script\b/g), file).toHaveLength(1); // the page's own script tag
    }
    const page = files.get("events/order.created.html") ?? "";
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; <code>&lt;img src=x onerror=alert(2)&gt;</code>");
    expect(page).toContain("&lt;/td&gt;&lt;script&gt;");
    // The search index is JSON read with textContent: it keeps the raw text, which the script never parses as HTML.
    expect(JSON.parse(files.get("search-index.json") ?? "{}").entries[0].summary).toContain("<script>");
  });
});

describe("every fixture catalog", () => {
  const fixtures = [
    "all-of-and-tuples",
    "enums-with-quotes",
    "features",
    "minimal",
    "nullable",
    "one-of",
    "pattern-properties",
    "recursion",
    "refs",
    "versions",
  ];
  it.each(fixtures)("%s: renders, and every $ref in a property table is a link to a definition page that exists", async (name) => {
    const files = renderDocs(await loadCatalog(path.join(FIXTURES, name, "catalog")));
    for (const [file, content] of files) {
      if (!file.endsWith(".html")) continue;
      // A $ref the site could not resolve would be printed as its text.
      expect(content, file).not.toMatch(/<td class="type">[^<]*<code>[^<]*(#|\.json)/);
      for (const [, target] of content.matchAll(/href="\.\.\/(definitions\/[^"#]+|events\/[^"#]+)"/g)) {
        expect(files.has(target as string), `${file} links to ${target}`).toBe(true);
      }
    }
  });
});

describe("the real catalog's site", () => {
  it("matches the pinned page of order.shipped (both versions, changelog, deprecation, SDK calls)", async () => {
    const files = renderDocs(await loadCatalog(REAL_CATALOG));
    const page = files.get("events/order.shipped.html") ?? "";
    await expect(page).toMatchFileSnapshot("docs/order.shipped.html");
    expect(page).toContain(`<section id="v2"`);
    expect(page).toContain(`<section id="v1"`);
    expect(page).toContain("<strong>Deprecated.</strong> Version 1");
    expect(page).toContain("<code>property-removed-from-closed-object</code>");
    expect(page).toContain(`sender.send(&quot;https://example.com/webhooks&quot;, &quot;order.shipped&quot;, {`);
    expect(page).toContain(`&quot;order.shipped&quot;: async (event, { id }) =&gt; {`);
    expect(page).toContain(`<a href="../definitions/Tracking.html">Tracking</a>`);
  });

  it("has one page per event type and per shared definition, an index with every domain, and a search index", async () => {
    const model = await loadCatalog(REAL_CATALOG);
    const files = renderDocs(model);
    const types = new Set(model.events.map((e) => e.type));
    for (const type of types) expect(files.has(`events/${type}.html`), type).toBe(true);
    for (const d of model.definitions) expect(files.has(`definitions/${d.typeName}.html`), d.typeName).toBe(true);
    const index = files.get("index.html") ?? "";
    for (const domain of new Set(model.events.map((e) => e.domain))) expect(index).toContain(`id="domain-${domain}"`);
    const search = JSON.parse(files.get("search-index.json") ?? "{}") as { entries: { name: string }[] };
    expect(search.entries.map((e) => e.name)).toEqual(expect.arrayContaining([...types]));
    // No inline script or style anywhere: the pages work under script-src 'self'; style-src 'self'.
    for (const [file, content] of files) {
      if (!file.endsWith(".html")) continue;
      expect(content, file).not.toMatch(/<style|\sstyle=|\son[a-z]+=|<script(?![^>]*\ssrc=)/);
    }
  });

  it("is written by `hookline docs --catalog --out` and refuses to replace a folder it did not build", async () => {
    const out = path.join(await tempDir(), "site");
    const lines: string[] = [];
    const io = { out: (s: string) => void lines.push(s), err: (s: string) => void lines.push(s) };
    expect(await main(["node", "hookline", "docs", "--catalog", REAL_CATALOG, "--out", out], io)).toBe(0);
    expect(lines.join("")).toMatch(/^docs → .*: \d+ pages, \d+ files \(\d+ ms\)\n$/);
    expect(await readFile(path.join(out, "events", "order.shipped.html"), "utf8")).toContain("order.shipped");
    // A rebuild replaces the earlier one.
    expect(await main(["node", "hookline", "docs", "--catalog", REAL_CATALOG, "--out", out], io)).toBe(0);

    const other = await writeCatalog({ "notes.txt": "mine" });
    lines.length = 0;
    expect(await main(["node", "hookline", "docs", "--catalog", REAL_CATALOG, "--out", other], io)).toBe(1);
    expect(lines.join("")).toContain("is not empty and is not a site built by hookline docs");
    expect(await readFile(path.join(other, "notes.txt"), "utf8")).toBe("mine");
  });
});
