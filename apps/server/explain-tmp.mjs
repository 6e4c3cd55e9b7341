// Ad-hoc: EXPLAIN every statement the store runs for each dashboard list, at 100k events (not committed).
import Database from "better-sqlite3";
import pg from "pg";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteStore } from "./dist/store/sqlite/sqlite-store.js";
import { PgStore } from "./dist/store/postgres/pg-store.js";
import { seedSqlite, seedPostgres } from "../bench/dist/benchmarks/dashboard/seed.js";

const backend = process.argv[2];
const EVENTS = Number(process.argv[3] ?? 100000);
const now = Date.now();
const page = { limit: 50, maxBytes: 1 << 20 };
let capture = null;
const plans = [];

async function lists(store, endpoints) {
  const ep = endpoints[0];
  const event = (await store.listEvents({ ...page, order: "desc", status: "failed", limit: 1 })).rows[0];
  const cases = [
    ["events first page (desc)", () => store.listEvents({ ...page, order: "desc" })],
    ["events first page (asc, polling)", () => store.listEvents({ ...page })],
    ["events by type", () => store.listEvents({ ...page, order: "desc", type: "order.shipped" })],
    ["events by tenant", () => store.listEvents({ ...page, order: "desc", tenant: ep.tenant })],
    ["events by status failed", () => store.listEvents({ ...page, order: "desc", status: "failed" })],
    ["events by endpoint", () => store.listEvents({ ...page, order: "desc", endpointId: ep.id })],
    ["events since/until last hour", () => store.listEvents({ ...page, order: "desc", since: now - 3600000, until: now })],
    ["events since 6 days ago (asc)", () => store.listEvents({ ...page, since: now - 6 * 86400000 })],
    ["events tenant+type+status", () => store.listEvents({ ...page, order: "desc", tenant: ep.tenant, type: "order.created", status: "failed" })],
    ["events deep page", () => store.listEvents({ ...page, order: "desc", after: Math.floor(EVENTS / 2) })],
    ["event deliveries", () => store.listDeliveries(event.id)],
    ["event attempts", () => store.listAttempts({ ...page, eventId: event.id })],
    ["endpoint attempts", () => store.listAttempts({ ...page, endpointId: ep.id })],
    ["endpoints page 250", () => store.listEndpoints({ ...page, limit: 250 })],
    ["endpoint health x250", () => store.endpointActivity(endpoints.slice(0, 250).map((e) => e.id), now - 86400000)],
    ["deliveries dead letters", () => store.findDeliveries({ ...page, status: "failed" })],
    ["deliveries dead letters of endpoint", () => store.findDeliveries({ ...page, status: "failed", endpointId: ep.id })],
    ["deliveries of endpoint", () => store.findDeliveries({ ...page, endpointId: ep.id })],
    ["deliveries of event", () => store.findDeliveries({ ...page, eventId: event.id })],
    ["deliveries of tenant", () => store.findDeliveries({ ...page, tenant: ep.tenant })],
    ["deliveries since/until", () => store.findDeliveries({ ...page, since: now - 3600000, until: now })],
    ["deliveries updatedAfter 1 min", () => store.findDeliveries({ ...page, updatedAfter: now - 60000 })],
  ];
  for (const [name, run] of cases) {
    capture = [];
    const t = performance.now();
    await run();
    const ms = performance.now() - t;
    const statements = capture;
    capture = null;
    plans.push({ name, ms: ms.toFixed(1), statements });
  }
}

if (backend === "sqlite") {
  const dir = mkdtempSync(join(tmpdir(), "feeds-explain-"));
  const path = join(dir, "x.db");
  const store = new SqliteStore({ path });
  await store.migrate();
  const endpoints = [];
  for (let i = 0; i < 1000; i++) {
    const e = await store.createEndpoint({ id: `ep_${String(i).padStart(6, "0")}`, url: `http://127.0.0.1:9/ep${i}`, eventTypes: null, tenant: `tenant-${i % 20}`, secret: "whsec_" + Buffer.alloc(24, 1).toString("base64"), description: null, rateLimit: null, disabled: false, metadata: {}, now });
    endpoints.push({ id: e.id, tenant: e.tenant });
  }
  const t = performance.now();
  seedSqlite(path, EVENTS, endpoints, now);
  console.error(`seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const explainDb = new Database(path, { readonly: true });
  const origPrepare = Database.prototype.prepare;
  Database.prototype.prepare = function (text) {
    const stmt = origPrepare.call(this, text);
    if (capture !== null && /^\s*SELECT/i.test(text) && this !== explainDb) {
      const plan = origPrepare.call(explainDb, `EXPLAIN QUERY PLAN ${text}`);
      const wrap = (fn) => (...args) => { try { capture.push({ sql: text.replace(/\s+/g, " ").slice(0, 300), plan: plan.all(...args).map((r) => r.detail) }); } catch (e) { capture.push({ sql: text, plan: [String(e)] }); } return fn.apply(stmt, args); };
      for (const m of ["all", "get"]) stmt[m] = wrap(stmt[m]);
    }
    return stmt;
  };
  await lists(store, endpoints);
  await store.close();
} else {
  const url = "postgres://postgres@127.0.0.1:5432/hookline_feeds";
  const schema = "explain_feeds";
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  const store = new PgStore({ connectionString: url, schema });
  await store.migrate();
  const endpoints = [];
  for (let i = 0; i < 1000; i++) {
    const e = await store.createEndpoint({ id: `ep_${String(i).padStart(6, "0")}`, url: `http://127.0.0.1:9/ep${i}`, eventTypes: null, tenant: `tenant-${i % 20}`, secret: "whsec_" + Buffer.alloc(24, 1).toString("base64"), description: null, rateLimit: null, disabled: false, metadata: {}, now });
    endpoints.push({ id: e.id, tenant: e.tenant });
  }
  const t = performance.now();
  await seedPostgres(url, schema, EVENTS, endpoints, now);
  console.error(`seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  await admin.query(`SET search_path TO ${schema}`);
  const origQuery = pg.Pool.prototype.query;
  const patch = (proto) => {
    const orig = proto.query;
    proto.query = function (config, values, cb) {
      const text = typeof config === "string" ? config : config?.text;
      const vals = typeof config === "string" ? values : (config?.values ?? values);
      if (capture !== null && this !== admin && typeof text === "string" && /^\s*SELECT|^\s*WITH/i.test(text)) {
        const entry = { sql: text.replace(/\s+/g, " ").slice(0, 300), plan: null };
        capture.push(entry);
        entry.pending = admin.query(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) ${text}`, vals).then((r) => { entry.plan = r.rows.map((x) => x["QUERY PLAN"]); }, (e) => { entry.plan = [String(e)]; });
      }
      return orig.call(this, config, values, cb);
    };
  };
  patch(pg.Client.prototype);
  await lists(store, endpoints);
  for (const p of plans) for (const s of p.statements) await s.pending;
  await store.close();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
}
for (const p of plans) {
  console.log(`\n## ${p.name} (${p.ms} ms)`);
  for (const s of p.statements) {
    console.log(`  SQL: ${s.sql}`);
    for (const line of s.plan ?? []) console.log(`    ${line}`);
  }
}
