/**
 * The consumer portal in Chromium: a tenant's customer opens a portal link (the one-time code leaves
 * the address bar at once), sees the provider's title and colour, adds an endpoint choosing event types
 * from the catalog, sees its signing secret once, sends a test event that a local receiver gets
 * correctly signed, replays it and sees the new attempt; editing the URL to another tenant's event
 * shows "not found" and none of its content. Only the session token is kept in the browser.
 */
import { createHmac } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  available,
  cspViolations,
  launch,
  openPage,
  screenshot,
  seriousA11yViolations,
  storedState,
  type Watched,
} from "./support/browser.js";
import { example } from "./support/catalog.js";
import { type Stack, startReceiver, startStack, waitFor } from "./support/stack.js";

let stack: Stack;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let browser: Browser;
let w: Watched;
let otherEventId: string;
let link: { url: string; code: string };
let secret = "";
let testEventId = "";

beforeAll(async () => {
  if (!available) return;
  receiver = await startReceiver();
  stack = await startStack({ portalTitle: "Acme Webhooks", portalColor: "#0a7d32" });
  // Another tenant's event and endpoint, which the portal must never show.
  await stack.api("POST", "/v1/endpoints", { url: `${receiver.url}/globex`, tenant: "globex", description: "Globex private endpoint" });
  const other = await stack.api("POST", "/v1/events", { type: "order.created", tenant: "globex", payload: example("order.created") });
  otherEventId = other.body.id;
  link = (await stack.api("POST", "/v1/portal-links", { tenant: "acme" })).body;
  browser = await launch();
  w = await openPage(browser);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await receiver?.close();
});

describe.skipIf(!available)("the consumer portal in Chromium", () => {
  it("exchanges the link's code for a session, removes the code from the URL and applies the branding", async () => {
    const { page } = w;
    await page.goto(link.url);
    await page.getByRole("heading", { name: "Endpoints" }).waitFor();
    expect(page.url()).not.toContain(link.code);
    expect(page.url()).toMatch(/\/ui\/portal#\/endpoints$/);
    expect(await page.title()).toBe("Acme Webhooks");
    expect(await page.locator("#brand-name").textContent()).toBe("Acme Webhooks");
    expect(await page.evaluate(() => getComputedStyle(document.querySelector("header.top") as Element).borderBottomColor)).toBe(
      "rgb(10, 125, 50)",
    );
    expect(await page.locator("#nav").textContent()).toContain("Tenant: acme");
    // Another tenant's endpoint is not listed.
    expect(await page.locator("main").textContent()).not.toContain("Globex");
    const stored = await storedState(page);
    expect(Object.keys(stored.session)).toEqual(["hookline.session"]);
    expect(stored.session["hookline.session"]).toMatch(/^hlt_/);
    expect(stored.local).toEqual({});
    expect(stored.cookies).toBe(0);
    await screenshot(page, "portal-endpoints");
    expect(await seriousA11yViolations(page)).toEqual([]);
    // The code is single-use: opening the link again says so.
    const again = await openPage(browser);
    await again.page.goto(link.url);
    await again.page.getByText("expired or was already used").waitFor();
    expect(again.page.url()).not.toContain(link.code);
    await again.context.close();
  });

  it("adds an endpoint with event types from the catalog and shows its secret once", async () => {
    const { page } = w;
    await page.getByRole("link", { name: "Add endpoint" }).first().click();
    expect(await page.getByLabel("Tenant").count()).toBe(0);
    await page.getByLabel("URL").fill(`${receiver.url}/acme`);
    await page.getByLabel("Description").fill("Acme order sync");
    await page.getByLabel("Every event type").uncheck();
    await page.getByRole("checkbox", { name: /^order\.created/ }).check();
    await screenshot(page, "portal-new-endpoint");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    secret = (await page.locator("#secret-value").textContent()) ?? "";
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole("button", { name: "Done, I stored it" }).click();
    await page.getByRole("button", { name: "Send test event" }).waitFor();
    expect(await page.content()).not.toContain(secret);
    const endpoints = await stack.api("GET", "/v1/endpoints?tenant=acme");
    expect(endpoints.body.data.map((e: { description: string; eventTypes: string[] }) => [e.description, e.eventTypes])).toEqual([
      ["Acme order sync", ["order.created"]],
    ]);
  });

  it("sends a test event that the local receiver gets, signed with that secret, then replays it", async () => {
    const { page } = w;
    await page.getByRole("button", { name: "Send test event" }).click();
    await page.getByRole("heading", { name: "order.created v1" }).waitFor();
    testEventId = page.url().split("/").pop() ?? "";
    const got = await waitFor(async () => receiver.received.find((r) => r.path === "/acme"), "the test event at the receiver");
    const [id, timestamp, signature] = [
      got.headers["webhook-id"],
      got.headers["webhook-timestamp"],
      String(got.headers["webhook-signature"]),
    ];
    const key = Buffer.from(secret.slice("whsec_".length), "base64");
    const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${got.body}`).digest("base64");
    expect(signature.split(" ")).toContain(`v1,${expected}`);
    expect(JSON.parse(got.body).type).toBe("order.created");
    await page.getByText("HTTP 200").waitFor();
    await page.getByRole("button", { name: "Replay to every endpoint" }).click();
    await page.getByText("Attempt 2").waitFor({ timeout: 10_000 });
    expect(receiver.received.filter((r) => r.path === "/acme")).toHaveLength(2);
    await screenshot(page, "portal-event");
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it("rotates the endpoint's secret and shows the new one once", async () => {
    const { page } = w;
    await page.getByRole("link", { name: "Endpoints" }).click();
    await page.getByRole("link", { name: `${receiver.url}/acme` }).click();
    await page.getByRole("button", { name: "Rotate secret" }).click();
    const rotated = (await page.locator("#secret-value").textContent()) ?? "";
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await page.getByRole("button", { name: "Done, I stored it" }).click();
    expect(await page.content()).not.toContain(rotated);
    expect(JSON.stringify(await storedState(page))).not.toContain(rotated);
    expect(stack.logs.join("")).not.toContain(rotated);
  });

  it("cannot reach another tenant's event by editing the URL", async () => {
    const { page } = w;
    await page.evaluate((id) => {
      location.hash = `#/events/${id}`;
    }, otherEventId);
    await page.getByRole("alert").waitFor();
    const text = (await page.locator("main").textContent()) ?? "";
    expect(text).toContain("No event with id");
    expect(text).not.toContain("ord_3kT9vQ2mNa");
    expect(text).not.toContain("globex");
    expect(w.httpErrors.every((e) => e.startsWith("404 GET /v1/events/"))).toBe(true);
    w.httpErrors.length = 0;
    // The lists stay the tenant's own: the events log holds only acme's test event.
    await page.getByRole("link", { name: "Events" }).click();
    await page.getByRole("link", { name: testEventId }).waitFor();
    expect(await page.getByRole("link", { name: otherEventId }).count()).toBe(0);
  });

  it("kept no secret anywhere and produced no error or CSP violation", async () => {
    const { page } = w;
    expect(JSON.stringify(await storedState(page))).not.toContain(secret);
    expect(await page.content()).not.toContain(secret);
    const logs = stack.logs.join("");
    expect(logs).not.toContain(secret);
    expect(logs).not.toContain(link.code);
    const token = (await storedState(page)).session["hookline.session"] ?? "";
    expect(logs).not.toContain(token);
    expect(await cspViolations(page)).toEqual([]);
    expect(w.problems).toEqual([]);
    expect(w.httpErrors).toEqual([]);
  });
});
