import { describe, expect, it } from "vitest";
import { Metrics } from "../../src/metrics.js";
import type { Store } from "../../src/store/store.js";

const store = { stats: async () => ({ depth: 0, oldestDueAt: null, deadLetters: 0 }) } as unknown as Store;

/** Metric families by name, from the exposition text a scrape gets. */
async function families(): Promise<Map<string, string>> {
  const text = await new Metrics(store, Date.now).registry.metrics();
  return new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1] ?? "", m[2] ?? ""]));
}

describe("metric names", () => {
  it("Hookline's own metrics: hookline_ once, counters end in _total, units in the name", async () => {
    const own = [...(await families())].filter(([name]) => name.startsWith("hookline_")).sort(([a], [b]) => a.localeCompare(b));
    expect(own).toEqual([
      ["hookline_attempt_duration_seconds", "histogram"],
      ["hookline_attempts_total", "counter"],
      ["hookline_catalog_info", "gauge"],
      ["hookline_catalog_reloads_total", "counter"],
      ["hookline_dead_letters", "gauge"],
      ["hookline_deliveries_in_flight", "gauge"],
      ["hookline_deliveries_total", "counter"],
      ["hookline_delivery_latency_seconds", "histogram"],
      ["hookline_endpoints_disabled_total", "counter"],
      ["hookline_events_accepted_total", "counter"],
      ["hookline_internal_errors_total", "counter"],
      ["hookline_oldest_due_age_seconds", "gauge"],
      ["hookline_queue_depth", "gauge"],
      ["hookline_retries_scheduled_total", "counter"],
    ]);
  });

  it("process and runtime metrics under their standard names, no prefix doubled", async () => {
    const names = [...(await families()).keys()];
    const standard = names.filter((name) => !name.startsWith("hookline_"));
    for (const name of standard) expect(name).toMatch(/^(process|nodejs)_[a-z0-9_]+$/);
    expect(names.filter((name) => /process_process|hookline_process|hookline_nodejs/.test(name))).toEqual([]);
    expect(standard).toEqual(
      expect.arrayContaining([
        "process_cpu_seconds_total",
        "process_cpu_user_seconds_total",
        "process_start_time_seconds",
        "process_resident_memory_bytes",
        "nodejs_eventloop_lag_seconds",
        "nodejs_heap_size_used_bytes",
        "nodejs_version_info",
      ]),
    );
  });
});
