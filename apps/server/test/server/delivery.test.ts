import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFaultReceiver, type FaultReceiver, type ReceivedRequest } from "../support/fault-receiver.js";
import { example, header, startServer, waitUntil, type TestServer } from "../support/server.js";

/** Verifies a received request with the official Standard Webhooks library; throws when it does not verify. */
function verifyOfficial(secret: string, req: ReceivedRequest): unknown {
  return new Webhook(secret).verify(req.body, {
    "webhook-id": header(req, "webhook-id"),
    "webhook-timestamp": header(req, "webhook-timestamp"),
    "webhook-signature": header(req, "webhook-signature"),
  });
}

async function deliveryOf(
  server: TestServer,
  eventId: string,
): Promise<{ status: string; attempts: number; failureReason: string | null; nextAttemptAt: string | null }> {
  const res = await server.api("GET", `/v1/events/${eventId}`);
  return res.body.deliveries[0];
}

describe("delivery", () => {
  let server: TestServer;
  let receiver: FaultReceiver;

  beforeAll(async () => {
    receiver = await startFaultReceiver();
    server = await startServer({ config: { retrySchedule: [20, 40, 80], requestTimeoutMs: 400, leaseMs: 5400, responseBodyLimit: 1024 } });
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  const endpoint = async (path: string, extra: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> => {
    const res = await server.api("POST", "/v1/endpoints", {
      url: `${receiver.url}${path}`,
      eventTypes: ["order.created"],
      tenant: path.replaceAll("/", "_").slice(1),
      ...extra,
    });
    expect(res.status, res.text).toBe(201);
    return res.body;
  };
  const send = async (tenant: string, type = "order.created"): Promise<string> => {
    const res = await server.api("POST", "/v1/events", { type, payload: example(type), tenant });
    expect(res.status, res.text).toBe(202);
    return res.body.id;
  };
  const hits = (path: string): ReceivedRequest[] => receiver.requests.filter((r) => r.path === path);

  it("retries failures, then succeeds; every attempt is signed and verifies with the official library", async () => {
    receiver.script("/retry", [{ status: 500, body: "boom" }, { reset: true }, { status: 200, body: "thanks" }]);
    const ep = await endpoint("/retry");
    const id = await send("retry");
    await receiver.waitFor(() => hits("/retry").length >= 3);
    const d = await waitUntil(async () => {
      const x = await deliveryOf(server, id);
      return x.status === "delivered" ? x : undefined;
    });
    expect(d).toMatchObject({ status: "delivered", attempts: 3, nextAttemptAt: null });

    const requests = hits("/retry");
    for (const req of requests) {
      expect(req.method).toBe("POST");
      expect(header(req, "content-type")).toBe("application/json");
      expect(header(req, "user-agent")).toMatch(/^Hookline\/\d+\.\d+\.\d+/);
      expect(header(req, "webhook-id")).toBe(id);
      expect(verifyOfficial(ep.secret, req)).toMatchObject({ type: "order.created" });
    }
    // Signed per attempt: the signature changes exactly when the (second-resolution) timestamp does.
    const stamps = requests.map((r) => header(r, "webhook-timestamp"));
    expect(new Set(requests.map((r) => header(r, "webhook-signature"))).size).toBe(new Set(stamps).size);

    const attempts = await server.api("GET", `/v1/events/${id}/attempts`);
    expect(attempts.body.data.map((a: { status: string }) => a.status)).toEqual(["succeeded", "failed", "failed"]);
    const [ok, reset, boom] = attempts.body.data;
    expect(ok).toMatchObject({ statusCode: 200, responseBody: "thanks", endpointId: ep.id, eventId: id });
    expect(reset).toMatchObject({ statusCode: null, error: { code: "connection_reset" } });
    expect(boom).toMatchObject({ statusCode: 500, responseBody: "boom", error: { code: "http_status" } });
    expect(typeof boom.durationMs).toBe("number");
    const byEndpoint = await server.api("GET", `/v1/endpoints/${ep.id}/attempts`);
    expect(byEndpoint.body.data.map((a: { id: string }) => a.id)).toEqual(attempts.body.data.map((a: { id: string }) => a.id));
  });

  it("dead-letters a delivery when the schedule is exhausted (1 + 3 retries)", async () => {
    receiver.script("/exhaust", [{ status: 503 }]);
    await endpoint("/exhaust");
    const id = await send("exhaust");
    const d = await waitUntil(async () => {
      const x = await deliveryOf(server, id);
      return x.status === "failed" ? x : undefined;
    });
    expect(d.attempts).toBe(4);
    expect(d.failureReason).toMatch(/retries exhausted after 4 attempts/);
    expect(hits("/exhaust")).toHaveLength(4);
  });

  it("keeps fan-out deliveries independent: a failing endpoint never re-sends to a healthy one", async () => {
    receiver.script("/indep/bad", [{ status: 500 }]);
    await endpoint("/indep/bad", { tenant: "indep" });
    await endpoint("/indep/good", { tenant: "indep" });
    const id = await send("indep");
    await receiver.waitFor(() => hits("/indep/bad").length >= 4);
    await new Promise((r) => setTimeout(r, 100));
    expect(hits("/indep/good").map((r) => header(r, "webhook-id"))).toEqual([id]);
  });

  it("does not follow redirects: a 307 is a failed attempt and the target is never visited", async () => {
    receiver.script("/redirect", [{ redirect: { status: 307, location: `${receiver.url}/redirect-target` } }]);
    await endpoint("/redirect");
    const id = await send("redirect");
    await waitUntil(async () => (await deliveryOf(server, id)).status === "failed");
    expect(hits("/redirect-target")).toHaveLength(0);
    const attempts = await server.api("GET", `/v1/events/${id}/attempts`);
    expect(attempts.body.data[0]).toMatchObject({ status: "failed", statusCode: 307, error: { code: "redirect_not_followed" } });
  });

  it.each([
    ["a hanging server", { hang: true as const }],
    ["slow headers", { slowHeadersMs: 2000 }],
    ["a slow-drip body", { dripBody: { chunk: "x", everyMs: 50, totalBytes: 1000 } }],
  ])("records a timeout for %s", async (name, step) => {
    const path = `/timeout-${name.replaceAll(" ", "-")}`;
    receiver.script(path, [step]);
    await endpoint(path, { tenant: `t-${name.replaceAll(" ", "-")}` });
    const id = await send(`t-${name.replaceAll(" ", "-")}`);
    const attempt = await waitUntil(async () => (await server.api("GET", `/v1/events/${id}/attempts`)).body.data[0], 3000, "an attempt");
    expect(attempt).toMatchObject({ status: "failed", error: { code: "timeout" } });
    expect(attempt.durationMs).toBeGreaterThanOrEqual(350);
    expect(attempt.durationMs).toBeLessThan(1500);
  });

  it("stores only the first bytes of a huge response body", async () => {
    receiver.script("/huge", [{ hugeBody: { bytes: 50 * 1024 * 1024 }, status: 200 }]);
    await endpoint("/huge");
    const id = await send("huge");
    const attempt = await waitUntil(async () => (await server.api("GET", `/v1/events/${id}/attempts`)).body.data[0], 5000, "an attempt");
    expect(attempt.status).toBe("succeeded");
    expect(attempt.responseBody.length).toBeLessThanOrEqual(1024);
    expect(attempt.responseBody.length).toBeGreaterThan(0);
  });

  it("honours Retry-After on 429 within the bounds, and ignores an invalid one", async () => {
    receiver.script("/retry-after", [{ status: 429, retryAfter: "1" }, { status: 200 }]);
    await endpoint("/retry-after");
    await send("retry-after");
    await receiver.waitFor(() => hits("/retry-after").length >= 2, 4000);
    const [first, second] = hits("/retry-after");
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(950);

    receiver.script("/retry-after-bad", [{ status: 503, retryAfter: "soon-ish" }, { status: 200 }]);
    await endpoint("/retry-after-bad");
    await send("retry-after-bad");
    await receiver.waitFor(() => hits("/retry-after-bad").length >= 2, 4000);
    const [a, b] = hits("/retry-after-bad");
    expect((b?.receivedAt ?? 0) - (a?.receivedAt ?? 0)).toBeLessThan(800);
  });

  it("disables an endpoint on 410 Gone and keeps its deliveries; re-enabling and recover deliver them", async () => {
    receiver.script("/gone", [{ status: 410 }, { status: 200 }]);
    const ep = await endpoint("/gone");
    const since = new Date(Date.now() - 1000).toISOString();
    const first = await send("gone");
    await waitUntil(async () => (await server.api("GET", `/v1/endpoints/${ep.id}`)).body.disabled === true);
    const disabled = await server.api("GET", `/v1/endpoints/${ep.id}`);
    expect(disabled.body.disabledReason).toMatch(/410/);
    await new Promise((r) => setTimeout(r, 300));
    // The delivery waits (pending, not dropped) while the endpoint is disabled.
    expect(await deliveryOf(server, first)).toMatchObject({ status: "pending", attempts: 1 });
    expect(hits("/gone")).toHaveLength(1);
    // Events accepted meanwhile are kept as dead letters for recover.
    const second = await send("gone");
    expect(await deliveryOf(server, second)).toMatchObject({ status: "failed", attempts: 0 });
    const list = await server.api("GET", "/v1/endpoints?disabled=true&tenant=gone");
    expect(list.body.data.map((e: { id: string }) => e.id)).toEqual([ep.id]);

    const enabled = await server.api("PATCH", `/v1/endpoints/${ep.id}`, { disabled: false });
    expect(enabled.body).toMatchObject({ disabled: false, disabledReason: null });
    await waitUntil(async () => (await deliveryOf(server, first)).status === "delivered");
    const recovered = await server.api("POST", `/v1/endpoints/${ep.id}/recover`, { since });
    expect(recovered.status).toBe(202);
    expect(recovered.body).toEqual({ recovered: 1 });
    await waitUntil(async () => (await deliveryOf(server, second)).status === "delivered");
    expect(hits("/gone").map((r) => header(r, "webhook-id"))).toEqual([first, first, second]);
  });
});

describe("endpoint health over time (injected clock)", () => {
  let server: TestServer;
  let receiver: FaultReceiver;
  let offset = 0;
  const DAY = 86_400_000;

  beforeAll(async () => {
    receiver = await startFaultReceiver();
    server = await startServer({
      config: { retrySchedule: Array.from({ length: 40 }, () => 30), disableAfterMs: DAY },
      deps: { now: () => Date.now() + offset },
    });
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  it("disables an endpoint that fails continuously for the configured time; a success resets the clock", async () => {
    let failing = true;
    receiver.script("/flaky", () => (failing ? { status: 500 } : { status: 200 }));
    const res = await server.api("POST", "/v1/endpoints", { url: `${receiver.url}/flaky`, eventTypes: ["order.created"] });
    const ep = res.body.id as string;
    const count = (): number => receiver.requests.filter((r) => r.path === "/flaky").length;
    const sendOne = async (): Promise<string> =>
      (await server.api("POST", "/v1/events", { type: "order.created", payload: example("order.created") })).body.id;

    await sendOne();
    await receiver.waitFor(() => count() >= 2);
    offset += 0.75 * DAY;
    failing = false; // the retry succeeds: the failing run is over
    await waitUntil(async () => (await server.api("GET", `/v1/events?limit=1`)).status === 200 && count() >= 3);
    await new Promise((r) => setTimeout(r, 100));
    failing = true;
    await sendOne();
    const before = count();
    await receiver.waitFor(() => count() >= before + 2);
    offset += 0.5 * DAY; // 1.25 days since the first failure, 0.5 since the success
    const mid = count();
    await receiver.waitFor(() => count() >= mid + 2);
    expect((await server.api("GET", `/v1/endpoints/${ep}`)).body.disabled).toBe(false);

    offset += 0.6 * DAY; // now 1.1 days of continuous failure
    await waitUntil(async () => (await server.api("GET", `/v1/endpoints/${ep}`)).body.disabled === true, 3000, "disabled");
    const after = await server.api("GET", `/v1/endpoints/${ep}`);
    expect(after.body.disabledReason).toMatch(/every attempt failed since/);
    const events = await server.api("GET", "/v1/events");
    const last = events.body.data[events.body.data.length - 1].id as string;
    expect((await server.api("GET", `/v1/events/${last}`)).body.deliveries[0].status).toBe("pending");
  });
});

describe("blocked destinations", () => {
  it("refuses a non-public URL at creation, and records blocked attempts (following the schedule) when the policy changes later", async () => {
    const receiver = await startFaultReceiver();
    const strict = await startServer({ config: { egressAllow: [] } });
    try {
      for (const url of [
        `${receiver.url}/x`,
        "http://10.0.0.1/",
        "http://169.254.169.254/latest",
        "http://[::1]:80/",
        "http://2130706433/",
        "ftp://example.com/",
      ]) {
        const res = await strict.api("POST", "/v1/endpoints", { url });
        expect(res.status, url).toBe(422);
        expect(["blocked_destination", "invalid_url"]).toContain(res.body.error.code);
      }
    } finally {
      await strict.close();
    }

    const open = await startServer({ config: { egressAllow: ["127.0.0.1/32"] }, deps: { startWorker: false } });
    const ep = (await open.api("POST", "/v1/endpoints", { url: `${receiver.url}/blocked`, eventTypes: ["order.created"] })).body
      .id as string;
    await open.app.close();
    const restarted = await startServer({ dir: open.dir, config: { egressAllow: [], retrySchedule: [20, 20] } });
    try {
      const id = (await restarted.api("POST", "/v1/events", { type: "order.created", payload: example("order.created") })).body
        .id as string;
      await waitUntil(async () => (await restarted.api("GET", `/v1/events/${id}`)).body.deliveries[0].status === "failed", 3000, "failed");
      const attempts = await restarted.api("GET", `/v1/endpoints/${ep}/attempts`);
      expect(attempts.body.data).toHaveLength(3);
      for (const a of attempts.body.data)
        expect(a).toMatchObject({ status: "failed", statusCode: null, responseBody: "", error: { code: "blocked_destination" } });
      expect(receiver.requests).toHaveLength(0);
    } finally {
      await restarted.close();
      await open.close();
      await receiver.close();
    }
  });
});

describe("retry timing with injected randomness", () => {
  it.each([
    ["the low end of the jitter band", 0, [160, 320]],
    ["the high end of the jitter band", 1, [240, 480]],
  ])("schedules retries at %s exactly", { timeout: 10_000 }, async (_case, draw, expected) => {
    const receiver = await startFaultReceiver();
    const server = await startServer({ config: { retrySchedule: [200, 400] }, deps: { random: () => draw } });
    try {
      receiver.script("/timing", [{ status: 500 }]);
      await server.api("POST", "/v1/endpoints", { url: `${receiver.url}/timing` });
      const id = (await server.api("POST", "/v1/events", { type: "order.created", payload: example("order.created") })).body.id as string;
      const gaps: number[] = [];
      for (const step of [1, 2]) {
        const d = await waitUntil(async () => {
          const x = (await server.api("GET", `/v1/events/${id}`)).body.deliveries[0];
          return x.attempts === step && x.status === "pending" ? x : undefined;
        }, 3000);
        gaps.push(Date.parse(d.nextAttemptAt) - Date.parse(d.lastAttemptAt));
      }
      expect(gaps).toEqual(expected);
      await waitUntil(async () => (await server.api("GET", `/v1/events/${id}`)).body.deliveries[0].status === "failed", 3000);
      const [third, second, first] = receiver.requests
        .filter((r) => r.path === "/timing")
        .map((r) => r.receivedAt)
        .reverse();
      expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual((expected[0] ?? 0) - 5);
      expect((third ?? 0) - (second ?? 0)).toBeGreaterThanOrEqual((expected[1] ?? 0) - 5);
    } finally {
      await server.close();
      await receiver.close();
    }
  });
});
