/**
 * Issue #16, dashboard quality: "fast first paint on a 10,000-event database (paged and indexed
 * queries); measure the slowest page's API time with 100k events". The built server (child process)
 * on a database seeded with 100,000 events (5,000 with --quick), three deliveries each, their
 * attempts and 1,000 endpoints (100), on SQLite and on PostgreSQL; then every API call a dashboard
 * page makes is timed over real HTTP, one at a time on a keep-alive connection: p50 and max per call,
 * and the slowest call.
 */
import path from "node:path";
import { Pool } from "undici";
import type { BenchResult, Metric, MetricsResult } from "../../harness/results.js";
import { quantile } from "../../harness/stats.js";
import { skippedResult } from "../common.js";
import { benchDatabaseUrl, dropSchema, freshSchemaName, postgresUnavailable, redactDatabaseUrl } from "../e2e/postgres.js";
import { buildServer, profileArgs, type ServerProcess, startDeliveryServer } from "../e2e/server-process.js";
import type { Benchmark, BenchContext, Mode } from "../types.js";
import { seedPostgres, seedSqlite, type SeedCounts } from "./seed.js";
import { EVENT_TYPES, type SeedEndpoint, TENANTS } from "./seed-data.js";

export const DASHBOARD_SIZES: Readonly<Record<Mode, { readonly events: number; readonly endpoints: number; readonly samples: number }>> = {
  full: { events: 100_000, endpoints: 1000, samples: 20 },
  quick: { events: 5_000, endpoints: 100, samples: 5 },
};
const WARMUP_SAMPLES = 2;

/** One API call of a dashboard page. */
export interface DashboardCall {
  readonly name: string;
  readonly path: string;
}

export interface CallTiming {
  readonly name: string;
  readonly p50Ms: number;
  readonly maxMs: number;
}

interface Backend {
  readonly id: "sqlite" | "postgres";
  readonly title: string;
  start(ctx: BenchContext): Promise<ServerProcess>;
  seed(events: number, endpoints: readonly SeedEndpoint[], now: number): Promise<SeedCounts>;
}

/** The figures of one backend: p50 and max of every call, then the slowest call by p50 and by max. */
export function dashboardMetrics(timings: readonly CallTiming[], seedSeconds: number): Metric[] {
  const slowest = (pick: (t: CallTiming) => number): CallTiming =>
    timings.reduce((a, b) => (pick(b) > pick(a) ? b : a), timings[0] ?? { name: "none", p50Ms: Number.NaN, maxMs: Number.NaN });
  const byP50 = slowest((t) => t.p50Ms);
  const byMax = slowest((t) => t.maxMs);
  return [
    { name: `slowest call, p50: ${byP50.name}`, value: byP50.p50Ms, unit: "ms" },
    { name: `slowest call, max: ${byMax.name}`, value: byMax.maxMs, unit: "ms" },
    ...timings.flatMap((t): Metric[] => [
      { name: `${t.name}: p50`, value: t.p50Ms, unit: "ms" },
      { name: `${t.name}: max`, value: t.maxMs, unit: "ms" },
    ]),
    { name: "seeding (direct SQL, not timed as a page)", value: seedSeconds, unit: "s" },
  ];
}

/** The calls, given what the seeded database holds (ids found through the API itself). */
export function dashboardCalls(found: {
  readonly endpointId: string;
  readonly tenant: string;
  readonly eventId: string;
  readonly deepCursor: string;
  readonly now: number;
}): DashboardCall[] {
  const hourAgo = new Date(found.now - 3_600_000).toISOString();
  const minuteAgo = new Date(found.now - 60_000).toISOString();
  const now = new Date(found.now).toISOString();
  const events = "/v1/events?order=desc&limit=50";
  return [
    { name: "events, first page", path: events },
    { name: "events by type", path: `${events}&type=${EVENT_TYPES[1]}` },
    { name: "events by tenant", path: `${events}&tenant=${found.tenant}` },
    { name: "events by status (failed)", path: `${events}&status=failed` },
    { name: "events by endpoint", path: `${events}&endpointId=${found.endpointId}` },
    { name: "events of the last hour", path: `${events}&since=${hourAgo}&until=${now}` },
    { name: "events by tenant + type + status", path: `${events}&tenant=${found.tenant}&type=${EVENT_TYPES[0]}&status=failed` },
    { name: "events, deep page (cursor half way)", path: `${events}&after=${found.deepCursor}` },
    { name: "event page: event and its deliveries", path: `/v1/events/${found.eventId}` },
    { name: "event page: its attempts", path: `/v1/events/${found.eventId}/attempts` },
    { name: "endpoints with health (250 a page)", path: "/v1/endpoints?limit=250" },
    { name: "endpoint with health", path: `/v1/endpoints/${found.endpointId}` },
    { name: "endpoint's attempts", path: `/v1/endpoints/${found.endpointId}/attempts` },
    { name: "dead letters", path: "/v1/deliveries?status=failed&limit=50" },
    { name: "dead letters of an endpoint", path: `/v1/deliveries?status=failed&endpointId=${found.endpointId}&limit=50` },
    { name: "deliveries of a tenant", path: `/v1/deliveries?tenant=${found.tenant}&limit=50` },
    { name: "live poll: deliveries updatedAfter (1 min)", path: `/v1/deliveries?updatedAfter=${minuteAgo}&limit=50` },
  ];
}

async function runDashboard(ctx: BenchContext, backend: Backend): Promise<MetricsResult> {
  const size = DASHBOARD_SIZES[ctx.mode];
  const title = `Dashboard API, ${backend.title}, ${size.events.toLocaleString("en-US")} events${ctx.mode === "quick" ? " (quick)" : ""}`;
  const server = await backend.start(ctx);
  // Replaced after seeding: the server closes keep-alive connections idle that long, and a request
  // sent on one as it closes fails ("other side closed").
  let pool = new Pool(server.url, { connections: 8 });
  const headers = { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" };
  const call = async (method: "GET" | "POST", apiPath: string, expected: number, body?: unknown): Promise<string> => {
    const response = await pool.request({ method, path: apiPath, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await response.body.text();
    if (response.statusCode !== expected)
      throw new Error(`${title}: ${method} ${apiPath} answered ${response.statusCode}: ${text.slice(0, 300)}\n${server.stderrTail()}`);
    return text;
  };
  try {
    ctx.log(`${title}: creating ${size.endpoints} endpoints`);
    const endpoints: SeedEndpoint[] = new Array(size.endpoints);
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = next++; i < size.endpoints; i = next++) {
          const tenant = `tenant-${i % TENANTS}`;
          // A closed port: no delivery is ever due, but the URL must pass the egress policy.
          const created = JSON.parse(await call("POST", "/v1/endpoints", 201, { url: `http://127.0.0.1:9/ep${i}`, tenant })) as {
            id: string;
          };
          endpoints[i] = { id: created.id, tenant };
        }
      }),
    );
    await pool.close();
    const now = Date.now();
    ctx.log(`${title}: seeding ${size.events} events with their deliveries and attempts`);
    const seedFrom = performance.now();
    const counts = await backend.seed(size.events, endpoints, now);
    const seedSeconds = (performance.now() - seedFrom) / 1000;
    ctx.log(`${title}: seeded ${JSON.stringify(counts)} in ${seedSeconds.toFixed(1)} s`);
    pool = new Pool(server.url, { connections: 1 });

    const failed = JSON.parse(await call("GET", "/v1/events?order=desc&limit=1&status=failed", 200)) as { data: { id: string }[] };
    const eventId = failed.data[0]?.id;
    if (eventId === undefined) throw new Error(`${title}: the seeded database has no failed event.`);
    // The cursor half way down the newest-first list, found by following nextCursor as a client would.
    let deepCursor = "";
    for (let seen = 0; seen < size.events / 2; seen += 250) {
      const page = JSON.parse(
        await call("GET", `/v1/events?order=desc&limit=250${deepCursor === "" ? "" : `&after=${deepCursor}`}`, 200),
      ) as {
        nextCursor: string | null;
      };
      if (page.nextCursor === null) break;
      deepCursor = page.nextCursor;
    }
    const first = endpoints[0] ?? { id: "", tenant: "" };
    const calls = dashboardCalls({ endpointId: first.id, tenant: first.tenant, eventId, deepCursor, now });

    const timings: CallTiming[] = [];
    for (const c of calls) {
      const samples: number[] = [];
      for (let i = 0; i < WARMUP_SAMPLES + size.samples; i++) {
        const from = performance.now();
        await call("GET", c.path, 200);
        if (i >= WARMUP_SAMPLES) samples.push(performance.now() - from);
      }
      timings.push({ name: c.name, p50Ms: quantile(samples, 0.5), maxMs: Math.max(...samples) });
      ctx.log(`${title}: ${c.name}: p50 ${quantile(samples, 0.5).toFixed(1)} ms, max ${Math.max(...samples).toFixed(1)} ms`);
    }
    return {
      kind: "metrics",
      id: `dashboard-${backend.id}`,
      group: "dashboard",
      title,
      description:
        `The built server (child process, ${backend.title}, default settings) on a database seeded by direct SQL with ${counts.events.toLocaleString("en-US")} events over 7 days ` +
        `(${counts.deliveries.toLocaleString("en-US")} deliveries: 90 % delivered, 9 % dead letters, 1 % cancelled; ${counts.attempts.toLocaleString("en-US")} attempts) ` +
        `and ${size.endpoints.toLocaleString("en-US")} endpoints over ${TENANTS} tenants. Each call a dashboard page makes is sent ${size.samples} times (after ${WARMUP_SAMPLES} untimed), ` +
        "one at a time over keep-alive HTTP; time = request sent to body read. The deep page's cursor was found by following nextCursor half way down the list.",
      details: { ...counts, endpoints: size.endpoints, samplesPerCall: size.samples },
      metrics: dashboardMetrics(timings, seedSeconds),
    };
  } finally {
    // Already closed when seeding failed: the error to report is that one.
    await pool.close().catch(() => {});
    await server.stop();
  }
}

const sqliteBackend = (ctx: BenchContext): Backend => {
  const dbPath = path.join(ctx.tmpDir, "dashboard.db");
  return {
    id: "sqlite",
    title: "SQLite",
    start: () => startDeliveryServer({ dbPath, execArgv: profileArgs("dashboard-sqlite") }),
    seed: async (events, endpoints, now) => seedSqlite(dbPath, events, endpoints, now),
  };
};

export const dashboardSqlite: Benchmark = {
  id: "dashboard-sqlite",
  group: "dashboard",
  summary: "dashboard API on SQLite: 100k events seeded, p50/max of every call a dashboard page makes, and the slowest",
  async run(ctx) {
    await buildServer(ctx);
    return [await runDashboard(ctx, sqliteBackend(ctx))];
  },
};

export const dashboardPostgres: Benchmark = {
  id: "dashboard-postgres",
  group: "dashboard",
  summary:
    "the dashboard-sqlite figures on PostgreSQL (HOOKLINE_BENCH_DATABASE_URL, fresh schema, VACUUM ANALYZE after seeding); skipped when no PostgreSQL answers",
  async run(ctx): Promise<BenchResult[]> {
    const url = benchDatabaseUrl();
    const unavailable = await postgresUnavailable(url);
    if (unavailable !== undefined) {
      ctx.log(`dashboard-postgres: skipped: ${unavailable}`);
      return [
        skippedResult(
          {
            id: "dashboard-postgres",
            group: "dashboard",
            title: "Dashboard API, PostgreSQL",
            description: "The dashboard-sqlite figures on PostgreSQL.",
          },
          unavailable,
        ),
      ];
    }
    ctx.log(`dashboard-postgres: PostgreSQL at ${redactDatabaseUrl(url)}`);
    await buildServer(ctx);
    const schema = freshSchemaName();
    try {
      return [
        await runDashboard(ctx, {
          id: "postgres",
          title: "PostgreSQL",
          start: () =>
            startDeliveryServer({
              dbPath: path.join(ctx.tmpDir, "unused.db"),
              execArgv: profileArgs("dashboard-postgres"),
              env: { DATABASE_URL: url, HOOKLINE_DB_SCHEMA: schema },
            }),
          seed: (events, endpoints, now) => seedPostgres(url, schema, events, endpoints, now),
        }),
      ];
    } finally {
      await dropSchema(url, schema).catch((error: unknown) =>
        ctx.log(`dashboard-postgres: could not drop schema ${schema}: ${(error as Error).message}`),
      );
    }
  },
};
