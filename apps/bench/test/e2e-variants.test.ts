import { afterEach, describe, expect, it } from "vitest";
import { backlogMetrics, backlogTitle, BACKLOG_EVENTS, endToEndRate, readMetric } from "../src/benchmarks/e2e/backlog.js";
import {
  benchDatabaseUrl,
  DEFAULT_DATABASE_URL,
  freshSchemaName,
  onPostgres,
  postgresUnavailable,
  redactDatabaseUrl,
} from "../src/benchmarks/e2e/postgres.js";
import type { BenchContext } from "../src/benchmarks/types.js";
import type { BenchResult, MetricsResult } from "../src/harness/results.js";

const MIB = 1024 * 1024;
/** A port nothing listens on: connections are refused at once. */
const CLOSED_URL = "postgres://bench:secret@127.0.0.1:1/postgres";

describe("PostgreSQL variant", () => {
  it("takes the database from HOOKLINE_BENCH_DATABASE_URL, else the local server", () => {
    expect(benchDatabaseUrl({})).toBe(DEFAULT_DATABASE_URL);
    expect(benchDatabaseUrl({ HOOKLINE_BENCH_DATABASE_URL: "  " })).toBe(DEFAULT_DATABASE_URL);
    expect(benchDatabaseUrl({ HOOKLINE_BENCH_DATABASE_URL: "postgres://u@db:5433/x" })).toBe("postgres://u@db:5433/x");
  });

  it("never shows a password", () => {
    expect(redactDatabaseUrl("postgres://u:hunter2@db:5432/x")).toBe("postgres://u:***@db:5432/x");
    expect(redactDatabaseUrl("postgres://u@db/x")).toBe("postgres://u@db/x");
    expect(redactDatabaseUrl("not a url :hunter2")).toBe("(unparseable URL)");
  });

  it("names a fresh schema per server, one the server accepts as HOOKLINE_DB_SCHEMA", () => {
    const names = new Set(Array.from({ length: 20 }, freshSchemaName));
    expect(names.size).toBe(20);
    for (const name of names) expect(name).toMatch(/^bench_[0-9a-f]{12}$/);
    for (const name of names) expect(name).toMatch(/^[a-z_][a-z0-9_]{0,62}$/);
  });

  it("explains an unreachable database and how to point the benchmark at one", async () => {
    const reason = await postgresUnavailable(CLOSED_URL);
    expect(reason).toMatch(/^cannot use PostgreSQL at postgres:\/\/bench:\*\*\*@127\.0\.0\.1:1\/postgres \(.*ECONNREFUSED.*\)/);
    expect(reason).toContain("HOOKLINE_BENCH_DATABASE_URL");
    expect(reason).not.toContain("secret");
  });

  describe("without a database", () => {
    const saved = process.env["HOOKLINE_BENCH_DATABASE_URL"];
    afterEach(() => {
      if (saved === undefined) delete process.env["HOOKLINE_BENCH_DATABASE_URL"];
      else process.env["HOOKLINE_BENCH_DATABASE_URL"] = saved;
    });

    it("returns one skipped row with its targets and measures nothing", async () => {
      process.env["HOOKLINE_BENCH_DATABASE_URL"] = CLOSED_URL;
      const logs: string[] = [];
      const ctx = { mode: "quick", log: (line: string) => logs.push(line) } as unknown as BenchContext;
      let measured = false;
      const results = await onPostgres(
        ctx,
        {
          id: "e2e-postgres",
          group: "e2e",
          title: "End to end, PostgreSQL",
          description: "d",
          targets: [{ op: ">=", value: 3000, unit: "events/s" }],
        },
        async () => {
          measured = true;
          return [];
        },
      );
      expect(measured).toBe(false);
      expect(results).toEqual([
        expect.objectContaining({
          kind: "skipped",
          id: "e2e-postgres",
          title: "End to end, PostgreSQL",
          targets: [{ op: ">=", value: 3000, unit: "events/s" }],
        }),
      ]);
      expect(logs[0]).toMatch(/^e2e-postgres: skipped: cannot use PostgreSQL/);
    });
  });
});

describe("backlog", () => {
  const e2e = (id: string, value: number): MetricsResult => ({
    kind: "metrics",
    id,
    group: "e2e",
    title: id,
    description: "",
    metrics: [
      { name: "loopback ceiling (bare node:http)", value: 9000, unit: "req/s" },
      { name: "events/s end to end", value, unit: "events/s" },
    ],
  });

  it("compares with the one-endpoint end-to-end rate of the same store only", () => {
    const results: BenchResult[] = [e2e("e2e-sqlite-10", 200), e2e("e2e-sqlite-1", 1400), e2e("e2e-postgres-1", 300)];
    expect(endToEndRate(results, "sqlite")).toBe(1400);
    expect(endToEndRate(results, "postgres")).toBe(300);
    expect(endToEndRate([e2e("e2e-sqlite-10", 200)], "sqlite")).toBeUndefined();
    expect(endToEndRate([e2e("e2e-sqlite-1", Number.NaN)], "sqlite")).toBeUndefined();
  });

  it("judges the drain against the end-to-end rate and the higher RSS peak against idle", () => {
    const metrics = backlogMetrics({
      acceptedPerSecond: 4000,
      drainedPerSecond: 2100,
      endToEndPerSecond: 1400,
      rssFreshBytes: 100 * MIB,
      rssIdleBytes: 140 * MIB,
      rssPeakAcceptingBytes: 160 * MIB,
      rssPeakDrainingBytes: 224 * MIB,
    });
    const byName = Object.fromEntries(metrics.map((m) => [m.name, m]));
    expect(metrics.map((m) => m.name)).toEqual([
      "events/s accepted while the receiver is down",
      "drain rate once it is back",
      "drain ÷ end-to-end rate of this run (1,400 events/s)",
      "server RSS at start (fresh process)",
      "server RSS idle (after warm-up)",
      "server peak RSS while accepting",
      "server peak RSS while draining",
      "peak RSS ÷ idle after warm-up",
    ]);
    expect(byName["drain ÷ end-to-end rate of this run (1,400 events/s)"]).toMatchObject({
      value: 1.5,
      unit: "×",
      target: { op: ">=", value: 1 },
      met: true,
    });
    expect(byName["peak RSS ÷ idle after warm-up"]).toMatchObject({ value: 1.6, target: { op: "<=", value: 1.5 }, met: false });
    expect(byName["server peak RSS while draining"]).toMatchObject({ value: 224, unit: "MiB" });
  });

  it("reports the drain rate alone when no end-to-end run came before", () => {
    const metrics = backlogMetrics({
      acceptedPerSecond: 4000,
      drainedPerSecond: 900,
      endToEndPerSecond: undefined,
      rssFreshBytes: 100 * MIB,
      rssIdleBytes: 140 * MIB,
      rssPeakAcceptingBytes: 150 * MIB,
      rssPeakDrainingBytes: 140 * MIB,
    });
    expect(metrics.some((m) => m.name.startsWith("drain ÷"))).toBe(false);
    expect(metrics.find((m) => m.name === "peak RSS ÷ idle after warm-up")).toMatchObject({ met: true });
  });

  it("names the backlog size in the title, and says when it is the quick one", () => {
    expect(backlogTitle("SQLite", BACKLOG_EVENTS.sqlite.full, "full")).toBe("Backlog, SQLite, 100,000 events");
    expect(backlogTitle("SQLite", BACKLOG_EVENTS.sqlite.quick, "quick")).toBe("Backlog, SQLite, 10,000 events (quick)");
  });

  it("reads counters and gauges from the Prometheus text", () => {
    const text = [
      "# HELP hookline_queue_depth Deliveries pending or in flight.",
      "# TYPE hookline_queue_depth gauge",
      "hookline_queue_depth 0",
      'hookline_attempts_total{outcome="2xx"} 2000',
      'hookline_attempts_total{outcome="connection_refused"} 8',
    ].join("\n");
    expect(readMetric(text, "hookline_queue_depth")).toBe(0);
    expect(readMetric(text, "hookline_attempts_total", '{outcome="connection_refused"}')).toBe(8);
    expect(readMetric(text, "hookline_dead_letters")).toBeUndefined();
  });
});
