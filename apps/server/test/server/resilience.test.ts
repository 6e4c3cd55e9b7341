import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Store } from "../../src/store/store.js";
import { startFaultReceiver } from "../support/fault-receiver.js";
import { example, removeStorage, startServer, storeFor, waitUntil } from "../support/server.js";

describe("resilience", () => {
  it("encrypts secrets at rest; a wrong master key is an internal error that consumes no attempt and ends as a dead letter with the reason", {
    timeout: 15_000,
  }, async () => {
    const receiver = await startFaultReceiver();
    const rightKey = Buffer.alloc(32, 1);
    const first = await startServer({ config: { masterKey: rightKey }, deps: { startWorker: false } });
    const secret = `whsec_${Buffer.alloc(32, 5).toString("base64")}`;
    const ep = (await first.api("POST", "/v1/endpoints", { url: `${receiver.url}/enc`, secret })).body.id as string;
    expect((await first.api("GET", `/v1/endpoints/${ep}/secret`)).body.secret).toBe(secret);
    await first.app.close();
    const [row] = await first.query<{ secret: string }>("SELECT secret FROM endpoints WHERE id = $1", [ep]);
    const stored = row?.secret ?? "";
    expect(stored).toMatch(/^enc:v1:/);
    expect(stored).not.toContain(secret.slice(6));

    const wrong = await startServer({ dir: first.dir, config: { masterKey: Buffer.alloc(32, 2), internalErrorLimit: 3 } });
    const id = (await wrong.api("POST", "/v1/events", { type: "order.created", payload: example("order.created") })).body.id as string;
    const failed = await waitUntil(async () => {
      const d = (await wrong.api("GET", `/v1/events/${id}`)).body.deliveries[0];
      return d.status === "failed" ? d : undefined;
    });
    expect(failed.attempts).toBe(0);
    expect(failed.failureReason).toMatch(/^internal error \(signing\) 3 times; last: .*HOOKLINE_MASTER_KEY/);
    expect(receiver.requests).toHaveLength(0);
    expect(await (await fetch(`${wrong.url}/metrics`)).text()).toMatch(/^hookline_internal_errors_total\{stage="signing"\} 3$/m);
    await wrong.app.close();

    const fixed = await startServer({ dir: first.dir, config: { masterKey: rightKey } });
    await fixed.api("POST", `/v1/events/${id}/replay`, {});
    await waitUntil(async () => (await fixed.api("GET", `/v1/events/${id}`)).body.deliveries[0].status === "delivered");
    await fixed.app.close();
    await removeStorage(first.dir);
    await receiver.close();
  });

  it("backs off while the database fails (no hot loop), reports not ready, and recovers", { timeout: 15_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "hookline-flaky-"));
    const real = storeFor(dir);
    let down = false;
    const calls = new Map<string, number>();
    const flaky = new Proxy(real, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          if (down && prop !== "close" && prop !== "stats") {
            calls.set(String(prop), (calls.get(String(prop)) ?? 0) + 1);
            return Promise.reject(new Error("SQLITE_IOERR: disk I/O error"));
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as Store;
    const receiver = await startFaultReceiver();
    const server = await startServer({ dir, deps: { store: flaky } });
    try {
      await server.api("POST", "/v1/endpoints", { url: `${receiver.url}/flaky-db` });
      down = true;
      await new Promise((r) => setTimeout(r, 1600));
      // 100, 200, 400, 800 ms...: a handful of claims, not thousands.
      expect(calls.get("claim") ?? 0).toBeGreaterThanOrEqual(2);
      expect(calls.get("claim") ?? 0).toBeLessThanOrEqual(6);
      const ready = await server.api("GET", "/readyz");
      expect(ready.status).toBe(503);
      expect(ready.body.checks.database).toBe("failing");
      const refused = await server.api("POST", "/v1/events", { type: "order.created", payload: example("order.created") });
      expect(refused.status).toBe(500);
      expect(refused.body.error.code).toBe("internal_error");
      expect(refused.text).not.toContain("SQLITE");

      down = false;
      expect((await server.api("GET", "/readyz")).status).toBe(200);
      const id = (await server.api("POST", "/v1/events", { type: "order.created", payload: example("order.created") })).body.id as string;
      await receiver.waitFor((reqs) => reqs.some((r) => r.headers["webhook-id"] === id), 5000);
    } finally {
      await server.close();
      await receiver.close();
      await removeStorage(dir);
    }
  });
});
