import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFaultReceiver, type FaultReceiver } from "../support/fault-receiver.js";
import { assertBuilt, spawnServer, type ServerProcess } from "../support/process.js";
import { API_KEY, example, header } from "../support/server.js";

const SECRET = `whsec_${Buffer.alloc(32, 42).toString("base64")}`;

describe("crash safety (kill -9) and graceful shutdown of the real process", () => {
  let dir: string;
  let receiver: FaultReceiver;

  beforeAll(async () => {
    assertBuilt();
    dir = mkdtempSync(join(tmpdir(), "hookline-crash-"));
    receiver = await startFaultReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const env = (db: string, extra: Record<string, string> = {}): Record<string, string> => ({
    HOOKLINE_DB: join(dir, db),
    HOOKLINE_API_KEY: API_KEY,
    HOOKLINE_EGRESS_ALLOW: "127.0.0.1/32",
    HOOKLINE_REQUEST_TIMEOUT_MS: "500",
    HOOKLINE_LEASE_MS: "5500",
    HOOKLINE_RETRY_SCHEDULE: "50ms,100ms,200ms,400ms,800ms,1s,1s,1s",
    ...extra,
  });
  const call = (url: string, method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${API_KEY}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it("delivers every accepted event after repeated kill -9 under load, duplicates only with the same webhook-id", {
    timeout: 60_000,
  }, async () => {
    // Slow-ish receiver so deliveries are in flight when the process dies.
    receiver.script("/crash", () => ({ status: 200, delayMs: Math.floor(Math.random() * 30) }));
    const accepted = new Set<string>();
    const attempted = new Set<string>();
    let server = await spawnServer(env("crash.db"));
    expect((await call(server.url, "POST", "/v1/endpoints", { url: `${receiver.url}/crash`, secret: SECRET })).status).toBe(201);

    let seq = 0;
    const load = (target: ServerProcess, stop: { now: boolean }): Promise<void>[] =>
      Array.from({ length: 12 }, async () => {
        while (!stop.now) {
          const id = `crash-${++seq}`;
          attempted.add(id);
          try {
            const res = await call(target.url, "POST", "/v1/events", { id, type: "order.created", payload: example("order.created") });
            if (res.status === 202 || res.status === 200) accepted.add(id);
            else await res.text();
          } catch {
            return; // the server died under us
          }
        }
      });

    for (let round = 0; round < 3; round++) {
      const stop = { now: false };
      const loaders = load(server, stop);
      await new Promise((r) => setTimeout(r, 700 + round * 150));
      server.child.kill("SIGKILL");
      expect(await server.exited).toBe("SIGKILL");
      stop.now = true;
      await Promise.all(loaders);
      server = await spawnServer(env("crash.db"));
    }
    expect(accepted.size).toBeGreaterThan(100);

    const receivedIds = (): Set<string> =>
      new Set(receiver.requests.filter((r) => r.path === "/crash").map((r) => header(r, "webhook-id")));
    await receiver.waitFor(() => {
      const got = receivedIds();
      return [...accepted].every((id) => got.has(id));
    }, 30_000);

    const byId = new Map<string, Buffer[]>();
    for (const r of receiver.requests.filter((x) => x.path === "/crash")) {
      const id = header(r, "webhook-id");
      expect(attempted.has(id), `unknown webhook-id ${id}`).toBe(true);
      byId.set(id, [...(byId.get(id) ?? []), r.body]);
      new Webhook(SECRET).verify(r.body, {
        "webhook-id": id,
        "webhook-timestamp": header(r, "webhook-timestamp"),
        "webhook-signature": header(r, "webhook-signature"),
      });
    }
    // A duplicate is the same event: same webhook-id, byte-identical body.
    for (const bodies of byId.values()) for (const b of bodies) expect(b.equals(bodies[0]!)).toBe(true);

    // Events stored whose 202 was lost with the process are delivered too, once their leases expire.
    const reader = new Database(join(dir, "crash.db"), { readonly: true });
    const undelivered = (): number => reader.prepare("SELECT COUNT(*) FROM deliveries WHERE status <> 'delivered'").pluck().get() as number;
    const deadline = Date.now() + 20_000;
    while (undelivered() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    reader.close();

    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    const db = new Database(join(dir, "crash.db"), { readonly: true });
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      const events = db.prepare("SELECT id FROM events").pluck().all() as string[];
      for (const id of accepted) expect(events).toContain(id);
      expect(db.prepare("SELECT COUNT(*) FROM deliveries WHERE status <> 'delivered'").pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });

  it("on SIGTERM stops claiming, lets in-flight deliveries finish, gives back what outlives the deadline, and exits 0", {
    timeout: 30_000,
  }, async () => {
    receiver.script("/drain/slow", [{ status: 200, delayMs: 800 }]);
    receiver.script("/drain/hang", [{ hang: true }]);
    const server = await spawnServer(
      env("drain.db", { HOOKLINE_REQUEST_TIMEOUT_MS: "20000", HOOKLINE_LEASE_MS: "30000", HOOKLINE_SHUTDOWN_TIMEOUT_MS: "2000" }),
    );
    await call(server.url, "POST", "/v1/endpoints", { url: `${receiver.url}/drain/slow`, tenant: "slow" });
    await call(server.url, "POST", "/v1/endpoints", { url: `${receiver.url}/drain/hang`, tenant: "hang" });
    for (const tenant of ["slow", "slow", "hang"]) {
      expect(
        (await call(server.url, "POST", "/v1/events", { type: "order.created", payload: example("order.created"), tenant })).status,
      ).toBe(202);
    }
    await receiver.waitFor(() => receiver.inFlight("/drain/slow") === 2 && receiver.inFlight("/drain/hang") === 1);
    const started = Date.now();
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(1900);
    expect(took).toBeLessThan(5000);

    const db = new Database(join(dir, "drain.db"), { readonly: true });
    try {
      const rows = db
        .prepare(
          "SELECT e.tenant, d.status, d.attempts, d.lease_token FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id ORDER BY e.tenant",
        )
        .all() as { tenant: string; status: string; attempts: number; lease_token: string | null }[];
      expect(rows).toEqual([
        { tenant: "hang", status: "pending", attempts: 0, lease_token: null },
        { tenant: "slow", status: "delivered", attempts: 1, lease_token: null },
        { tenant: "slow", status: "delivered", attempts: 1, lease_token: null },
      ]);
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      db.close();
    }
  });
});
