import { afterEach, describe, expect, it } from "vitest";
import { request } from "undici";
import { monitorRss, readRss } from "../src/harness/rss.js";
import { ingestTraffic } from "../src/benchmarks/e2e/ingest.js";
import { startSink, type Sink } from "../src/benchmarks/e2e/sink.js";

describe("delivery sink", () => {
  let sink: Sink | undefined;
  afterEach(async () => {
    await sink?.close();
  });

  it("records the first arrival per endpoint and webhook-id, and counts duplicates", async () => {
    sink = await startSink();
    const deliver = (k: number, id: string) => request(sink?.url(k) ?? "", { method: "POST", headers: { "webhook-id": id }, body: "{}" }).then((r) => r.body.dump());
    const waiting = sink.waitForDistinct(3, 5000);
    await deliver(0, "evt_1");
    await deliver(1, "evt_1");
    await deliver(0, "evt_1");
    await deliver(0, "evt_2");
    await waiting;
    expect([...sink.arrivals.keys()].sort()).toEqual(["0/evt_1", "0/evt_2", "1/evt_1"]);
    expect(sink.received()).toBe(4);
    expect(sink.duplicates()).toBe(1);
    await expect(sink.waitForDistinct(4, 50)).rejects.toThrow("Only 3 of 4 deliveries arrived");
    sink.clear();
    expect(sink.arrivals.size).toBe(0);
  });
});

describe("ingest traffic", () => {
  it("builds a valid ingest body with a unique id per event", () => {
    const traffic = ingestTraffic("run", "key-0123456789abcdef");
    const body = JSON.parse(traffic.body(5)) as { type: string; id: string; payload: { orderId: string } };
    expect(body).toMatchObject({ type: "order.created", id: "run-5" });
    expect(body.payload.orderId).toMatch(/^ord_/);
    expect(traffic.id(6)).toBe("run-6");
    expect(traffic.headers.authorization).toBe("Bearer key-0123456789abcdef");
  });
});

describe("RSS sampling", () => {
  it.skipIf(process.platform !== "linux")("reads this process's resident set size from /proc", async () => {
    const rss = await readRss(process.pid);
    expect(rss).toBeGreaterThan(10 * 1024 * 1024);
    const monitor = monitorRss(process.pid, 10);
    await new Promise((resolve) => setTimeout(resolve, 60));
    monitor.stop();
    expect(monitor.samples.length).toBeGreaterThan(1);
    expect(monitor.peak()).toBeGreaterThanOrEqual(monitor.mean(-Infinity, Infinity));
  });
});
