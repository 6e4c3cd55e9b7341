import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Pool, request } from "undici";
import { monitorRss, readRss } from "../src/harness/rss.js";
import { ingestClosedLoop, ingestTraffic } from "../src/benchmarks/e2e/ingest.js";
import { startSink, type Sink } from "../src/benchmarks/e2e/sink.js";

describe("delivery sink", () => {
  let sink: Sink | undefined;
  afterEach(async () => {
    await sink?.close();
  });

  it("records the first arrival per endpoint and webhook-id, and counts duplicates", async () => {
    sink = await startSink();
    const deliver = (k: number, id: string) =>
      request(sink?.url(k) ?? "", { method: "POST", headers: { "webhook-id": id }, body: "{}" }).then((r) => r.body.dump());
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

  it("refuses connections while down and takes deliveries on the same URL once up again", async () => {
    sink = await startSink();
    const url = sink.url(0);
    const deliver = (id: string) => request(url, { method: "POST", headers: { "webhook-id": id }, body: "{}" }).then((r) => r.body.dump());
    await deliver("before");
    await sink.down();
    await expect(deliver("while-down")).rejects.toMatchObject({ code: "ECONNREFUSED" });
    await sink.up();
    await deliver("after");
    expect([...sink.arrivals.keys()]).toEqual(["0/before", "0/after"]);
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

describe("closed-loop ingest", () => {
  let server: http.Server | undefined;
  afterEach(async () => {
    const running = server;
    if (running === undefined) return;
    running.closeAllConnections();
    await new Promise((resolve) => running.close(resolve));
  });

  it("stops at the event budget when it comes before the deadline, with every event sent once", async () => {
    const bodies: string[] = [];
    server = http.createServer((req, res) => {
      let body = "";
      req.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      req.on("end", () => {
        bodies.push(body);
        res.writeHead(202).end("{}");
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { connections: 4 });
    try {
      const traffic = ingestTraffic("cap", "key-0123456789abcdef");
      const run = await ingestClosedLoop(pool, traffic, { concurrency: 4, durationMs: 60_000, events: 25, startIndex: 100 });
      expect(run.events).toBe(25);
      expect(run.sentAt.size).toBe(25);
      expect(new Set(bodies.map((b) => (JSON.parse(b) as { id: string }).id))).toEqual(
        new Set(Array.from({ length: 25 }, (_, i) => `cap-${100 + i}`)),
      );
      await expect(ingestClosedLoop(pool, traffic, { concurrency: 1, startIndex: 0 })).rejects.toThrow("needs durationMs, events or both");
    } finally {
      await pool.close();
    }
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
