/**
 * The operator dashboard in Chromium against a real server on SQLite with real deliveries: the page is
 * served with the strict CSP; sign in with the admin key; a failed delivery is found among the dead
 * letters, its response body read, replayed, and the new attempt arrives without a reload; new events
 * appear live on the event log; endpoints can be added, disabled and enabled; the catalog sends a test
 * event. Each main page is screenshotted and checked with axe-core; no console error, page error or CSP
 * violation happens anywhere; the browser keeps only the session token; logs hold no credential.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  available,
  cspViolations,
  launch,
  openPage,
  screenshot,
  seriousA11yViolations,
  signIn,
  storedState,
  type Watched,
} from "./support/browser.js";
import { API_KEY, type Stack, startReceiver, startStack, waitFor } from "./support/stack.js";
import { example } from "./support/catalog.js";

let stack: Stack;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let browser: Browser;
let w: Watched;
let failingEndpoint: { id: string; secret: string };
let failedEventId: string;

beforeAll(async () => {
  if (!available) return;
  // /flaky fails twice (the first attempt and its one retry: a dead letter), then accepts.
  receiver = await startReceiver((path, n) =>
    path === "/flaky" && (n < 2 || receiver.failing.has(path))
      ? {
          status: 503,
          body: JSON.stringify({ error: "warehouse offline", attempt: n + 1 }),
          headers: { "content-type": "application/json", "retry-after": "1" },
        }
      : { status: 204 },
  );
  stack = await startStack();
  const created = await stack.api("POST", "/v1/endpoints", {
    url: `${receiver.url}/flaky`,
    description: "Warehouse sync",
    eventTypes: ["order.created"],
  });
  failingEndpoint = created.body;
  const sent = await stack.api("POST", "/v1/events", { type: "order.created", payload: example("order.created") });
  failedEventId = sent.body.id;
  await waitFor(async () => {
    const event = await stack.api("GET", `/v1/events/${failedEventId}`);
    return event.body.deliveries[0]?.status === "failed";
  }, "the delivery to fail twice and become a dead letter");
  browser = await launch();
  w = await openPage(browser);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await receiver?.close();
});

describe.skipIf(!available)("the operator dashboard in Chromium", () => {
  it("is served at /ui/ with the strict CSP and security headers, and / redirects there", async () => {
    const response = await w.page.goto(`${stack.url}/`);
    expect(w.page.url()).toBe(`${stack.url}/ui/`);
    const headers = response?.headers() ?? {};
    expect(headers["content-security-policy"]).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    );
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("no-referrer");
    await w.page.locator("#credential").waitFor();
    await screenshot(w.page, "sign-in");
    expect(await seriousA11yViolations(w.page)).toEqual([]);
  });

  it("refuses a wrong key with a message that says what to paste", async () => {
    await w.page.locator("#credential").fill("not-the-key-at-all");
    await w.page.locator("#credential").press("Enter");
    await expect.poll(() => w.page.locator(".sign-in [role=alert]").textContent()).toContain("did not accept");
    expect(w.httpErrors).toEqual(["401 GET /v1/me"]);
    w.httpErrors.length = 0;
  });

  it("signs in with the admin key and lists endpoints with their state", async () => {
    await signIn(w.page, stack.url, API_KEY);
    await w.page.getByRole("link", { name: `${receiver.url}/flaky` }).waitFor();
    const text = (await w.page.locator("main").textContent()) ?? "";
    expect(text).toContain("Warehouse sync");
    // Health: both attempts so far failed, and the last error is the receiver's 503.
    expect(text).toContain("0 % of 2");
    expect(text).toMatch(/503/);
    await screenshot(w.page, "endpoints");
    expect(await seriousA11yViolations(w.page)).toEqual([]);
  });

  it("finds the failed delivery, reads the receiver's response body, replays it and sees the new attempt arrive", async () => {
    const { page } = w;
    await page.evaluate(() => Object.assign(window, { __sameDocument: true }));
    await page.getByRole("link", { name: "Dead letters" }).click();
    await page.getByRole("link", { name: failedEventId }).waitFor();
    await screenshot(page, "dead-letters");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole("link", { name: failedEventId }).click();
    await page.getByRole("heading", { name: "order.created v1" }).waitFor();
    // The last failed attempt is open: its status and response body, as the receiver sent it.
    await expect.poll(() => page.locator("main").textContent()).toContain("HTTP 503");
    expect(await page.locator("pre[aria-label='Response body']").last().textContent()).toContain('"error": "warehouse offline"');
    // What was sent (the signature redacted by the server) and what came back.
    const detail = (await page.locator("main").textContent()) ?? "";
    expect(detail).toContain("retry-after");
    expect(detail).toMatch(/webhook-signature\s*v1,<redacted>/);
    await screenshot(page, "event");
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByRole("button", { name: `Replay to ${failingEndpoint.id}` }).click();
    await page.getByText("HTTP 204").waitFor({ timeout: 10_000 });
    expect(await page.locator("main").textContent()).toContain("Attempt 3");
    expect(await page.locator("td .badge").first().textContent()).toBe("delivered");
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    expect(receiver.received.filter((r) => r.path === "/flaky")).toHaveLength(3);
  });

  it("shows new events on the event log as they arrive, without reloading", async () => {
    const { page } = w;
    await page.getByRole("link", { name: "Events", exact: true }).click();
    await page.getByRole("link", { name: failedEventId }).waitFor();
    await page.evaluate(() => Object.assign(window, { __sameDocument: true }));
    const sent = await stack.api("POST", "/v1/events", { type: "order.created", payload: example("order.created") });
    await page.getByRole("link", { name: sent.body.id }).waitFor({ timeout: 10_000 });
    expect(await page.locator("[role=status].live").textContent()).toContain("new event");
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    await screenshot(page, "events");
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it("adds an endpoint, shows its secret once, disables and enables it", async () => {
    const { page } = w;
    await page.getByRole("link", { name: "Endpoints" }).click();
    await page.getByRole("link", { name: "Add endpoint" }).first().click();
    await page.getByLabel("URL").fill(`${receiver.url}/new`);
    await page.getByLabel("Description").fill("Added in the browser");
    await page.getByLabel("Every event type").uncheck();
    await page.getByRole("checkbox", { name: /^order\.shipped/ }).check();
    await screenshot(page, "endpoint-new");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await page.locator("#secret-value, .notice-error").first().waitFor();
    expect(await page.locator(".notice-error").count(), (await page.locator("#notices").textContent()) ?? "").toBe(0);
    const secret = (await page.locator("#secret-value").textContent()) ?? "";
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole("button", { name: "Done, I stored it" }).click();
    await page.getByRole("button", { name: "Disable" }).waitFor();
    // Once dismissed, the secret is nowhere in the page, the browser's storage or the server's logs.
    expect(await page.content()).not.toContain(secret);
    const listed = await stack.api("GET", "/v1/endpoints");
    const added = listed.body.data.find((e: { description: string }) => e.description === "Added in the browser");
    expect(added.eventTypes).toEqual(["order.shipped"]);
    await page.getByRole("button", { name: "Disable" }).click();
    await page.getByRole("button", { name: "Enable" }).waitFor();
    expect((await stack.api("GET", `/v1/endpoints/${added.id}`)).body.disabled).toBe(true);
    await screenshot(page, "endpoint");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Enable" }).click();
    await page.getByRole("button", { name: "Disable" }).waitFor();
    expect((await stack.api("GET", `/v1/endpoints/${added.id}`)).body.disabled).toBe(false);
    expect(JSON.stringify(await storedState(page))).not.toContain(secret);
    expect(stack.logs.join("")).not.toContain(secret);
  });

  it("shows the catalog with schema and example, and sends a test event from it", async () => {
    const { page } = w;
    await page.getByRole("link", { name: "Event types" }).click();
    await page.getByRole("link", { name: "order.shipped" }).click();
    await page.getByRole("heading", { name: "Schema" }).waitFor();
    expect(await page.locator("pre[aria-label='Example 1']").textContent()).toContain('"orderId"');
    await screenshot(page, "catalog");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Send test event" }).click();
    await page.getByRole("heading", { name: /^order\.shipped v/ }).waitFor();
    await waitFor(
      async () => receiver.received.some((r) => r.path === "/new" && r.body.includes('"order.shipped"')),
      "the test event at the new endpoint",
    );
    // The event log filtered by type (kept in the URL) lists it and not the order.created events.
    const shippedId = page.url().split("/").pop() ?? "";
    await page.getByRole("link", { name: "Events", exact: true }).click();
    await page.getByLabel("Type").selectOption("order.shipped");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/#\/events\?type=order\.shipped$/);
    await page.getByRole("link", { name: shippedId }).waitFor();
    expect(await page.getByRole("link", { name: failedEventId }).count()).toBe(0);
  });

  it("replays selected dead letters in one go", async () => {
    const { page } = w;
    const sent = await Promise.all(
      [1, 2].map(() => stack.api("POST", "/v1/events", { type: "order.created", payload: example("order.created") })),
    );
    const ids = sent.map((s) => s.body.id as string);
    receiver.failing.add("/flaky");
    await waitFor(async () => {
      const failed = await stack.api("GET", `/v1/deliveries?status=failed&endpointId=${failingEndpoint.id}`);
      return ids.every((id) => failed.body.data.some((d: { eventId: string }) => d.eventId === id));
    }, "two more dead letters");
    receiver.failing.delete("/flaky");
    await page.getByRole("link", { name: "Dead letters" }).click();
    for (const id of ids) await page.getByRole("checkbox", { name: `Select ${id} to ${failingEndpoint.id}` }).check();
    await page.getByRole("button", { name: "Replay selected" }).click();
    await waitFor(async () => {
      const events = await Promise.all(ids.map((id) => stack.api("GET", `/v1/events/${id}`)));
      return events.every((e) => e.body.deliveries[0].status === "delivered");
    }, "the selected dead letters to be delivered");
    // The list follows by itself: the replayed ones leave it.
    await waitFor(async () => (await page.getByRole("link", { name: ids[0] ?? "" }).count()) === 0, "the dead-letter list to refresh");
  });

  it("recovers an endpoint's dead letters since a time", async () => {
    const { page } = w;
    const sent = await stack.api("POST", "/v1/events", { type: "order.created", payload: example("order.created") });
    receiver.failing.add("/flaky");
    await waitFor(async () => {
      const failed = await stack.api("GET", `/v1/deliveries?status=failed&eventId=${sent.body.id}`);
      return failed.body.data.length === 1;
    }, "a new dead letter");
    receiver.failing.delete("/flaky");
    await page.goto(`${stack.url}/ui/#/dead-letters?endpointId=${failingEndpoint.id}`);
    await page.getByRole("link", { name: sent.body.id }).waitFor();
    // An hour ago, as the viewer's datetime-local input takes it (their zone, minutes).
    const anHourAgo = await page.evaluate(() => {
      const d = new Date(Date.now() - 3600_000);
      const pad = (n: number) => String(n).padStart(2, "0");
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
    });
    await page.getByLabel("Events since").fill(anHourAgo);
    await page.getByRole("button", { name: "Recover" }).click();
    await page.getByText("1 failed delivery queued again.").waitFor();
    await waitFor(
      async () => (await stack.api("GET", `/v1/events/${sent.body.id}`)).body.deliveries[0].status === "delivered",
      "the recovered delivery to be delivered",
    );
  });

  it("gives a read-only token a dashboard without write controls", async () => {
    const token = (await stack.api("POST", "/v1/tokens", { access: "read", description: "viewer" })).body.token as string;
    const viewer = await openPage(browser);
    await signIn(viewer.page, stack.url, token);
    expect(await viewer.page.locator("#nav").textContent()).toContain("read only");
    await viewer.page.getByRole("link", { name: `${receiver.url}/flaky` }).waitFor();
    expect(await viewer.page.getByRole("link", { name: "Add endpoint" }).count()).toBe(0);
    await viewer.page.goto(`${stack.url}/ui/#/events/${failedEventId}`);
    await viewer.page.getByRole("heading", { name: "Payload" }).waitFor();
    expect(await viewer.page.getByRole("button", { name: /Replay/ }).count()).toBe(0);
    await viewer.page.goto(`${stack.url}/ui/#/endpoints/${failingEndpoint.id}`);
    await viewer.page.getByRole("heading", { name: "Latest attempts" }).waitFor();
    expect(await viewer.page.getByRole("button", { name: /Disable|Rotate secret|Send test event/ }).count()).toBe(0);
    expect(viewer.problems).toEqual([]);
    expect(viewer.httpErrors).toEqual([]);
    await viewer.context.close();
  });

  it("paints the first page fast", async () => {
    const fresh = await openPage(browser);
    await fresh.page.goto(`${stack.url}/ui/`);
    await fresh.page.locator("#credential").waitFor();
    const paint = await fresh.page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? -1);
    // Loopback, no cache, a shared CI machine: generous, but a blocking waterfall of module loads would show.
    expect(paint).toBeGreaterThan(0);
    expect(paint).toBeLessThan(2500);
    console.log(`first contentful paint of /ui/: ${Math.round(paint)} ms`);
    await fresh.context.close();
  });

  it("stays readable at a narrow width, and is keyboard navigable", async () => {
    const narrow = await openPage(browser, { width: 380, height: 800 });
    await signIn(narrow.page, stack.url, API_KEY);
    await narrow.page.goto(`${stack.url}/ui/#/events/${failedEventId}`);
    await narrow.page.getByRole("heading", { name: "Payload" }).waitFor();
    const overflowing = await narrow.page.evaluate(() =>
      [...document.querySelectorAll("body *")]
        .filter(
          (e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5 && !e.closest(".table-wrap, pre, thead"),
        )
        .map((e) => `${e.tagName}.${e.className}`),
    );
    expect(overflowing).toEqual([]);
    expect(
      await narrow.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    ).toBeLessThanOrEqual(0);
    await screenshot(narrow.page, "event-narrow");
    // Tab from the top: the skip link first, then the navigation; Enter follows a link.
    await narrow.page.reload();
    await narrow.page.getByRole("heading", { name: "Payload" }).waitFor();
    await narrow.page.keyboard.press("Tab");
    expect(await narrow.page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    await narrow.page.keyboard.press("Tab");
    expect(await narrow.page.evaluate(() => document.activeElement?.textContent)).toBe("Endpoints");
    await narrow.page.keyboard.press("Enter");
    await narrow.page.getByRole("heading", { name: "Endpoints" }).waitFor();
    expect(await narrow.page.evaluate(() => document.activeElement?.id)).toBe("page-title");
    expect(narrow.problems).toEqual([]);
    await narrow.context.close();
  });

  it("shows times in the viewer's zone, keeps only the session token, and produced no error or CSP violation", async () => {
    const { page } = w;
    await page.goto(`${stack.url}/ui/#/events/${failedEventId}`);
    await page.getByRole("heading", { name: "Payload" }).waitFor();
    // The context runs in Pacific/Auckland: times carry that zone's abbreviation (NZDT/NZST), not UTC.
    expect(await page.locator("main time").first().textContent()).toMatch(/NZ[DS]T|GMT\+1[23]/);
    expect(await storedState(page)).toEqual({ session: { "hookline.session": API_KEY }, local: {}, cookies: 0 });
    expect(page.url()).not.toContain(API_KEY);
    expect(await page.content()).not.toContain(API_KEY);
    expect(await cspViolations(page)).toEqual([]);
    expect(w.problems).toEqual([]);
    expect(w.httpErrors).toEqual([]);
    expect(stack.logs.join("")).not.toContain(API_KEY);
    expect(stack.logs.join("")).not.toContain(failingEndpoint.secret);
  });
});
