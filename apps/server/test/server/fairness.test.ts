import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFaultReceiver, type FaultReceiver } from "../support/fault-receiver.js";
import { example, header, startServer, waitUntil, type TestServer } from "../support/server.js";

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** POSTs `n` events with at most `parallel` requests in flight; returns id → time the 202 arrived. */
async function sendMany(server: TestServer, n: number, tenant: string, parallel = 16): Promise<Map<string, number>> {
  const accepted = new Map<string, number>();
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < n) {
        next++;
        const res = await server.api("POST", "/v1/events", { type: "order.created", payload: example("order.created"), tenant });
        if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${res.text}`);
        accepted.set(res.body.id, Date.now());
      }
    }),
  );
  return accepted;
}

describe("fairness", () => {
  let server: TestServer;
  let receiver: FaultReceiver;

  beforeAll(async () => {
    receiver = await startFaultReceiver();
    server = await startServer({
      config: { concurrency: 32, endpointConcurrency: 4, requestTimeoutMs: 3000, leaseMs: 8000, retrySchedule: [60_000] },
    });
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  const endpoint = async (path: string, tenant: string, extra: Record<string, unknown> = {}): Promise<string> =>
    (await server.api("POST", "/v1/endpoints", { url: `${receiver.url}${path}`, tenant, ...extra })).body.id;

  it("keeps a healthy endpoint fast while another hangs until the timeout (p99 < 1 s over 200 events)", { timeout: 20_000 }, async () => {
    receiver.script("/hol/hang", [{ hang: true }]);
    await endpoint("/hol/hang", "hol-a");
    await endpoint("/hol/fast", "hol-b");
    await sendMany(server, 40, "hol-a");
    await receiver.waitFor(() => receiver.inFlight("/hol/hang") >= 4);
    const accepted = await sendMany(server, 200, "hol-b", 8);
    await receiver.waitFor((reqs) => reqs.filter((r) => r.path === "/hol/fast").length >= 200, 10_000);
    const latencies = receiver.requests
      .filter((r) => r.path === "/hol/fast")
      .map((r) => r.receivedAt - (accepted.get(header(r, "webhook-id")) ?? Number.NaN));
    expect(latencies).toHaveLength(200);
    expect(percentile(latencies, 99)).toBeLessThan(1000);
    // The hanging endpoint never had more than its own cap in flight.
    expect(receiver.maxInFlight("/hol/hang")).toBeLessThanOrEqual(4);
  });

  it("does not let thousands of due deliveries for a slow endpoint starve a healthy endpoint's ten", { timeout: 30_000 }, async () => {
    receiver.script("/starve/slow", [{ status: 500, delayMs: 100 }]);
    const slow = await endpoint("/starve/slow", "starve-a", { disabled: true });
    await sendMany(server, 1000, "starve-a", 32);
    // Re-enable + recover: 1000 deliveries due at once for the slow endpoint.
    await server.api("PATCH", `/v1/endpoints/${slow}`, { disabled: false });
    await server.api("POST", `/v1/endpoints/${slow}/recover`, { since: "2000-01-01T00:00:00Z" });
    await receiver.waitFor(() => receiver.inFlight("/starve/slow") >= 4);
    await endpoint("/starve/ok", "starve-b");
    const started = Date.now();
    await sendMany(server, 10, "starve-b", 10);
    await receiver.waitFor((reqs) => reqs.filter((r) => r.path === "/starve/ok").length >= 10, 5000);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(receiver.maxInFlight("/starve/slow")).toBeLessThanOrEqual(4);
  });

  it("enforces a per-endpoint rate limit, and waiting for it is not an attempt", { timeout: 10_000 }, async () => {
    const ep = await endpoint("/rate", "rate", { rateLimit: 5 });
    const accepted = await sendMany(server, 8, "rate", 8);
    await receiver.waitFor((reqs) => reqs.filter((r) => r.path === "/rate").length >= 8, 5000);
    const times = receiver.requests
      .filter((r) => r.path === "/rate")
      .map((r) => r.receivedAt)
      .sort((a, b) => a - b);
    // 8 deliveries at 5/s with a burst of 1: at least 7 × 200 ms from first to last.
    expect((times[7] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(1300);
    // (Gaps between single arrivals also carry connection latency, so only the whole span is asserted.)
    for (const id of accepted.keys()) {
      const d = await server.api("GET", `/v1/events/${id}`);
      expect(d.body.deliveries[0]).toMatchObject({ status: "delivered", attempts: 1 });
    }
    const attempts = await server.api("GET", `/v1/endpoints/${ep}/attempts`);
    expect(attempts.body.data).toHaveLength(8);
  });

  it("takes an endpoint waiting for its next rate-limit token out of line until then, also after new events for it", {
    timeout: 15_000,
  }, async () => {
    // One token every 1,000 s: the first delivery goes, the others wait. Each new event brings the
    // endpoint back in line; a claim must move it out again (claims that keep stepping over such
    // endpoints cost CPU in proportion to their number).
    const ep = await endpoint("/slow-rate", "slow-rate", { rateLimit: 0.001 });
    await sendMany(server, 3, "slow-rate", 1);
    await receiver.waitFor((reqs) => reqs.some((r) => r.path === "/slow-rate"), 5000);
    const turn = await waitUntil(
      async () => {
        const rows = await server.query<{ turn_at: string | number | null }>("SELECT turn_at FROM endpoints WHERE id = $1", [ep]);
        const at = Number(rows[0]?.turn_at ?? 0);
        return at > Date.now() + 500_000 ? at : undefined;
      },
      8000,
      "the rate-limited endpoint out of line until its next token",
    );
    expect(turn).toBeLessThan(Date.now() + 1_001_000);
    expect(receiver.requests.filter((r) => r.path === "/slow-rate")).toHaveLength(1);
  });

  it("caps deliveries in flight per endpoint", { timeout: 10_000 }, async () => {
    receiver.script("/cap", [{ status: 200, delayMs: 100 }]);
    await endpoint("/cap", "cap");
    await sendMany(server, 30, "cap");
    await receiver.waitFor((reqs) => reqs.filter((r) => r.path === "/cap").length >= 30, 8000);
    expect(receiver.maxInFlight("/cap")).toBe(4);
    await waitUntil(() => receiver.inFlight("/cap") === 0);
  });
});
