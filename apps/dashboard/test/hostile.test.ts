/**
 * Hostile content in a real browser: script-injection strings in an event payload (and its metadata
 * keys), a receiver's response body and headers, an endpoint's description and metadata. Every page that
 * shows them renders them as text: no element is created from them, no inline handler exists anywhere,
 * and the flag the injected code would set stays unset.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { available, cspViolations, launch, openPage, screenshot, signIn, type Watched } from "./support/browser.js";
import { example } from "./support/catalog.js";
import { API_KEY, type Stack, startReceiver, startStack, waitFor } from "./support/stack.js";

const INJECTIONS = [
  `<img src=x onerror="window.__pwned='img'">`,
  `<script>window.__pwned='script'</script>`,
  `<svg onload="window.__pwned='svg'"></svg>`,
  `<a href="javascript:window.__pwned='href'">open</a>`,
  `</pre><iframe srcdoc="<script>parent.__pwned='iframe'</script>"></iframe>`,
  `"><style>body{display:none}</style>`,
];
const HOSTILE = INJECTIONS.join(" ");

let stack: Stack;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let browser: Browser;
let w: Watched;
let endpointId: string;
let eventId: string;

beforeAll(async () => {
  if (!available) return;
  receiver = await startReceiver(() => ({
    status: 500,
    body: `${HOSTILE} javascript:alert(1)`,
    headers: { "content-type": "text/html", "x-evil": "<script>window.__pwned='header'</script>" },
  }));
  stack = await startStack({ retrySchedule: [] });
  const endpoint = await stack.api("POST", "/v1/endpoints", {
    url: `${receiver.url}/hostile`,
    description: HOSTILE,
    metadata: { note: HOSTILE, [`<img src=x onerror="window.__pwned='key'">`]: "value" },
  });
  endpointId = endpoint.body.id;
  const payload = example("order.created");
  (payload.lineItems as { name: string }[])[0] = {
    ...(payload.lineItems as { name: string }[])[0],
    name: `${INJECTIONS[0]}${INJECTIONS[1]}`,
  } as { name: string };
  payload.metadata = { [`<script>window.__pwned='payload-key'</script>`]: HOSTILE };
  const sent = await stack.api("POST", "/v1/events", { type: "order.created", payload });
  expect(sent.status, JSON.stringify(sent.body)).toBe(202);
  eventId = sent.body.id;
  await waitFor(
    async () => (await stack.api("GET", `/v1/events/${eventId}`)).body.deliveries[0]?.status === "failed",
    "the delivery to fail",
  );
  browser = await launch();
  w = await openPage(browser);
  await signIn(w.page, stack.url, API_KEY);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await receiver?.close();
});

/** Nothing the injections would create exists, no element carries an inline handler, and the flag is unset. */
async function assertInert(page: Page, where: string): Promise<void> {
  const found = await page.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: string }).__pwned ?? null,
    elements: [...document.querySelectorAll("main img, main script, main svg, main iframe, main style")].map((e) => e.outerHTML),
    handlers: [...document.querySelectorAll("*")].flatMap((e) =>
      [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${e.tagName} ${a.name}`),
    ),
    scriptLinks: [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href") ?? "").filter((h) => !/^(#|https?:)/.test(h)),
    visible: getComputedStyle(document.body).display,
  }));
  expect(found, where).toEqual({ pwned: null, elements: [], handlers: [], scriptLinks: [], visible: "block" });
}

describe.skipIf(!available)("hostile content in Chromium", () => {
  it("shows an endpoint's hostile description and metadata as text, in the list and on its page", async () => {
    const { page } = w;
    await page.getByRole("heading", { name: "Endpoints" }).waitFor();
    expect(await page.locator("main").textContent()).toContain(INJECTIONS[0]);
    await assertInert(page, "endpoints list");
    await page.getByRole("link", { name: `${receiver.url}/hostile` }).click();
    await page.getByRole("heading", { name: "Metadata" }).waitFor();
    const text = (await page.locator("main").textContent()) ?? "";
    for (const injection of INJECTIONS) expect(text).toContain(injection);
    expect(await page.locator("pre[aria-label='Endpoint metadata']").textContent()).toContain(
      `"<img src=x onerror=\\"window.__pwned='key'\\">": "value"`,
    );
    await assertInert(page, "endpoint page");
  });

  it("shows a hostile payload, response body and response header as text on the event page", async () => {
    const { page } = w;
    await page.goto(`${stack.url}/ui/#/events/${eventId}`);
    await page.getByText("HTTP 500").waitFor();
    const payload = (await page.locator("pre[aria-label='Event payload']").textContent()) ?? "";
    expect(payload).toContain(JSON.stringify(`${INJECTIONS[0]}${INJECTIONS[1]}`));
    expect(payload).toContain(JSON.stringify(HOSTILE));
    expect(payload).toContain("<script>window.__pwned='payload-key'</script>");
    expect(await page.locator("pre[aria-label='Response body']").textContent()).toContain(`${HOSTILE} javascript:alert(1)`);
    expect(await page.locator("main").textContent()).toContain("<script>window.__pwned='header'</script>");
    await screenshot(page, "hostile-event");
    await assertInert(page, "event page");
  });

  it("keeps them inert on the dead letters and event log too, with no CSP violation", async () => {
    const { page } = w;
    await page.getByRole("link", { name: "Dead letters" }).click();
    await page.getByRole("link", { name: eventId }).waitFor();
    await assertInert(page, "dead letters");
    await page.getByRole("link", { name: "Events", exact: true }).click();
    await page.getByRole("link", { name: eventId }).waitFor();
    await assertInert(page, "events");
    expect(await cspViolations(page)).toEqual([]);
    expect(w.problems).toEqual([]);
    expect(w.httpErrors).toEqual([]);
    expect(endpointId).toMatch(/^ep_/);
  });
});
