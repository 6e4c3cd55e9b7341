/**
 * List pages are bounded by bytes as well as by count (issue 10, item 4): a page over large payloads
 * is cut early with a cursor that continues after it, and concurrent large pages keep the server's
 * memory bounded.
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFaultReceiver, type FaultReceiver } from "../support/fault-receiver.js";
import { API_KEY, example, startServer, waitUntil, type TestServer } from "../support/server.js";

const KIB = 1024;
const MIB = 1024 * KIB;
/** The documented default budget of one page (HOOKLINE_PAGE_MAX_BYTES). */
const DEFAULT_PAGE_MAX_BYTES = MIB;

/** An envelope of about `size` bytes, as ingest would store it. */
function envelope(size: number, n: number): Buffer {
  const head = `{"type":"order.created","timestamp":"2025-03-10T14:22:05.000Z","data":{"n":${n},"pad":"`;
  const tail = `"}}`;
  return Buffer.from(head + "x".repeat(Math.max(0, size - head.length - tail.length)) + tail, "utf8");
}

async function seedEvents(server: TestServer, sizes: readonly number[], prefix: string): Promise<string[]> {
  const ids = sizes.map((_, i) => `${prefix}-${String(i).padStart(4, "0")}`);
  const now = Date.now();
  // In order (seq order = id order), a few at a time so group commits stay small.
  for (let i = 0; i < ids.length; i += 10) {
    await Promise.all(
      ids.slice(i, i + 10).map((id, j) =>
        server.app.store.ingest({
          id,
          type: "order.created",
          tenant: prefix,
          body: envelope(sizes[i + j] ?? 0, i + j),
          requestHash: createHash("sha256").update(id).digest("hex"),
          now: now + i + j,
        }),
      ),
    );
  }
  return ids;
}

describe("list pages are bounded by bytes", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ deps: { startWorker: false } });
  });
  afterAll(async () => {
    await server.close();
  });

  it("cuts GET /v1/events by bytes and its cursor walks every event exactly once", async () => {
    // 40 events of 100-250 KiB: about 7 MiB, far more than one page's budget.
    const sizes = Array.from({ length: 40 }, (_, i) => (100 + ((i * 37) % 150)) * KIB);
    const ids = await seedEvents(server, sizes, "walk");
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    for (;;) {
      const res = await server.api("GET", `/v1/events?tenant=walk&limit=250${cursor === null ? "" : `&after=${cursor}`}`);
      expect(res.status, res.text).toBe(200);
      const data = res.body.data as { id: string; envelope: { data: { n: number } } }[];
      if (data.length === 0) break;
      pages++;
      // Within the budget, unless one event alone is larger.
      const envelopes = data.reduce((sum, e) => sum + Buffer.byteLength(JSON.stringify(e.envelope)), 0);
      expect(envelopes).toBeLessThanOrEqual(DEFAULT_PAGE_MAX_BYTES);
      expect(Buffer.byteLength(res.text)).toBeLessThan(DEFAULT_PAGE_MAX_BYTES + 64 * KIB);
      // Cut early: the next event would not have fitted.
      const next = sizes[seen.length + data.length];
      if (next !== undefined) expect(envelopes + next).toBeGreaterThan(DEFAULT_PAGE_MAX_BYTES);
      seen.push(...data.map((e) => e.id));
      expect(res.body.nextCursor).toEqual(expect.any(String));
      cursor = res.body.nextCursor as string;
      expect(pages).toBeLessThan(50);
    }
    expect(seen).toEqual(ids);
    expect(pages).toBeGreaterThanOrEqual(7);
  });

  it("keeps the server's memory bounded under 20 concurrent pages of limit=250 over 256 KiB payloads", async () => {
    await seedEvents(
      server,
      Array.from({ length: 250 }, () => 256 * KIB),
      "memory",
    );
    const path = "/v1/events?tenant=memory&limit=250";
    // Warm up the route once, then measure the peak from here.
    expect(await getBytes(server.url, path)).toBeGreaterThan(0);
    const peak = startPeak();
    const health = (async () => {
      await new Promise((r) => setTimeout(r, 20));
      const started = performance.now();
      await getBytes(server.url, "/healthz");
      return performance.now() - started;
    })();
    const sizes = await Promise.all(Array.from({ length: 20 }, () => getBytes(server.url, path)));
    const healthMs = await health;
    const growth = peak.stop();
    process.stdout.write(
      `pages: ${sizes.length} × ${Math.max(...sizes)} bytes; peak RSS growth ${(growth / MIB).toFixed(0)} MiB; /healthz ${healthMs.toFixed(0)} ms\n`,
    );
    for (const size of sizes) expect(size).toBeLessThan(DEFAULT_PAGE_MAX_BYTES + 64 * KIB);
    // Before pages had a byte budget: 20 × 64 MiB pages, 2.5 GiB of growth, /healthz 43 s (SQLite).
    // A store that read every payload and cut afterwards would still hold 64 MiB per request.
    expect(growth).toBeLessThan(100 * MIB);
    expect(healthMs).toBeLessThan(10_000);
  }, 120_000);
});

describe("every list is cut by bytes (a 4 KiB budget), at least one item a page", () => {
  const BUDGET = 4096;
  let server: TestServer;
  let receiver: FaultReceiver;

  beforeAll(async () => {
    receiver = await startFaultReceiver();
    server = await startServer({ config: { pageMaxBytes: BUDGET, retrySchedule: [10, 10, 10], responseBodyLimit: 2048 } });
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  /** Every page of `path` from the start: all items, and how many each page held. */
  async function walk(path: string): Promise<{ items: Record<string, unknown>[]; pages: number[] }> {
    const items: Record<string, unknown>[] = [];
    const pages: number[] = [];
    let cursor: string | null = null;
    do {
      const res = await server.api("GET", `${path}${path.includes("?") ? "&" : "?"}limit=250${cursor === null ? "" : `&after=${cursor}`}`);
      expect(res.status, res.text).toBe(200);
      const data = res.body.data as Record<string, unknown>[];
      if (data.length === 0) break;
      items.push(...data);
      pages.push(data.length);
      cursor = res.body.nextCursor as string | null;
    } while (cursor !== null && pages.length < 100);
    return { items, pages };
  }

  it("GET /v1/endpoints: pages of a few endpoints with large metadata; a larger one alone", async () => {
    const metadata = (bytes: number): Record<string, string> => ({ note: "m".repeat(bytes) });
    const ids: string[] = [];
    for (const bytes of [1500, 1500, 1500, 1500, 10_000, 1500]) {
      const res = await server.api("POST", "/v1/endpoints", {
        url: `${receiver.url}/unused`,
        tenant: "ep-pages",
        metadata: metadata(bytes),
        disabled: true,
      });
      expect(res.status, res.text).toBe(201);
      ids.push(res.body.id as string);
    }
    const { items, pages } = await walk("/v1/endpoints?tenant=ep-pages");
    expect(items.map((e) => e["id"])).toEqual(ids);
    expect(pages).toEqual([2, 2, 1, 1]);
  });

  it("GET /v1/deliveries: dead letters cut by their failure reasons", async () => {
    const ep = (await server.api("POST", "/v1/endpoints", { url: `${receiver.url}/off`, tenant: "dl-pages", disabled: true })).body
      .id as string;
    const events: string[] = [];
    for (let i = 0; i < 120; i++) {
      const res = await server.api("POST", "/v1/events", { type: "order.created", payload: example("order.created"), tenant: "dl-pages" });
      events.push(res.body.id as string);
    }
    const { items, pages } = await walk(`/v1/deliveries?status=failed&endpointId=${ep}`);
    expect(items.map((d) => d["eventId"])).toEqual(events.reverse());
    const reason = Buffer.byteLength(String(items[0]?.["failureReason"]));
    expect(pages[0]).toBe(Math.floor(BUDGET / reason));
    expect(pages.length).toBeGreaterThan(1);
  });

  it("GET /v1/events/:id/attempts and /v1/endpoints/:id/attempts: cut by response bodies", async () => {
    // Bodies, error messages and the kept headers (~0.5 KiB) count: two attempts fit the budget, three do not.
    receiver.script("/attempts-pages", [{ status: 500, body: "r".repeat(1200) }]);
    const ep = (await server.api("POST", "/v1/endpoints", { url: `${receiver.url}/attempts-pages`, tenant: "at-pages" })).body.id as string;
    const id = (await server.api("POST", "/v1/events", { type: "order.created", payload: example("order.created"), tenant: "at-pages" }))
      .body.id as string;
    await waitUntil(
      async () => (await server.api("GET", `/v1/events/${id}`)).body.deliveries[0].status === "failed",
      10_000,
      "dead letter",
    );
    for (const path of [`/v1/events/${id}/attempts`, `/v1/endpoints/${ep}/attempts`]) {
      const { items, pages } = await walk(path);
      expect(items).toHaveLength(4);
      expect(new Set(items.map((a) => a["id"])).size).toBe(4);
      expect(pages).toEqual([2, 2]);
    }
  });

  it("GET /v1/events: one event larger than the budget still makes a page of its own", async () => {
    const ids = await seedEvents(server, [3000, 5000, 100, 100, 3000], "ev-pages");
    const { items, pages } = await walk("/v1/events?tenant=ev-pages");
    expect(items.map((e) => e["id"])).toEqual(ids);
    expect(pages).toEqual([1, 1, 3]);
  });
});

/** GET with the API key; the body is counted and dropped as it streams (the client holds no page). */
function getBytes(base: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { headers: { authorization: `Bearer ${API_KEY}` }, agent: false }, (res) => {
      let bytes = 0;
      res.on("data", (chunk: Buffer) => (bytes += chunk.length));
      res.on("end", () => (res.statusCode === 200 ? resolve(bytes) : reject(new Error(`GET ${path}: ${res.statusCode}`))));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/**
 * Peak resident memory of this process (the server runs in it) from now: the kernel's high-water
 * mark when it can be reset (Linux), and a 5 ms sampler either way.
 */
function startPeak(): { stop: () => number } {
  const hwm = (): number | undefined => {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
      return match?.[1] === undefined ? undefined : Number(match[1]) * KIB;
    } catch {
      return undefined;
    }
  };
  let kernel = false;
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    kernel = hwm() !== undefined;
  } catch {
    kernel = false;
  }
  const base = process.memoryUsage.rss();
  let max = base;
  const timer = setInterval(() => (max = Math.max(max, process.memoryUsage.rss())), 5);
  return {
    stop() {
      clearInterval(timer);
      max = Math.max(max, process.memoryUsage.rss(), (kernel ? hwm() : undefined) ?? 0);
      return max - base;
    },
  };
}
