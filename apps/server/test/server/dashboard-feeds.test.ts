/**
 * The dashboard's feeds over real HTTP (both backends): event and delivery filters, endpoint health
 * after real deliveries, what attempts keep of the request and response headers, live polling with
 * updatedAfter and "replay selected".
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFaultReceiver, type FaultReceiver } from "../support/fault-receiver.js";
import { example, startServer, waitUntil, type TestServer } from "../support/server.js";

type Item = Record<string, any>;

describe("dashboard feeds", () => {
  let server: TestServer;
  let receiver: FaultReceiver;

  beforeAll(async () => {
    receiver = await startFaultReceiver();
    server = await startServer({ config: { retrySchedule: [10] } });
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  const endpoint = async (path: string, tenant: string, extra: Record<string, unknown> = {}): Promise<string> => {
    const res = await server.api("POST", "/v1/endpoints", { url: `${receiver.url}${path}`, tenant, ...extra });
    expect(res.status).toBe(201);
    return res.body.id;
  };
  const send = async (tenant: string, type = "order.created"): Promise<{ id: string; createdAt: string }> => {
    const res = await server.api("POST", "/v1/events", { type, payload: example(type), tenant });
    expect(res.status).toBe(202);
    return res.body;
  };
  const final = (eventId: string): Promise<unknown> =>
    waitUntil(
      async () =>
        ((await server.api("GET", `/v1/events/${eventId}`)).body.deliveries as Item[]).every((d) =>
          ["delivered", "failed"].includes(d.status),
        ),
      10_000,
      `final deliveries of ${eventId}`,
    );
  /** Every item of a list, following nextCursor (until an empty page for the polling order). */
  const walk = async (path: string): Promise<{ items: Item[]; pages: number }> => {
    const items: Item[] = [];
    let pages = 0;
    let cursor: string | null = null;
    do {
      const res: { status: number; text: string; body: Item } = await server.api(
        "GET",
        `${path}${path.includes("?") ? "&" : "?"}limit=2${cursor === null ? "" : `&after=${cursor}`}`,
      );
      expect(res.status, res.text).toBe(200);
      if (res.body.data.length === 0) break;
      items.push(...res.body.data);
      pages++;
      cursor = res.body.nextCursor;
    } while (cursor !== null);
    return { items, pages };
  };
  const ids = (items: Item[]): string[] => items.map((i) => i.id);

  describe("filters", () => {
    const T = "feeds-filters";
    let ok: string;
    let bad1: string;
    let bad2: string;
    const events: { id: string; createdAt: string; type: string }[] = [];

    beforeAll(async () => {
      receiver.script("/filters-bad", [{ status: 500 }]);
      // Every order.* event goes to all three; user.* only to `ok`: some events have two failed deliveries.
      ok = await endpoint("/filters-ok", T);
      bad1 = await endpoint("/filters-bad", T, { eventTypes: ["order.*"] });
      bad2 = await endpoint("/filters-bad", T, { eventTypes: ["order.*"] });
      for (const type of ["order.created", "user.logged_in", "order.created", "order.created", "user.logged_in"]) {
        events.push({ ...(await send(T, type)), type });
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await send(`${T}-other`);
      for (const e of events) await final(e.id);
    });

    it("GET /v1/events: type, tenant, status, endpointId, time range, order, each and combined, paged", async () => {
      const all = events.map((e) => e.id);
      const orders = events.filter((e) => e.type === "order.created").map((e) => e.id);
      const users = events.filter((e) => e.type === "user.logged_in").map((e) => e.id);
      expect(ids((await walk(`/v1/events?tenant=${T}`)).items)).toEqual(all);
      expect(ids((await walk(`/v1/events?tenant=${T}&order=desc`)).items)).toEqual([...all].reverse());
      // Two failed deliveries per order event, each event listed once, across pages.
      const failed = await walk(`/v1/events?tenant=${T}&status=failed`);
      expect(ids(failed.items)).toEqual(orders);
      expect(failed.pages).toBe(2);
      expect(ids((await walk(`/v1/events?tenant=${T}&status=failed&order=desc`)).items)).toEqual([...orders].reverse());
      expect(ids((await walk(`/v1/events?tenant=${T}&status=delivered`)).items)).toEqual(all);
      expect(ids((await walk(`/v1/events?tenant=${T}&status=pending`)).items)).toEqual([]);
      expect(ids((await walk(`/v1/events?endpointId=${bad1}`)).items)).toEqual(orders);
      expect(ids((await walk(`/v1/events?endpointId=${ok}&type=user.logged_in`)).items)).toEqual(users);
      expect(ids((await walk(`/v1/events?endpointId=${ok}&status=failed`)).items)).toEqual([]);
      expect(ids((await walk(`/v1/events?endpointId=${bad2}&status=failed&order=desc`)).items)).toEqual([...orders].reverse());
      expect(ids((await walk(`/v1/events?tenant=${T}&type=order.created&order=desc`)).items)).toEqual([...orders].reverse());
      // since inclusive, until exclusive.
      const [, second, , fourth] = events;
      const range = `since=${encodeURIComponent(second?.createdAt ?? "")}&until=${encodeURIComponent(fourth?.createdAt ?? "")}`;
      expect(ids((await walk(`/v1/events?tenant=${T}&${range}`)).items)).toEqual(all.slice(1, 3));
      expect(ids((await walk(`/v1/events?tenant=${T}&${range}&status=failed`)).items)).toEqual([all[2]]);
      expect(ids((await walk(`/v1/events?endpointId=${ok}&${range}&order=desc`)).items)).toEqual([all[2], all[1]]);
    });

    it("GET /v1/deliveries: eventId, tenant, endpointId, status, time range, each and combined", async () => {
      const first = events[0]?.id ?? "";
      const ofFirst = (await walk(`/v1/deliveries?eventId=${first}`)).items;
      expect(ofFirst.map((d) => d.endpointId).sort()).toEqual([ok, bad1, bad2].sort());
      expect(ofFirst.every((d) => d.eventId === first)).toBe(true);
      expect((await walk(`/v1/deliveries?eventId=${first}&status=failed`)).items.map((d) => d.endpointId).sort()).toEqual(
        [bad1, bad2].sort(),
      );
      const tenant = (await walk(`/v1/deliveries?tenant=${T}`)).items;
      expect(tenant).toHaveLength(11);
      expect(new Set(tenant.map((d) => d.eventId))).toEqual(new Set(events.map((e) => e.id)));
      // Newest first.
      expect(tenant.map((d) => d.createdAt)).toEqual([...tenant.map((d) => d.createdAt)].sort().reverse());
      expect((await walk(`/v1/deliveries?tenant=${T}&status=failed&endpointId=${bad1}`)).items).toHaveLength(3);
      const since = events[3]?.createdAt ?? "";
      const recent = (await walk(`/v1/deliveries?tenant=${T}&since=${encodeURIComponent(since)}`)).items;
      expect(new Set(recent.map((d) => d.eventId))).toEqual(new Set([events[3]?.id, events[4]?.id]));
      const older = (await walk(`/v1/deliveries?tenant=${T}&until=${encodeURIComponent(since)}`)).items;
      expect(older).toHaveLength(11 - recent.length);
      expect((await walk(`/v1/deliveries?tenant=${T}-nobody`)).items).toEqual([]);
    });

    it.each([
      ["/v1/events?status=lost", "status"],
      ["/v1/events?endpointId=ep%20x", "endpointId"],
      ["/v1/events?order=sideways", "order"],
      ["/v1/events?since=yesterday", "since"],
      ["/v1/events?until=2025-13-01T00:00:00Z", "until"],
      ["/v1/events?since=2025-03-02T00:00:00Z&until=2025-03-01T00:00:00Z", "until"],
      ["/v1/events?since=2025-03-01T00:00:00Z&until=2025-03-01T00:00:00Z", "until"],
      ["/v1/events?colour=blue", "colour"],
      ["/v1/deliveries?eventId=a.b", "eventId"],
      ["/v1/deliveries?tenant=a%20b", "tenant"],
      ["/v1/deliveries?updatedAfter=now", "updatedAfter"],
      ["/v1/deliveries?since=2025-03-02T00:00:00Z&until=2025-03-01T00:00:00Z", "until"],
    ])("GET %s: 400 in the API error shape naming %s", async (path, name) => {
      const res = await server.api("GET", path);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
      expect(JSON.stringify(res.body.error)).toContain(name);
    });

    it("endpoints answer their health from the attempts made", async () => {
      const list = (await walk(`/v1/endpoints?tenant=${T}`)).items;
      const byId = new Map(list.map((e) => [e.id, e]));
      const good = byId.get(ok)?.health;
      expect(good).toMatchObject({ successRate: 1, attempts24h: 5, failures24h: 0, lastError: null, failingSince: null });
      expect(Date.parse(good.lastAttemptAt)).not.toBeNaN();
      // Three order events, two attempts each (retry schedule [10]).
      const failing = byId.get(bad1)?.health;
      expect(failing).toMatchObject({
        successRate: 0,
        attempts24h: 6,
        failures24h: 6,
        lastError: { code: "http_status", statusCode: 500, message: expect.stringContaining("500") },
      });
      expect(failing.lastError.at).toBe(failing.lastAttemptAt);
      expect(Date.parse(failing.failingSince)).toBeLessThanOrEqual(Date.parse(failing.lastAttemptAt));
      const read = await server.api("GET", `/v1/endpoints/${bad1}`);
      expect(read.body.health).toEqual(failing);
    });
  });

  it("health: a success after failures keeps the last error and ends the failing run", async () => {
    receiver.script("/health-mixed", [{ status: 503 }, { status: 200 }]);
    const ep = await endpoint("/health-mixed", "health-mixed");
    const { id } = await send("health-mixed");
    await final(id);
    const { health } = (await server.api("GET", `/v1/endpoints/${ep}`)).body;
    expect(health).toMatchObject({
      successRate: 0.5,
      attempts24h: 2,
      failures24h: 1,
      failingSince: null,
      lastError: { code: "http_status", statusCode: 503 },
    });
    expect(Date.parse(health.lastError.at)).toBeLessThan(Date.parse(health.lastAttemptAt));
  });

  it("requestHeaders show what was sent, never a signature, secret or URL credential", async () => {
    const url = new URL(`${receiver.url}/sent-headers`);
    url.username = "alice";
    url.password = "pa55-word-secret";
    const created = await server.api("POST", "/v1/endpoints", { url: url.href, tenant: "sent-headers" });
    const ep = created.body.id as string;
    const oldSecret = created.body.secret as string;
    const rotated = await server.api("POST", `/v1/endpoints/${ep}/rotate-secret`, { gracePeriodSeconds: 3600 });
    const newSecret = rotated.body.secret as string;
    const { id } = await send("sent-headers");
    await final(id);
    const received = receiver.requests.find((r) => r.path === "/sent-headers");
    const attempts = await server.api("GET", `/v1/events/${id}/attempts`);
    const [attempt] = attempts.body.data as Item[];
    expect(attempt?.requestHeaders).toEqual({
      "content-type": "application/json",
      "user-agent": received?.headers["user-agent"],
      "webhook-id": id,
      "webhook-timestamp": received?.headers["webhook-timestamp"],
      // Signed with the new and the still-valid old secret: two entries, both redacted.
      "webhook-signature": "v1,<redacted> v1,<redacted>",
      "content-length": String(received?.body.length),
      authorization: "Basic <redacted>",
    });
    const text = attempts.text + (await server.api("GET", `/v1/endpoints/${ep}/attempts`)).text;
    const signatures = String(received?.headers["webhook-signature"]).split(" ");
    expect(signatures).toHaveLength(2);
    for (const secret of [
      ...signatures.map((s) => s.slice(3)),
      oldSecret.slice(6),
      newSecret.slice(6),
      "pa55-word-secret",
      String(received?.headers["authorization"]).slice(6),
    ]) {
      expect(text).not.toContain(secret);
    }
    // Nor in the database.
    const rows = await server.query<{ request_headers: string }>("SELECT request_headers FROM attempts WHERE event_id = $1", [id]);
    expect(rows[0]?.request_headers).not.toContain(signatures[0]?.slice(3));
  });

  it("updatedAfter: polling sees a delivery's new attempt", async () => {
    let attempt = 0;
    receiver.script("/poll", () => (++attempt === 1 ? { status: 500 } : { status: 204, delayMs: 300 }));
    const slow = await startServer({ config: { retrySchedule: [1500] } });
    try {
      const ep = (await slow.api("POST", "/v1/endpoints", { url: `${receiver.url}/poll`, tenant: "poll" })).body.id as string;
      const event = (await slow.api("POST", "/v1/events", { type: "order.created", payload: example("order.created"), tenant: "poll" }))
        .body;
      const first = await waitUntil(async () => {
        const list = (await slow.api("GET", `/v1/deliveries?endpointId=${ep}`)).body.data as Item[];
        return list.find((d) => d.attempts === 1 && d.status === "pending");
      });
      const watermark = first.updatedAt as string;
      // Nothing changed since: the poll is empty.
      expect((await slow.api("GET", `/v1/deliveries?updatedAfter=${encodeURIComponent(watermark)}`)).body.data).toEqual([]);
      const seen = await waitUntil(
        async () => {
          const res = await slow.api("GET", `/v1/deliveries?updatedAfter=${encodeURIComponent(watermark)}`);
          return (res.body.data as Item[]).find((d) => d.status === "delivered");
        },
        10_000,
        "the retry in the poll",
      );
      expect(seen).toMatchObject({ id: first.id, eventId: event.id, attempts: 2 });
      expect(Date.parse(seen.updatedAt)).toBeGreaterThan(Date.parse(watermark));
      expect((await slow.api("GET", `/v1/deliveries?updatedAfter=${encodeURIComponent(seen.updatedAt)}`)).body.data).toEqual([]);
    } finally {
      await slow.close();
    }
  });

  it("POST /v1/deliveries/replay replays the selected dead letters, lists unknown ids, refuses bad selections", async () => {
    let up = false;
    receiver.script("/replay-selected", () => (up ? { status: 204 } : { status: 500 }));
    await endpoint("/replay-selected", "replay-selected");
    const sent = [await send("replay-selected"), await send("replay-selected"), await send("replay-selected")];
    for (const e of sent) await final(e.id);
    const dead = (await server.api("GET", "/v1/deliveries?tenant=replay-selected&status=failed")).body.data as Item[];
    expect(dead).toHaveLength(3);
    up = true;
    const chosen = dead.slice(0, 2).map((d) => d.id as string);
    const res = await server.api("POST", "/v1/deliveries/replay", { ids: [...chosen, "dlv_nothere"] });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ scheduled: 2, notFound: ["dlv_nothere"] });
    for (const d of dead.slice(0, 2)) await final(d.eventId);
    const after = (await server.api("GET", "/v1/deliveries?tenant=replay-selected")).body.data as Item[];
    expect(
      after
        .filter((d) => d.status === "delivered")
        .map((d) => d.id)
        .sort(),
    ).toEqual([...chosen].sort());
    expect(after.find((d) => d.id === dead[2]?.id)?.status).toBe("failed");

    for (const body of [{ ids: [] }, { ids: Array.from({ length: 101 }, (_, i) => `dlv_${i}`) }, { ids: ["a b"] }, {}]) {
      const refused = await server.api("POST", "/v1/deliveries/replay", body);
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toEqual(expect.any(String));
    }
  });
});
