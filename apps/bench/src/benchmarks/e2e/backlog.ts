/**
 * Issue item 4, backlog: the receiver goes down, 100,000 events are accepted anyway, then it comes
 * back and the server drains the backlog. Reported: the accept rate while it is down, the drain rate,
 * and the server's RSS idle, at peak while accepting and at peak while draining, since a backlog must
 * live in the database, not in memory.
 *
 * "Down" is the sink's port closed, and the server finds out as it would in production: attempts get
 * connection refused, and an endpoint that fails every attempt for HOOKLINE_DISABLE_AFTER is disabled,
 * after which new events are stored as dead letters instead of being retried against a dead port.
 * HOOKLINE_DISABLE_AFTER=1ms stands for an outage longer than the default 5 days, so the endpoint is
 * disabled at its second refused attempt; the retry schedule stays the default. (Keeping it enabled
 * would leave 100k retries due over the next minutes, and the drain would measure the schedule, not
 * the server.) Back up, the operator's two calls end the outage: PATCH `disabled: false` resumes the
 * few deliveries that were waiting, POST /v1/endpoints/:id/recover re-queues the dead letters, due now.
 */

import { Pool } from "undici";
import { meets, type BenchResult, type Metric, type MetricsResult, type Target } from "../../harness/results.js";
import { monitorRss } from "../../harness/rss.js";
import type { Benchmark, BenchContext, Mode } from "../types.js";
import type { StoreVariant } from "./end-to-end.js";
import { ingestClosedLoop, ingestTraffic } from "./ingest.js";
import { onPostgres } from "./postgres.js";
import { buildServer } from "./server-process.js";
import { startSink } from "./sink.js";
import { sqliteStore } from "./sqlite.js";

/**
 * 100,000 from the issue, 10,000 with --quick. PostgreSQL drains a few times slower than SQLite
 * here, so its backlog is smaller to keep `npm run bench` under 10 minutes; every row names its size.
 */
export const BACKLOG_EVENTS: Readonly<Record<"sqlite" | "postgres", Readonly<Record<Mode, number>>>> = {
  sqlite: { full: 100_000, quick: 10_000 },
  postgres: { full: 20_000, quick: 5_000 },
};
export const RSS_TARGET: Target = { op: "<=", value: 1.5, unit: "×" };
const INGEST_CONCURRENCY = 32;
/** An outage longer than the default 5 days, compressed: the second refused attempt disables the endpoint. */
const DISABLE_AFTER = "1ms";
/** The refused first attempts are retried 5 s (± 20 %) later; down at least this long, they are due when the endpoint comes back. */
const MIN_DOWN_MS = 7000;
/** Warms the server's code paths and heap so "idle" is the resting level of a server that has worked, not of a fresh process. */
const WARMUP_EVENTS: Readonly<Record<Mode, number>> = { full: 2000, quick: 500 };
const IDLE_WINDOW_MS: Readonly<Record<Mode, number>> = { full: 2000, quick: 1000 };
const DRAIN_TIMEOUT_MS = 300_000;
const MIB = 1024 * 1024;

/** The events/s of the one-endpoint end-to-end run on the same store earlier in this run, if there was one. */
export function endToEndRate(results: readonly BenchResult[], storeId: string): number | undefined {
  const result = results.find((r) => r.kind === "metrics" && r.id === `e2e-${storeId}-1`);
  const metric = result?.kind === "metrics" ? result.metrics.find((m) => m.name === "events/s end to end") : undefined;
  return metric !== undefined && Number.isFinite(metric.value) && metric.value > 0 ? metric.value : undefined;
}

export interface BacklogFigures {
  readonly acceptedPerSecond: number;
  readonly drainedPerSecond: number;
  /** The same run's end-to-end events/s (one endpoint), when it ran. */
  readonly endToEndPerSecond: number | undefined;
  /** Mean RSS of the fresh process, before any event. */
  readonly rssFreshBytes: number;
  /** Mean RSS at rest after the warm-up: the level the peaks are judged against. */
  readonly rssIdleBytes: number;
  readonly rssPeakAcceptingBytes: number;
  readonly rssPeakDrainingBytes: number;
}

export function backlogMetrics(f: BacklogFigures): Metric[] {
  const judged = (name: string, value: number, unit: Metric["unit"], target: Target): Metric => ({
    name,
    value,
    unit,
    target,
    met: meets(value, target),
  });
  const peak = Math.max(f.rssPeakAcceptingBytes, f.rssPeakDrainingBytes);
  return [
    { name: "events/s accepted while the receiver is down", value: f.acceptedPerSecond, unit: "events/s" },
    { name: "drain rate once it is back", value: f.drainedPerSecond, unit: "deliveries/s" },
    ...(f.endToEndPerSecond === undefined
      ? []
      : [
          judged(
            `drain ÷ end-to-end rate of this run (${Math.round(f.endToEndPerSecond).toLocaleString("en-US")} events/s)`,
            f.drainedPerSecond / f.endToEndPerSecond,
            "×",
            { op: ">=", value: 1, unit: "×" },
          ),
        ]),
    { name: "server RSS at start (fresh process)", value: f.rssFreshBytes / MIB, unit: "MiB" },
    { name: "server RSS idle (after warm-up)", value: f.rssIdleBytes / MIB, unit: "MiB" },
    { name: "server peak RSS while accepting", value: f.rssPeakAcceptingBytes / MIB, unit: "MiB" },
    { name: "server peak RSS while draining", value: f.rssPeakDrainingBytes / MIB, unit: "MiB" },
    judged("peak RSS ÷ idle after warm-up", peak / f.rssIdleBytes, "×", RSS_TARGET),
  ];
}

/** `hookline_<name> <value>` from the Prometheus text of GET /metrics (labels, if given, exactly as printed). */
export function readMetric(text: string, name: string, labels = ""): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}

/** The row title, which names the backlog size (and --quick, where it is smaller). */
export function backlogTitle(storeTitle: string, events: number, mode: Mode): string {
  return `Backlog, ${storeTitle}, ${events.toLocaleString("en-US")} events${mode === "quick" ? " (quick)" : ""}`;
}

export async function runBacklog(ctx: BenchContext, store: StoreVariant, events: number): Promise<MetricsResult> {
  const title = backlogTitle(store.title, events, ctx.mode);
  const sink = await startSink();
  const server = await store.start(ctx, `backlog-${store.id}`, { HOOKLINE_DISABLE_AFTER: DISABLE_AFTER });
  const rss = monitorRss(server.pid);
  const pool = new Pool(server.url, { connections: INGEST_CONCURRENCY });
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const fail = (message: string) => new Error(`${title}: ${message}\n${server.stderrTail()}`);
  try {
    const traffic = ingestTraffic("backlog", server.apiKey);
    const call = async <T>(method: "GET" | "POST" | "PATCH", path: string, expected: number, body?: unknown): Promise<T> => {
      const response = await pool.request({
        method,
        path,
        headers: traffic.headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.body.text();
      if (response.statusCode !== expected) throw fail(`${method} ${path} answered ${response.statusCode}: ${text.slice(0, 300)}`);
      return (path === "/metrics" ? text : JSON.parse(text)) as T;
    };

    const endpoint = await call<{ id: string }>("POST", "/v1/endpoints", 201, { url: sink.url(0) });
    const freshFrom = performance.now();
    await sleep(1000);
    const rssFresh = rss.mean(freshFrom, performance.now());

    const warmupEvents = WARMUP_EVENTS[ctx.mode];
    const idleMs = IDLE_WINDOW_MS[ctx.mode];
    ctx.log(`${title}: warm-up (${warmupEvents} events delivered), then ${idleMs / 1000} s idle`);
    const warm = await ingestClosedLoop(pool, traffic, { concurrency: INGEST_CONCURRENCY, events: warmupEvents, startIndex: 0 });
    await sink.waitForDistinct(warm.events, DRAIN_TIMEOUT_MS).catch((error: unknown) => {
      throw fail(`warm-up: ${(error as Error).message}`);
    });
    const idleFrom = performance.now();
    await sleep(idleMs);
    const rssIdle = rss.mean(idleFrom, performance.now());

    ctx.log(`${title}: receiver down, accepting ${events} events`);
    await sink.down();
    // recover re-queues the dead letters of events accepted from `since` on (the warm-up's were all delivered).
    const since = new Date(Date.now() - 1000).toISOString();
    const acceptFrom = performance.now();
    const accepted = await ingestClosedLoop(pool, traffic, { concurrency: INGEST_CONCURRENCY, events, startIndex: warm.events });
    await sleep(acceptFrom + MIN_DOWN_MS - performance.now());
    const downUntil = performance.now();
    const acceptedPerSecond = (accepted.events / (accepted.lastAcceptedAt - accepted.firstSentAt)) * 1000;
    const down = await call<{ disabled: boolean; disabledReason: string | null }>("GET", `/v1/endpoints/${endpoint.id}`, 200);
    if (!down.disabled)
      throw fail(
        `the endpoint was still enabled after ${events} events to a closed port; HOOKLINE_DISABLE_AFTER=${DISABLE_AFTER} had no effect.`,
      );
    const refused =
      readMetric(await call<string>("GET", "/metrics", 200), "hookline_attempts_total", '{outcome="connection_refused"}') ?? 0;
    ctx.log(
      `${title}: accepted at ${Math.round(acceptedPerSecond)} events/s; endpoint disabled after ${refused} refused attempts (${down.disabledReason ?? "no reason"})`,
    );

    await sink.up();
    sink.clear();
    const drainFrom = performance.now();
    await call("PATCH", `/v1/endpoints/${endpoint.id}`, 200, { disabled: false });
    const { recovered } = await call<{ recovered: number }>("POST", `/v1/endpoints/${endpoint.id}/recover`, 202, { since });
    const recoverAnsweredAt = performance.now();
    ctx.log(`${title}: receiver back, endpoint re-enabled, ${recovered} dead letters re-queued, draining`);
    await sink.waitForDistinct(events, DRAIN_TIMEOUT_MS).catch((error: unknown) => {
      throw fail(`drain: ${(error as Error).message}`);
    });
    const drainUntil = performance.now();
    let lastArrival = 0;
    for (const at of sink.arrivals.values()) lastArrival = Math.max(lastArrival, at);
    const drainedPerSecond = (events / (lastArrival - drainFrom)) * 1000;
    const endToEndPerSecond = endToEndRate(ctx.earlierResults, store.id);
    ctx.log(`${title}: drained at ${Math.round(drainedPerSecond)} deliveries/s`);

    return {
      kind: "metrics",
      id: `backlog-${store.id}`,
      group: "backlog",
      title,
      description:
        `The delivery server (built bin, child process, ${store.title}, default settings but HOOKLINE_DISABLE_AFTER=${DISABLE_AFTER}) with one endpoint on a raw node:http receiver. ` +
        `Idle RSS: mean over ${idleMs / 1000} s after ${warmupEvents.toLocaleString("en-US")} events were delivered. Then the receiver's port closes and ${INGEST_CONCURRENCY} undici clients POST ${events.toLocaleString("en-US")} events back to back; ` +
        "the server's first attempts are refused, it disables the endpoint, and the rest are stored as dead letters. Accept rate = events ÷ (last 202 − first POST). " +
        `Then the port reopens, PATCH disabled: false and POST /v1/endpoints/:id/recover; drain rate = events ÷ (last delivery − PATCH sent). Peak RSS per phase (down: from the first POST until the port reopens, at least ${MIN_DOWN_MS / 1000} s), sampled every 100 ms from /proc; the ratio takes the higher peak.`,
      ...(endToEndPerSecond === undefined
        ? {
            notes: [
              `No end-to-end ${store.title} run came before this one in this run (\`--only\`?), so the drain rate is not compared with it.`,
            ],
          }
        : {}),
      metrics: backlogMetrics({
        acceptedPerSecond,
        drainedPerSecond,
        endToEndPerSecond,
        rssFreshBytes: rssFresh,
        rssIdleBytes: rssIdle,
        rssPeakAcceptingBytes: rss.peak(acceptFrom, downUntil),
        rssPeakDrainingBytes: rss.peak(drainFrom, drainUntil),
      }),
      details: {
        events,
        ingestConcurrency: INGEST_CONCURRENCY,
        connectionRefusedAttempts: refused,
        disabledReason: down.disabledReason ?? "",
        deadLettersRecovered: recovered,
        waitingDeliveriesResumed: events - recovered,
        reEnableAndRecoverMs: Math.round(recoverAnsweredAt - drainFrom),
        duplicateDeliveries: sink.duplicates(),
      },
    };
  } finally {
    rss.stop();
    await pool.close();
    await server.stop();
    await sink.close();
  }
}

export const backlogSqlite: Benchmark = {
  id: "backlog-sqlite",
  group: "backlog",
  summary:
    "delivery server on SQLite: 100k events accepted while the receiver is down (10k with --quick), then drained; accept and drain rates, RSS per phase",
  async run(ctx) {
    await buildServer(ctx);
    return [await runBacklog(ctx, sqliteStore, BACKLOG_EVENTS.sqlite[ctx.mode])];
  },
};

export const backlogPostgres: Benchmark = {
  id: "backlog-postgres",
  group: "backlog",
  summary:
    "the backlog-sqlite measurement on PostgreSQL (fresh schema) with a 20k backlog (5k with --quick); skipped when no PostgreSQL answers",
  run: (ctx) =>
    onPostgres(
      ctx,
      {
        id: "backlog-postgres",
        group: "backlog",
        title: backlogTitle("PostgreSQL", BACKLOG_EVENTS.postgres[ctx.mode], ctx.mode),
        description: "The backlog measurement of Backlog, SQLite, on PostgreSQL.",
        targets: [RSS_TARGET],
      },
      async (store) => [await runBacklog(ctx, store, BACKLOG_EVENTS.postgres[ctx.mode])],
    ),
};
