import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFaultReceiver, type FaultReceiver } from "../support/fault-receiver.js";
import { example, header, startServer, waitUntil, type TestServer } from "../support/server.js";

describe("dead letters, replay and recover", () => {
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

  const endpoint = async (path: string, tenant: string): Promise<string> =>
    (await server.api("POST", "/v1/endpoints", { url: `${receiver.url}${path}`, tenant })).body.id;
  const send = async (tenant: string, type = "order.created"): Promise<string> => {
    const res = await server.api("POST", "/v1/events", { type, payload: example(type), tenant });
    expect(res.status).toBe(202);
    return res.body.id;
  };
  const status = async (eventId: string, endpointId?: string): Promise<{ status: string; attempts: number }> => {
    const res = await server.api("GET", `/v1/events/${eventId}`);
    const list = res.body.deliveries as { endpointId: string; status: string; attempts: number }[];
    return (endpointId === undefined ? list[0] : list.find((d) => d.endpointId === endpointId)) ?? { status: "none", attempts: 0 };
  };
  const count = (path: string): number => receiver.requests.filter((r) => r.path === path).length;

  it("lists dead letters", async () => {
    receiver.script("/dead-list", [{ status: 500 }]);
    const ep = await endpoint("/dead-list", "dead-list");
    const ids = [await send("dead-list"), await send("dead-list")];
    for (const id of ids) await waitUntil(async () => (await status(id)).status === "failed");
    const res = await server.api("GET", `/v1/deliveries?status=failed&endpointId=${ep}&limit=1`);
    expect(res.body.data).toHaveLength(1);
    expect(res.body.data[0]).toMatchObject({
      eventId: ids[1],
      endpointId: ep,
      status: "failed",
      attempts: 2,
      failureReason: expect.stringMatching(/exhausted/),
    });
    const next = await server.api("GET", `/v1/deliveries?status=failed&endpointId=${ep}&after=${res.body.nextCursor}`);
    expect(next.body.data.map((d: { eventId: string }) => d.eventId)).toEqual([ids[0]]);
    expect(next.body.nextCursor).toBeNull();
    expect((await server.api("GET", "/v1/deliveries?status=lost")).status).toBe(400);
  });

  it("replays a dead letter now, with the same webhook-id and a fresh retry schedule", async () => {
    let up = false;
    receiver.script("/replay", () => (up ? { status: 204 } : { status: 500 }));
    await endpoint("/replay", "replay");
    const id = await send("replay");
    await waitUntil(async () => (await status(id)).status === "failed");
    expect(await status(id)).toMatchObject({ status: "failed", attempts: 2 });
    up = true;
    const res = await server.api("POST", `/v1/events/${id}/replay`, {});
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id, scheduled: 1 });
    await waitUntil(async () => (await status(id)).status === "delivered");
    expect(await status(id)).toMatchObject({ attempts: 3 });
    expect(new Set(receiver.requests.filter((r) => r.path === "/replay").map((r) => header(r, "webhook-id")))).toEqual(new Set([id]));
  });

  it("replays to one endpoint, creating its delivery when it matches; refuses one that does not match", async () => {
    const a = await endpoint("/replay-one/a", "replay-one");
    const id = await send("replay-one");
    await waitUntil(async () => (await status(id)).status === "delivered");
    const b = await endpoint("/replay-one/b", "replay-one");
    const res = await server.api("POST", `/v1/events/${id}/replay`, { endpointId: b });
    expect(res.status).toBe(202);
    await waitUntil(async () => (await status(id, b)).status === "delivered");
    expect(count("/replay-one/a")).toBe(1);
    expect(count("/replay-one/b")).toBe(1);

    const elsewhere = await endpoint("/replay-one/c", "another-tenant");
    const refused = await server.api("POST", `/v1/events/${id}/replay`, { endpointId: elsewhere });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe("endpoint_not_subscribed");
    expect((await server.api("POST", `/v1/events/${id}/replay`, { endpointId: "ep_nope" })).status).toBe(404);
    expect((await server.api("POST", "/v1/events/evt_nope/replay", {})).status).toBe(404);
    void a;
  });

  it("turns concurrent replays of one delivery into at most one extra attempt", async () => {
    // The successful attempt is slow so that all 20 replays land while it is in flight, even on a
    // loaded machine: a replay arriving after it delivered would rightly send it once more.
    receiver.script("/replay-race", [{ status: 500 }, { status: 500 }, { status: 200, delayMs: 1500 }]);
    await endpoint("/replay-race", "replay-race");
    const id = await send("replay-race");
    await waitUntil(async () => (await status(id)).status === "failed");
    const before = count("/replay-race");
    const answers = await Promise.all(Array.from({ length: 20 }, () => server.api("POST", `/v1/events/${id}/replay`, {})));
    expect(answers.every((a) => a.status === 202)).toBe(true);
    await waitUntil(async () => (await status(id)).status === "delivered");
    await new Promise((r) => setTimeout(r, 200));
    expect(count("/replay-race")).toBe(before + 1);
  });

  it("recovers every failed delivery of an endpoint since a time, and only those", async () => {
    let up = false;
    receiver.script("/recover", () => (up ? { status: 200 } : { status: 502 }));
    const ep = await endpoint("/recover", "recover");
    const old = await send("recover");
    await waitUntil(async () => (await status(old)).status === "failed");
    await new Promise((r) => setTimeout(r, 20));
    const since = new Date().toISOString();
    const recent = [await send("recover"), await send("recover"), await send("recover")];
    for (const id of recent) await waitUntil(async () => (await status(id)).status === "failed");

    up = true;
    const res = await server.api("POST", `/v1/endpoints/${ep}/recover`, { since });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ recovered: 3 });
    for (const id of recent) await waitUntil(async () => (await status(id)).status === "delivered");
    expect((await status(old)).status).toBe("failed");
    const until = await server.api("POST", `/v1/endpoints/${ep}/recover`, { since: "2000-01-01T00:00:00Z", until: since });
    expect(until.body).toEqual({ recovered: 1 });
    await waitUntil(async () => (await status(old)).status === "delivered");

    expect(
      (await server.api("POST", `/v1/endpoints/${ep}/recover`, { since: "2030-01-01T00:00:00Z", until: "2020-01-01T00:00:00Z" })).status,
    ).toBe(400);
    expect((await server.api("POST", "/v1/endpoints/ep_nope/recover", { since })).status).toBe(404);
  });

  it("lists dead letters in metrics", async () => {
    receiver.script("/metrics-dead", [{ status: 500 }]);
    await endpoint("/metrics-dead", "metrics-dead");
    const id = await send("metrics-dead");
    await waitUntil(async () => (await status(id)).status === "failed");
    const res = await fetch(`${server.url}/metrics`);
    const text = await res.text();
    expect(res.headers.get("content-type")).toMatch(/text\/plain/);
    expect(text).toMatch(/^hookline_dead_letters [1-9]/m);
    expect(text).toMatch(/^hookline_deliveries_total\{outcome="failed"\} [1-9]/m);
    expect(text).toMatch(/^hookline_events_accepted_total\{outcome="created"\} [1-9]/m);
    expect(text).toMatch(/^hookline_attempts_total\{outcome="5xx"\} [1-9]/m);
    expect(text).toMatch(/^hookline_retries_scheduled_total [1-9]/m);
    expect(text).toMatch(/^hookline_queue_depth \d+/m);
    expect(text).toMatch(/^hookline_oldest_due_age_seconds \d/m);
    expect(text).toMatch(/^hookline_delivery_latency_seconds_bucket\{le="0.05"\} \d+/m);
    expect(text).not.toMatch(/ep_[A-Za-z0-9]{24}|evt_[A-Za-z0-9]{24}/);
  });
});

/**
 * Replay of a delivery still retrying (issue 10, item 15): one extra attempt now that neither uses
 * up nor resets the retry schedule. Jitter off (random = 0.5), so retry times are exact.
 */
describe("replay of a delivery that is still retrying", () => {
  let server: TestServer;
  let receiver: FaultReceiver;
  const RETRY_2 = 3000;
  const RETRY_3 = 600_000;

  beforeAll(async () => {
    receiver = await startFaultReceiver();
    server = await startServer({ config: { retrySchedule: [10, RETRY_2, RETRY_3] }, deps: { random: () => 0.5 } });
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  interface Delivery {
    status: string;
    attempts: number;
    nextAttemptAt: string | null;
    lastAttemptAt: string | null;
  }
  const delivery = async (id: string): Promise<Delivery> => (await server.api("GET", `/v1/events/${id}`)).body.deliveries[0] as Delivery;
  const count = (path: string): number => receiver.requests.filter((r) => r.path === path).length;
  /** An event whose delivery to `path` has failed twice and waits for retry 2 (RETRY_2 after attempt 2). */
  const retrying = async (path: string): Promise<{ id: string; waiting: Delivery }> => {
    await server.api("POST", "/v1/endpoints", { url: `${receiver.url}${path}`, tenant: path.slice(1) });
    const id = (await server.api("POST", "/v1/events", { type: "order.created", payload: example("order.created"), tenant: path.slice(1) }))
      .body.id as string;
    const waiting = await waitUntil(async () => {
      const d = await delivery(id);
      return d.status === "pending" && d.attempts === 2 ? d : undefined;
    }, 10_000);
    expect(Date.parse(waiting.nextAttemptAt ?? "") - Date.parse(waiting.lastAttemptAt ?? "")).toBe(RETRY_2);
    return { id, waiting };
  };

  it("makes one extra attempt now; when it fails, the delivery waits for the same retry, still retry 2", async () => {
    // The extra attempt answers slowly, so the concurrent replays all arrive while it is in flight.
    receiver.script("/retrying-fails", [{ status: 500 }, { status: 500 }, { status: 500, delayMs: 400 }, { status: 500 }]);
    const { id, waiting } = await retrying("/retrying-fails");
    const answers = await Promise.all(Array.from({ length: 5 }, () => server.api("POST", `/v1/events/${id}/replay`, {})));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
    const afterExtra = await waitUntil(async () => {
      const d = await delivery(id);
      return d.attempts === 3 && d.status === "pending" ? d : undefined;
    });
    // The extra attempt did not move the retry: same time (not the RETRY_3 slot).
    expect(afterExtra.nextAttemptAt).toBe(waiting.nextAttemptAt);
    expect(count("/retrying-fails")).toBe(3);
    // That retry happens on time and is still retry 2 of the schedule: after it fails, retry 3 is RETRY_3 away.
    const afterRetry = await waitUntil(
      async () => {
        const d = await delivery(id);
        return d.attempts === 4 && d.status === "pending" ? d : undefined;
      },
      RETRY_2 + 10_000,
      "retry 2",
    );
    expect(Date.parse(afterRetry.lastAttemptAt ?? "")).toBeGreaterThanOrEqual(Date.parse(waiting.nextAttemptAt ?? ""));
    expect(Date.parse(afterRetry.nextAttemptAt ?? "") - Date.parse(afterRetry.lastAttemptAt ?? "")).toBe(RETRY_3);
    expect(count("/retrying-fails")).toBe(4);
  }, 30_000);

  it("delivers it when the extra attempt succeeds, and no retry follows", async () => {
    receiver.script("/retrying-recovers", [{ status: 500 }, { status: 500 }, { status: 204 }]);
    const { id } = await retrying("/retrying-recovers");
    expect((await server.api("POST", `/v1/events/${id}/replay`, {})).status).toBe(202);
    await waitUntil(async () => (await delivery(id)).status === "delivered");
    expect(await delivery(id)).toMatchObject({ status: "delivered", attempts: 3, nextAttemptAt: null });
    await new Promise((r) => setTimeout(r, RETRY_2 + 500));
    expect(count("/retrying-recovers")).toBe(3);
  }, 30_000);
});
