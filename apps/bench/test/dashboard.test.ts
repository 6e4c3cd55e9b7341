import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DASHBOARD_SIZES, dashboardMetrics, dashboardSqlite } from "../src/benchmarks/dashboard/dashboard.js";
import { seedBatches } from "../src/benchmarks/dashboard/seed-data.js";
import type { BenchContext } from "../src/benchmarks/types.js";
import { PAIR_SETTINGS } from "../src/run.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

describe("dashboard benchmark", () => {
  it("seed rows are consistent: each delivery to an endpoint of its event's tenant, attempts counted on their delivery", () => {
    const endpoints = Array.from({ length: 40 }, (_, i) => ({ id: `ep_${i}`, tenant: `tenant-${i % 20}` }));
    const tenantOf = new Map(endpoints.map((e) => [e.id, e.tenant]));
    const batches = [...seedBatches({ events: 1000, endpoints, now: 1_700_000_000_000, batchSize: 300 })];
    expect(batches.map((b) => b.events.length)).toEqual([300, 300, 300, 100]);
    for (const b of batches) {
      for (const d of b.deliveries) {
        expect(tenantOf.get(d.endpointId)).toBe(b.events[d.event]?.tenant);
        expect(b.attempts.filter((a) => a.deliveryId === d.id)).toHaveLength(d.attempts);
        expect(d.updatedAt).toBeLessThanOrEqual(1_700_000_000_000);
      }
      for (const e of b.events) expect(() => JSON.parse(e.body.toString())).not.toThrow();
    }
    // Deterministic: the same plan gives the same rows.
    const again = [...seedBatches({ events: 1000, endpoints, now: 1_700_000_000_000, batchSize: 300 })];
    expect(again[3]?.attempts).toEqual(batches[3]?.attempts);
  });

  it("names the slowest call by p50 and by max", () => {
    const metrics = dashboardMetrics(
      [
        { name: "a", p50Ms: 3, maxMs: 40 },
        { name: "b", p50Ms: 9, maxMs: 12 },
      ],
      1.5,
    );
    expect(metrics.slice(0, 2)).toEqual([
      { name: "slowest call, p50: b", value: 9, unit: "ms" },
      { name: "slowest call, max: a", value: 40, unit: "ms" },
    ]);
  });

  it("runs in quick mode on SQLite: seeds, then times every dashboard call over HTTP", { timeout: 240_000 }, async () => {
    const tmpDir = mkdtempSync(path.join(os.tmpdir(), "hookline-bench-dashboard-test-"));
    const ctx: BenchContext = {
      mode: "quick",
      pair: PAIR_SETTINGS.quick,
      repoRoot,
      tmpDir,
      earlierResults: [],
      log: () => {},
      runPair: () => Promise.reject(new Error("the dashboard benchmark runs no pairs")),
    };
    try {
      const [result] = await dashboardSqlite.run(ctx);
      if (result?.kind !== "metrics") throw new Error(`expected metrics, got ${JSON.stringify(result)}`);
      expect(result.details).toMatchObject({ events: DASHBOARD_SIZES.quick.events, endpoints: DASHBOARD_SIZES.quick.endpoints });
      const p50s = result.metrics.filter((m) => m.name.endsWith(": p50"));
      expect(p50s.map((m) => m.name)).toContain("events by status (failed): p50");
      expect(p50s.length).toBeGreaterThanOrEqual(15);
      for (const m of result.metrics) expect(m.value, m.name).toBeGreaterThan(0);
    } finally {
      rmSync(tmpDir, { recursive: true, force: true });
    }
  });
});
