#!/usr/bin/env node
/**
 * Rough ingest→delivery benchmark with one local endpoint (the benchmark issue makes it rigorous).
 *
 *   npm run build && node bench/throughput.mjs [events=5000] [parallel=32] [rate]
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres INSTANCES=3 node bench/throughput.mjs
 *
 * Starts the built server as a child process (default settings, SQLite file in a temp dir, loopback
 * allow-listed) — or, with DATABASE_URL, INSTANCES processes (default 1) sharing a fresh schema in
 * that PostgreSQL database, the POSTs spread round-robin over them — a node:http receiver answering 200 at once, and POSTs `events` events with at most
 * `parallel` requests in flight: as fast as possible (closed loop, for throughput), or at `rate`
 * events/s (open loop, for latency under a sustainable load). Latency of an event = its first
 * delivery received − its POST sent. Throughput = events / (last delivery received − first POST sent).
 * Server CPU per event (user + system time from /proc, Linux only) is the steadier figure when the
 * machine is shared. A warm-up of 500 events (same settings, not measured) runs first: a cold process (JIT, first
 * connections) answers its first dozens of requests in hundreds of milliseconds.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { catalog } from "@hookline/sender";
import pg from "pg";
import { Pool } from "undici";

const events = Number(process.argv[2] ?? 5000);
const parallel = Number(process.argv[3] ?? 32);
const rate = process.argv[4] === undefined ? undefined : Number(process.argv[4]);
const API_KEY = "bench-api-key-0123456789";
const dir = mkdtempSync(join(tmpdir(), "hookline-bench-"));
const databaseUrl = process.env.DATABASE_URL;
const instances = databaseUrl === undefined ? 1 : Number(process.env.INSTANCES ?? 1);
const schema = `bench_${process.pid}_${Date.now()}`;

const received = new Map();
let done;
const receiver = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const id = req.headers["webhook-id"];
    if (!received.has(id)) received.set(id, performance.now());
    res.writeHead(200, { "content-length": "0" }).end();
    done?.();
  });
});
await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const receiverUrl = `http://127.0.0.1:${receiver.address().port}/hook`;

const bin = fileURLToPath(new URL("../bin/hookline-server.js", import.meta.url));
function startServer(n) {
  const child = spawn(
    process.execPath,
    [...(process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []), bin, "serve"],
    {
      env: {
        ...process.env,
        PORT: "0",
        HOOKLINE_DB: join(dir, "bench.db"),
        ...(databaseUrl === undefined ? {} : { HOOKLINE_DB_SCHEMA: schema }),
        HOOKLINE_API_KEY: API_KEY,
        HOOKLINE_EGRESS_ALLOW: "127.0.0.1/32",
        HOOKLINE_LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  const url = new Promise((resolve, reject) => {
    // The banner is on stderr; after it, stderr (warnings, crashes) is passed through.
    let out = "";
    let started = false;
    child.stderr.on("data", (chunk) => {
      if (started) return void process.stderr.write(chunk);
      out += chunk;
      const match = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (match) {
        started = true;
        resolve(match[1]);
      }
    });
    child.once("exit", (code) => reject(new Error(`server ${n} exited ${code}`)));
  });
  return { child, url };
}
const servers = Array.from({ length: instances }, (_, n) => startServer(n));
const urls = await Promise.all(servers.map((s) => s.url));
const children = servers.map((s) => s.child);

const pools = urls.map((u) => new Pool(u, { connections: parallel }));
const headers = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" };
let turn = 0;
const post = async (path, body) => {
  const pool = pools[turn++ % pools.length];
  const res = await pool.request({ method: "POST", path, headers, body: JSON.stringify(body) });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`${path} answered ${res.statusCode}: ${text}`);
  return JSON.parse(text);
};
await post("/v1/endpoints", { url: receiverUrl });

const payload = catalog.eventTypes["order.created"].examples[0];
const sentAt = new Map();

/** Sends `count` events named `${prefix}-n`; resolves when all are delivered. */
async function run(prefix, count) {
  received.clear();
  const target = count;
  const delivered = new Promise((resolve) => (done = () => received.size >= target && resolve()));
  const ingestMs = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        const n = next++;
        if (rate !== undefined) {
          const due = started + (n * 1000) / rate;
          if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
        }
        const id = `${prefix}-${n}`;
        const t = performance.now();
        sentAt.set(id, t);
        await post("/v1/events", { id, type: "order.created", payload });
        ingestMs.push(performance.now() - t);
      }
    }),
  );
  const ingestDone = performance.now();
  if (received.size < count) {
    await Promise.race([
      delivered,
      new Promise((_, reject) => setTimeout(() => reject(new Error(`only ${received.size}/${count} delivered after 120 s`)), 120_000)),
    ]);
  }
  return {
    started,
    ingestDone,
    ingestMs,
    finished: Math.max(...received.values()),
    latencies: [...received].map(([id, at]) => at - sentAt.get(id)),
    arrivals: new Map(received),
  };
}

/** CPU time (user + system) a process has used so far, in ms: steadier than wall time on a shared machine. */
const cpuMs = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
};
const serversCpuMs = () => children.reduce((sum, child) => sum + cpuMs(child.pid), 0);

await run("warmup", Math.min(500, events));
const cpuBefore = serversCpuMs();
const { started, ingestDone, ingestMs, finished, latencies, arrivals } = await run("bench", events);

const cpuPerEvent = (serversCpuMs() - cpuBefore) / events;

const pct = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const fmt = (ms) => `${ms.toFixed(1)} ms`;
console.log(
  `events: ${events}, parallel ingest requests: ${parallel}, ${rate === undefined ? "as fast as possible" : `offered at ${rate}/s`}, one endpoint on loopback; ` +
    (databaseUrl === undefined ? "SQLite" : `PostgreSQL, ${instances} instance${instances === 1 ? "" : "s"}`),
);
console.log(
  `ingest: ${(events / ((ingestDone - started) / 1000)).toFixed(0)} events/s; 202 latency p50 ${fmt(pct(ingestMs, 50))}, p99 ${fmt(pct(ingestMs, 99))}`,
);
console.log(
  `ingest→delivery: ${(events / ((finished - started) / 1000)).toFixed(0)} events/s end to end; latency p50 ${fmt(pct(latencies, 50))}, p99 ${fmt(pct(latencies, 99))}, max ${fmt(Math.max(...latencies))}`,
);

console.log(`server CPU: ${(cpuPerEvent * 1000).toFixed(0)} µs per event (user + system, all instances)`);

await Promise.all(pools.map((p) => p.close()));
await Promise.all(
  children.map(
    (child) =>
      new Promise((resolve) => {
        child.once("exit", resolve);
        child.kill("SIGTERM");
      }),
  ),
);
receiver.close();
rmSync(dir, { recursive: true, force: true });
if (databaseUrl !== undefined) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}
if (process.env.BENCH_DEBUG) {
  const slow = [...arrivals]
    .map(([id, at]) => [sentAt.get(id) - started, at - sentAt.get(id)])
    .filter(([, l]) => l > 100)
    .sort((a, b) => a[0] - b[0]);
  const buckets = new Map();
  for (const [t, l] of slow) buckets.set(Math.floor(t / 250) * 250, Math.max(buckets.get(Math.floor(t / 250) * 250) ?? 0, l));
  console.log(
    "slow events (>100 ms) by send time (250 ms buckets → max latency):",
    [...buckets].map(([t, l]) => `${t}:${l.toFixed(0)}`).join(" "),
  );
}
