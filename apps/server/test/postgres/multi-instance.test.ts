import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PG_MIGRATIONS } from "../../src/store/postgres/migrations.js";
import { assertBuilt, spawnServer, type ServerProcess } from "../support/process.js";
import { dropSchema, schemaName, sql, testDatabaseUrl } from "../support/postgres.js";
import { API_KEY, example } from "../support/server.js";

const SECRET = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
const LEASE_MS = 8000;

interface Hit {
  readonly id: string;
  readonly body: Buffer;
  readonly start: number;
  /** When we answered, or when the sender closed the connection first (its timeout, or its death). */
  end: number;
  outcome: "pending" | "answered" | "aborted";
}

/**
 * A receiver that answers 200 after a short random delay and records every request per webhook-id.
 * A request is in flight from its arrival until we answer or the sender closes the connection, and
 * the receiver tracks the most requests in flight at once for any one id.
 */
async function startCountingReceiver(): Promise<{
  url: string;
  hits: Hit[];
  maxConcurrentPerId: () => number;
  /** While held, requests arrive but are not answered; releasing answers them. */
  hold: (on: boolean) => void;
  close: () => Promise<void>;
}> {
  const hits: Hit[] = [];
  let held: (() => void)[] | undefined;
  const inFlight = new Map<string, number>();
  let maxPerId = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const webhookId = String(req.headers["webhook-id"]);
      // One event goes to several endpoints with the same webhook-id: a delivery is (path, id).
      const id = `${req.url} ${webhookId}`;
      new Webhook(SECRET).verify(Buffer.concat(chunks).toString("utf8"), {
        "webhook-id": webhookId,
        "webhook-timestamp": String(req.headers["webhook-timestamp"]),
        "webhook-signature": String(req.headers["webhook-signature"]),
      });
      const hit: Hit = { id, body: Buffer.concat(chunks), start: Date.now(), end: Number.POSITIVE_INFINITY, outcome: "pending" };
      hits.push(hit);
      const now = (inFlight.get(id) ?? 0) + 1;
      inFlight.set(id, now);
      maxPerId = Math.max(maxPerId, now);
      const finish = (outcome: Hit["outcome"]): void => {
        if (hit.outcome !== "pending") return;
        hit.outcome = outcome;
        hit.end = Date.now();
        inFlight.set(id, (inFlight.get(id) ?? 1) - 1);
      };
      res.on("close", () => finish(res.writableFinished ? "answered" : "aborted"));
      // Long enough that every instance always has deliveries in flight, so the one killed does too.
      const answer = (): void => {
        if (hit.outcome !== "pending") return;
        if (held !== undefined) held.push(answer);
        else res.writeHead(200).end("ok", () => finish("answered"));
      };
      setTimeout(answer, 50 + Math.floor(Math.random() * 100));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    maxConcurrentPerId: () => maxPerId,
    hold: (on) => {
      if (on) held ??= [];
      else {
        const waiting = held ?? [];
        held = undefined;
        for (const answer of waiting) answer();
      }
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function waitFor(probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the condition");
    await new Promise((r) => setTimeout(r, 5));
  }
}

const call = (url: string, method: string, path: string, body?: unknown): Promise<Response> =>
  fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${API_KEY}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe("three server processes on one PostgreSQL database", () => {
  const schema = schemaName();
  const env: Record<string, string> = {
    DATABASE_URL: testDatabaseUrl(),
    HOOKLINE_DB_SCHEMA: schema,
    HOOKLINE_DB_POOL_SIZE: "4",
    HOOKLINE_API_KEY: API_KEY,
    HOOKLINE_EGRESS_ALLOW: "127.0.0.1/32",
    HOOKLINE_REQUEST_TIMEOUT_MS: "3000",
    HOOKLINE_LEASE_MS: String(LEASE_MS),
    HOOKLINE_RETRY_SCHEDULE: "100ms,200ms,400ms,800ms,1s,1s,1s",
    // 3 endpoints × 8 = 24 deliveries in flight at most, 8 per instance: when the receiver stalls,
    // every instance fills its 8 slots, the victim included.
    HOOKLINE_CONCURRENCY: "8",
    HOOKLINE_ENDPOINT_CONCURRENCY: "8",
  };
  const servers: ServerProcess[] = [];

  beforeAll(() => assertBuilt());
  afterAll(async () => {
    for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill("SIGKILL");
    await dropSchema(schema);
  });

  it("shares the load, survives kill -9 of one instance mid-load: every accepted event delivered, never twice at once, duplicates only after a lease expiry and with the same webhook-id", {
    timeout: 90_000,
  }, async () => {
    const receiver = await startCountingReceiver();
    try {
      // All three start at once against a fresh schema: the migration runs once, under the advisory lock.
      servers.push(...(await Promise.all([spawnServer(env), spawnServer(env), spawnServer(env)])));
      for (const path of ["/a", "/b", "/c"]) {
        const created = await call(servers[0]!.url, "POST", "/v1/endpoints", { url: `${receiver.url}${path}`, secret: SECRET });
        expect(created.status).toBe(201);
      }

      const accepted = new Set<string>();
      let seq = 0;
      let stop = false;
      // 12 clients; each posts to the instances in turn and, when one is down, retries the same id on the next.
      const clients = Array.from({ length: 12 }, async (_, client) => {
        let target = client % 3;
        while (!stop) {
          const id = `multi-${++seq}`;
          for (let tries = 0; tries < 3 && !stop; tries++) {
            const server = servers[target]!;
            target = (target + 1) % 3;
            try {
              const res = await call(server.url, "POST", "/v1/events", { id, type: "order.created", payload: example("order.created") });
              await res.text();
              if (res.status === 202 || res.status === 200) {
                accepted.add(id);
                // At most about 300 events/s in all: the backlog must drain at the receiver's pace
                // (24 slots × ~100 ms) within the deadline below, however fast the servers accept.
                await new Promise((r) => setTimeout(r, 40));
                break;
              }
            } catch {
              // that instance is down: the same id goes to the next one
            }
          }
        }
      });

      await new Promise((r) => setTimeout(r, 1500));
      const victim = servers[1]!;
      // Kill it while its attempts are at the receiver, so survivors must take its leases over.
      receiver.hold(true);
      await waitFor(
        async () =>
          Number(/^hookline_deliveries_in_flight (\d+)$/m.exec(await (await fetch(`${victim.url}/metrics`)).text())?.[1] ?? 0) >= 4,
      );
      await new Promise((r) => setTimeout(r, 100));
      const killAt = Date.now();
      victim.child.kill("SIGKILL");
      expect(await victim.exited).toBe("SIGKILL");
      const killedAt = Date.now();
      receiver.hold(false);
      await new Promise((r) => setTimeout(r, 1000));
      servers[1] = await spawnServer(env);
      await new Promise((r) => setTimeout(r, 1500));
      stop = true;
      await Promise.all(clients);
      expect(accepted.size).toBeGreaterThan(300);

      // Every accepted event arrives (those the victim had leased: once their lease expires).
      const deadline = Date.now() + 40_000;
      const received = (): Set<string> => new Set(receiver.hits.map((h) => h.id));
      const expected = [...accepted].flatMap((id) => ["/a", "/b", "/c"].map((path) => `${path} ${id}`));
      // One set per check: this process is also the receiver, and a busy loop here delays its answers.
      const allArrived = (): boolean => {
        const got = received();
        return expected.every((id) => got.has(id));
      };
      while (!allArrived() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const got = received();
      expect(expected.filter((id) => !got.has(id))).toEqual([]);

      // Never in flight twice at once for one id, on any instance.
      expect(receiver.maxConcurrentPerId()).toBe(1);

      // A duplicate is the same event: same webhook-id, same bytes. After an answered copy, only a lease
      // takeover can send it again (the instance that got the 2xx died before recording it), so not
      // before the lease ran out; after an aborted copy (sender timed out or died) a retry may follow.
      const byId = new Map<string, Hit[]>();
      for (const hit of receiver.hits) byId.set(hit.id, [...(byId.get(hit.id) ?? []), hit]);
      let takenOver = 0;
      for (const list of byId.values()) {
        list.sort((a, b) => a.start - b.start);
        for (let i = 1; i < list.length; i++) {
          const previous = list[i - 1]!;
          const again = list[i]!;
          expect(again.body.equals(previous.body)).toBe(true);
          expect(again.start).toBeGreaterThanOrEqual(previous.end);
          // The lease was taken a little before the first request started: allow for that.
          if (previous.outcome === "answered") expect(again.start - previous.start).toBeGreaterThanOrEqual(LEASE_MS - 1500);
          if (previous.start <= killedAt + 500 && previous.end >= killAt && again.start - previous.start >= LEASE_MS - 1500) takenOver++;
        }
      }
      // The victim was killed with attempts in flight: survivors took those deliveries over.
      expect(takenOver).toBeGreaterThan(0);

      // Load was shared: every surviving instance made attempts.
      for (const server of [servers[0]!, servers[2]!]) {
        const metrics = await (await fetch(`${server.url}/metrics`)).text();
        const attempts = [...metrics.matchAll(/^hookline_attempts_total\{[^}]*\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
        expect(attempts).toBeGreaterThan(20);
      }

      // The database agrees: nothing left undelivered, every accepted event stored.
      const wait = Date.now() + 20_000;
      const undelivered = async (): Promise<number> =>
        (await sql<{ n: number }>("SELECT count(*) AS n FROM deliveries WHERE status <> 'delivered'", [], schema))[0]?.n ?? -1;
      while ((await undelivered()) > 0 && Date.now() < wait) await new Promise((r) => setTimeout(r, 100));
      expect(await undelivered()).toBe(0);
      const stored = new Set((await sql<{ id: string }>("SELECT id FROM events", [], schema)).map((r) => r.id));
      expect([...accepted].filter((id) => !stored.has(id))).toEqual([]);
      // Each version applied once, however many instances started at the same moment.
      const migrations = await sql<{ version: number }>("SELECT version FROM migrations ORDER BY version", [], schema);
      expect(migrations.map((m) => m.version)).toEqual(PG_MIGRATIONS.map((m) => m.version));
    } finally {
      for (const s of servers) s.child.kill("SIGTERM");
      await Promise.all(servers.map((s) => s.exited));
      await receiver.close();
    }
  });
});
