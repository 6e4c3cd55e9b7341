#!/usr/bin/env node
/**
 * The store's share of one event's cost, without HTTP: ingest N events (group-committed in batches
 * of `batch`, as concurrent POSTs are), then claim 8 at a time and complete each, as the worker
 * does with one endpoint. Prints CPU and wall µs per event for each phase.
 *
 *   npm run build && node bench/store-cycle.mjs [events=20000] [batch=16]
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node bench/store-cycle.mjs
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { PgStore } from "../dist/store/postgres/pg-store.js";
import { SqliteStore } from "../dist/store/sqlite/sqlite-store.js";
import { newId } from "../dist/util/ids.js";

const events = Number(process.argv[2] ?? 20000);
const batch = Number(process.argv[3] ?? 16);
const databaseUrl = process.env.DATABASE_URL;
const dir = mkdtempSync(join(tmpdir(), "hookline-store-cycle-"));
const schema = `cycle_${process.pid}`;
const store =
  databaseUrl === undefined
    ? new SqliteStore({ path: join(dir, "cycle.db") })
    : new PgStore({ connectionString: databaseUrl, schema, poolSize: 10, statementTimeoutMs: 30000 });
await store.migrate();
const now = () => Date.now();
await store.createEndpoint({
  id: newId("ep"),
  url: "http://127.0.0.1:1/hook",
  eventTypes: null,
  tenant: null,
  secret: `whsec_${Buffer.alloc(24, 7).toString("base64")}`,
  description: null,
  rateLimit: null,
  disabled: false,
  metadata: {},
  now: now(),
});
const body = Buffer.from(JSON.stringify({ type: "order.created", timestamp: new Date().toISOString(), data: { pad: "x".repeat(1000) } }));

const phase = async (name, run) => {
  const cpu = process.cpuUsage();
  const t = performance.now();
  await run();
  const wall = performance.now() - t;
  const used = process.cpuUsage(cpu);
  console.log(
    `${name}: ${((used.user + used.system) / events).toFixed(0)} µs CPU, ${((wall * 1000) / events).toFixed(0)} µs wall per event`,
  );
};

await phase("ingest", async () => {
  for (let i = 0; i < events; i += batch) {
    const n = Math.min(batch, events - i);
    await Promise.all(
      Array.from({ length: n }, (_, k) =>
        store.ingest({ id: `evt-${i + k}`, type: "order.created", tenant: null, body, requestHash: "h", now: now() }),
      ),
    );
  }
});

let token = 0;
await phase("claim 8 + complete each", async () => {
  let done = 0;
  while (done < events) {
    const t = now();
    const claimed = await store.claim({
      now: t,
      leaseMs: 60000,
      leaseToken: `t${++token}`,
      limit: 8,
      perEndpoint: 8,
      exclude: [],
      budget: () => 8,
    });
    if (claimed.length === 0) throw new Error(`nothing to claim after ${done}`);
    await Promise.all(
      claimed.map((c) =>
        store.complete({
          deliveryId: c.deliveryId,
          leaseToken: c.leaseToken,
          now: now(),
          attempt: {
            id: newId("atm"),
            deliveryId: c.deliveryId,
            eventId: c.eventId,
            endpointId: c.endpoint.id,
            status: "succeeded",
            statusCode: 200,
            durationMs: 1,
            errorCode: null,
            errorMessage: null,
            responseBody: "",
            createdAt: now(),
          },
          next: { status: "delivered" },
          health: { kind: "success" },
        }),
      ),
    );
    done += claimed.length;
  }
});
await store.close();
rmSync(dir, { recursive: true, force: true });
if (databaseUrl !== undefined) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}
