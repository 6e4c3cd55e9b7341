import { mkdtempSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PgStore } from "../../src/store/postgres/pg-store.js";
import type { Store } from "../../src/store/store.js";
import { startFaultReceiver } from "../support/fault-receiver.js";
import { schemaName, testDatabaseUrl } from "../support/postgres.js";
import { example, removeStorage, startServer } from "../support/server.js";

/**
 * A TCP proxy in front of PostgreSQL that can be cut: `down()` resets every open connection and
 * refuses new ones (what the server sees when the database host dies), `up()` restores service.
 */
async function startCuttableProxy(
  target: URL,
): Promise<{ url: string; down: () => Promise<void>; up: () => Promise<void>; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  const proxied = new URL(target);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(port);
  const listen = (): Promise<void> => new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.resetAndDestroy();
    });
  return { url: proxied.toString(), down: stop, up: listen, close: stop };
}

describe("PostgreSQL outage under load", () => {
  it("answers 503 (never 202) while the database is gone, backs off without a hot loop, and delivers every accepted event once it returns", {
    timeout: 60_000,
  }, async () => {
    const proxy = await startCuttableProxy(new URL(testDatabaseUrl()));
    const receiver = await startFaultReceiver();
    const dir = mkdtempSync(join(tmpdir(), "hookline-outage-"));
    const real = new PgStore({ connectionString: proxy.url, schema: schemaName(dir), poolSize: 4 });
    let down = false;
    const claimsWhileDown = { n: 0 };
    // Count claims the delivery loop makes during the outage (each one is a connection attempt).
    const store = new Proxy(real, {
      get(target, prop, receiverArg) {
        const value: unknown = Reflect.get(target, prop, receiverArg);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          if (prop === "claim" && down) claimsWhileDown.n++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as Store;
    const server = await startServer({ dir, deps: { store }, config: { leaseMs: 8000 } });
    try {
      await server.api("POST", "/v1/endpoints", { url: `${receiver.url}/outage` });
      const accepted = new Set<string>();
      const statuses = { before: new Map<number, number>(), during: new Map<number, number>(), after: new Map<number, number>() };
      let phase: keyof typeof statuses = "before";
      let stop = false;
      let seq = 0;
      const clients = Array.from({ length: 4 }, async () => {
        while (!stop) {
          const id = `outage-${++seq}`;
          const res = await server.api("POST", "/v1/events", { id, type: "order.created", payload: example("order.created") });
          // Judged when the answer arrives: a request may wait for a pooled connection and complete
          // once the database is back, which is a correct 202.
          const at = phase;
          statuses[at].set(res.status, (statuses[at].get(res.status) ?? 0) + 1);
          if (res.status === 202) accepted.add(id);
          else if (res.status === 503) {
            expect(res.body.error.code).toBe("storage_unavailable");
            expect(res.headers.get("retry-after")).toBe("5");
          }
          await new Promise((r) => setTimeout(r, 10));
        }
      });

      await new Promise((r) => setTimeout(r, 1000));
      await proxy.down();
      down = true;
      await new Promise((r) => setTimeout(r, 200)); // requests already past COMMIT may still answer 202
      phase = "during";
      await new Promise((r) => setTimeout(r, 3000));
      const ready = await server.api("GET", "/readyz");
      expect(ready.status).toBe(503);
      expect(ready.body.checks.database).toBe("failing");
      await proxy.up();
      down = false;
      phase = "after";
      await new Promise((r) => setTimeout(r, 1500));
      stop = true;
      await Promise.all(clients);

      // While the database was gone nothing was accepted, and every refusal was a clear 503.
      expect(statuses.during.get(202) ?? 0).toBe(0);
      expect([...statuses.during.keys()]).toEqual([503]);
      expect(statuses.during.get(503)).toBeGreaterThan(20);
      expect(statuses.after.get(202)).toBeGreaterThan(10);
      // The delivery loop backed off (100 ms doubling to 10 s): a handful of claims in ~3 s, not a spin.
      expect(claimsWhileDown.n).toBeGreaterThanOrEqual(2);
      expect(claimsWhileDown.n).toBeLessThanOrEqual(8);

      // Every event answered 202, before, during or after, is delivered once the database is back.
      await receiver.waitFor((reqs) => {
        const got = new Set(reqs.map((r) => r.headers["webhook-id"]));
        return [...accepted].every((id) => got.has(id));
      }, 30_000);
      expect((await server.api("GET", "/readyz")).status).toBe(200);
    } finally {
      await server.close();
      await removeStorage(dir);
      await receiver.close();
      await proxy.close();
    }
  });
});
