/**
 * Issue item 3, end-to-end delivery: events/s from ingest (POST /v1/events by concurrent clients)
 * to the receiver handler, with one and with ten endpoints; ingest→handler latency percentiles at
 * half the measured maximum rate; the server's peak RSS. The ceiling, measured in the same run and
 * interleaved with the end-to-end rounds, is a bare node:http server (in a worker thread) taking
 * the same POSTs from the same undici client: the most one loopback hop can do on this machine.
 *
 * The store is a parameter: `sqlite.ts` and `postgres.ts` run everything here on their database.
 */

import { Pool } from "undici";
import { runLoad } from "../../harness/http-load.js";
import { meets, type Metric, type MetricsResult, type Target } from "../../harness/results.js";
import { monitorRss } from "../../harness/rss.js";
import { median, quantile, summarizeRatios } from "../../harness/stats.js";
import type { BenchContext } from "../types.js";
import { startServerWorker } from "../server-worker.js";
import { ingestClosedLoop, ingestPaced, ingestTraffic, type IngestRun } from "./ingest.js";
import type { ServerProcess } from "./server-process.js";
import { startSink, type Sink } from "./sink.js";

export interface StoreVariant {
  /** `sqlite` or `postgres`: part of result ids and titles. */
  readonly id: string;
  readonly title: string;
  /** Starts a fresh server (empty database) whose deliveries may reach 127.0.0.1; `env` adds server settings. */
  start(ctx: BenchContext, name: string, env?: Readonly<Record<string, string>>): Promise<ServerProcess>;
  /** Targets for one endpoint, from the issue. */
  readonly targets: { readonly eventsPerSecond: number; readonly ceilingShare?: number; readonly p99Ms?: number };
}

const INGEST_CONCURRENCY = 32;
const DRAIN_TIMEOUT_MS = 180_000;
const MIB = 1024 * 1024;

interface Phase {
  readonly roundsWithCeiling: number;
  readonly ingestMs: number;
  /**
   * A max-rate round also stops ingesting once its events would make this many deliveries: when
   * the server accepts far faster than it delivers (ten endpoints), more ingest only lengthens the
   * drain that follows, not the measurement. Set above what one endpoint reaches in `ingestMs`, so
   * it binds with ten. The warm-up makes at most half as many.
   */
  readonly maxRoundDeliveries: number;
  readonly latencyMs: number;
  readonly ceilingMs: number;
  readonly warmupEvents: number;
}

const PHASES: Record<BenchContext["mode"], Phase> = {
  full: { roundsWithCeiling: 3, ingestMs: 4000, maxRoundDeliveries: 20_000, latencyMs: 8000, ceilingMs: 2000, warmupEvents: 2000 },
  quick: { roundsWithCeiling: 1, ingestMs: 2000, maxRoundDeliveries: 10_000, latencyMs: 3000, ceilingMs: 1500, warmupEvents: 500 },
};

export async function runEndToEnd(ctx: BenchContext, store: StoreVariant, endpointCounts: readonly number[]): Promise<MetricsResult[]> {
  const phase = PHASES[ctx.mode];
  const sink = await startSink();
  const ceilingServer = await startServerWorker();
  const ceilingPool = new Pool(`http://127.0.0.1:${ceilingServer.barePort}`, { connections: INGEST_CONCURRENCY });
  const results: MetricsResult[] = [];
  try {
    for (const endpoints of endpointCounts) {
      results.push(
        await measure(ctx, store, phase, sink, endpoints, async (traffic, startIndex) => {
          const run = await runLoad({
            pool: ceilingPool,
            concurrency: INGEST_CONCURRENCY,
            durationMs: phase.ceilingMs,
            startIndex,
            request: (n) => ({ method: "POST", path: "/v1/events", headers: traffic.headers, body: traffic.body(n) }),
          });
          return (run.ops / run.elapsedMs) * 1000;
        }),
      );
    }
  } finally {
    await ceilingPool.close();
    await ceilingServer.close();
    await sink.close();
  }
  return results;
}

async function measure(
  ctx: BenchContext,
  store: StoreVariant,
  phase: Phase,
  sink: Sink,
  endpoints: number,
  ceiling: (traffic: ReturnType<typeof ingestTraffic>, startIndex: number) => Promise<number>,
): Promise<MetricsResult> {
  const label = `${store.title}, ${endpoints} endpoint${endpoints === 1 ? "" : "s"}`;
  const server = await store.start(ctx, `${store.id}-${endpoints}`);
  const rss = monitorRss(server.pid);
  const pool = new Pool(server.url, { connections: INGEST_CONCURRENCY });
  try {
    const traffic = ingestTraffic(`e2e${endpoints}`, server.apiKey);
    for (let k = 0; k < endpoints; k++) {
      const response = await pool.request({
        method: "POST",
        path: "/v1/endpoints",
        headers: traffic.headers,
        body: JSON.stringify({ url: sink.url(k) }),
      });
      const text = await response.body.text();
      if (response.statusCode !== 201) throw new Error(`POST /v1/endpoints answered ${response.statusCode}: ${text.slice(0, 300)}`);
    }
    let index = 0;
    // Every phase starts with `sink.clear()`, so all arrivals counted belong to its run.
    const deliver = async (run: IngestRun) => {
      await sink.waitForDistinct(run.events * endpoints, DRAIN_TIMEOUT_MS).catch((error: unknown) => {
        throw new Error(`${label}: ${(error as Error).message}\n${server.stderrTail()}`);
      });
    };

    const warmupEvents = Math.min(phase.warmupEvents, Math.floor(phase.maxRoundDeliveries / 2 / endpoints));
    const roundEvents = Math.floor(phase.maxRoundDeliveries / endpoints);
    ctx.log(`${label}: warm-up (${warmupEvents} events)`);
    sink.clear();
    const warm = await ingestPaced(pool, traffic, {
      rate: 2000,
      durationMs: (warmupEvents / 2000) * 1000,
      startIndex: index,
      maxInFlight: INGEST_CONCURRENCY,
    });
    index += warm.events;
    await deliver(warm);

    const rates: number[] = [];
    const ceilings: number[] = [];
    const ingestRates: number[] = [];
    const eventsPerRound: number[] = [];
    const maxPhaseStart = performance.now();
    for (let round = 0; round < phase.roundsWithCeiling; round++) {
      ceilings.push(await ceiling(traffic, index));
      sink.clear();
      const run = await ingestClosedLoop(pool, traffic, {
        concurrency: INGEST_CONCURRENCY,
        durationMs: phase.ingestMs,
        events: roundEvents,
        startIndex: index,
      });
      index += run.events;
      eventsPerRound.push(run.events);
      await deliver(run);
      const lastArrival = Math.max(...sink.arrivals.values());
      rates.push((run.events / (lastArrival - run.firstSentAt)) * 1000);
      ingestRates.push((run.events / (run.lastAcceptedAt - run.firstSentAt)) * 1000);
      ctx.log(
        `${label}: round ${round + 1}: ceiling ${Math.round(ceilings.at(-1) ?? 0)} req/s, end to end ${Math.round(rates.at(-1) ?? 0)} events/s (ingest ${Math.round(ingestRates.at(-1) ?? 0)} req/s)`,
      );
    }
    const maxPhaseEnd = performance.now();
    const eventsPerSecond = median(rates);
    const share = summarizeRatios(ceilings, rates);

    const latencyRate = Math.max(1, Math.round(eventsPerSecond / 2));
    ctx.log(`${label}: latency at ${latencyRate} events/s for ${phase.latencyMs / 1000} s`);
    sink.clear();
    const paced = await ingestPaced(pool, traffic, {
      rate: latencyRate,
      durationMs: phase.latencyMs,
      startIndex: index,
      maxInFlight: 4 * INGEST_CONCURRENCY,
    });
    index += paced.events;
    await deliver(paced);
    const latencies = [...sink.arrivals]
      .map(([key, at]) => at - (paced.sentAt.get(key.slice(key.indexOf("/") + 1)) ?? Number.NaN))
      .filter(Number.isFinite);
    const latencyEnd = performance.now();
    const duplicates = sink.duplicates();

    const target = (value: number | undefined, op: Target["op"], unit: Target["unit"]) =>
      endpoints === 1 && value !== undefined ? { op, value, unit } : undefined;
    const metric = (name: string, value: number, unit: Metric["unit"], t?: Target): Metric =>
      t === undefined ? { name, value, unit } : { name, value, unit, target: t, met: meets(value, t) };
    const metrics: Metric[] = [
      metric("events/s end to end", eventsPerSecond, "events/s", target(store.targets.eventsPerSecond, ">=", "events/s")),
      metric("share of the loopback ceiling (median of rounds)", share.median, "×", target(store.targets.ceilingShare, ">=", "×")),
      metric("loopback ceiling (bare node:http)", median(ceilings), "req/s"),
      ...(endpoints > 1 ? [metric("deliveries/s", eventsPerSecond * endpoints, "deliveries/s")] : []),
      metric(`p50 ingest→handler at ${latencyRate} events/s`, quantile(latencies, 0.5), "ms"),
      metric(`p95 ingest→handler at ${latencyRate} events/s`, quantile(latencies, 0.95), "ms"),
      metric(`p99 ingest→handler at ${latencyRate} events/s`, quantile(latencies, 0.99), "ms", target(store.targets.p99Ms, "<=", "ms")),
      metric("server peak RSS", rss.peak() / MIB, "MiB"),
    ];
    return {
      kind: "metrics",
      id: `e2e-${store.id}-${endpoints}`,
      group: "e2e",
      title: `End to end, ${label}`,
      description: `The delivery server (built bin, child process, default settings, ${store.title}) with ${endpoints} endpoint${endpoints === 1 ? "" : "s"} on a raw node:http receiver in the benchmark process. Max rate: ${INGEST_CONCURRENCY} undici clients POST /v1/events (order.created, ~1 KiB) back to back for ${phase.ingestMs / 1000} s or ${roundEvents.toLocaleString("en-US")} events (${phase.maxRoundDeliveries.toLocaleString("en-US")} deliveries), whichever comes first; events/s = events ÷ (last delivery − first POST), median of ${phase.roundsWithCeiling} rounds, each preceded by ${phase.ceilingMs / 1000} s against the bare node:http ceiling. Latency: events paced at half that rate for ${phase.latencyMs / 1000} s, time from POST sent to delivery received.`,
      metrics,
      details: {
        endpoints,
        ingestConcurrency: INGEST_CONCURRENCY,
        eventsPerSecondRounds: rates.map(Math.round).join(", "),
        ceilingRounds: ceilings.map(Math.round).join(", "),
        ingestAcceptRateRounds: ingestRates.map(Math.round).join(", "),
        eventsPerRound: eventsPerRound.join(", "),
        warmupEvents,
        latencySamples: latencies.length,
        duplicateDeliveries: duplicates,
        rssPeakMaxRatePhaseMiB: Math.round(rss.peak(maxPhaseStart, maxPhaseEnd) / MIB),
        rssPeakLatencyPhaseMiB: Math.round(rss.peak(maxPhaseEnd, latencyEnd) / MIB),
      },
    };
  } finally {
    rss.stop();
    await pool.close();
    await server.stop();
  }
}
