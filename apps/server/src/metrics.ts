import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { CatalogView } from "./catalog/catalog-view.js";
import type { Store } from "./store/store.js";

/**
 * Prometheus metrics, one registry per app instance (tests run several in one process). No label
 * carries an endpoint, event or tenant id: label values come from small fixed sets, so cardinality
 * stays bounded whatever the traffic (`hookline_deprecated_pins` is labelled by catalog type and
 * version, a set the catalog bounds).
 */
export class Metrics {
  readonly registry = new Registry();
  readonly eventsAccepted: Counter<"outcome">;
  readonly deliveries: Counter<"outcome">;
  readonly attempts: Counter<"outcome">;
  readonly retriesScheduled: Counter;
  readonly internalErrors: Counter<"stage">;
  readonly endpointsDisabled: Counter<"reason">;
  readonly deliveryLatency: Histogram;
  readonly attemptDuration: Histogram;
  readonly catalogReloads: Counter<"result">;
  readonly catalogInfo: Gauge<"fingerprint">;

  constructor(store: Store, now: () => number, catalog?: () => CatalogView) {
    const registers = [this.registry];
    this.eventsAccepted = new Counter({
      name: "hookline_events_accepted_total",
      help: "Events accepted by POST /v1/events (outcome: created, or duplicate for a repeated id).",
      labelNames: ["outcome"],
      registers,
    });
    this.deliveries = new Counter({
      name: "hookline_deliveries_total",
      help: "Deliveries that reached a final state (outcome: delivered, failed).",
      labelNames: ["outcome"],
      registers,
    });
    this.attempts = new Counter({
      name: "hookline_attempts_total",
      help: "HTTP delivery attempts by outcome: status class (2xx, 3xx, 4xx, 5xx) or error code (timeout, connection_refused, blocked_destination, ...).",
      labelNames: ["outcome"],
      registers,
    });
    this.retriesScheduled = new Counter({
      name: "hookline_retries_scheduled_total",
      help: "Failed attempts followed by a scheduled retry.",
      registers,
    });
    this.internalErrors = new Counter({
      name: "hookline_internal_errors_total",
      help: "Internal errors while delivering (they do not consume endpoint attempts); stage conversion: an event that could not be converted to an endpoint's pinned version.",
      labelNames: ["stage"],
      registers,
    });
    this.endpointsDisabled = new Counter({
      name: "hookline_endpoints_disabled_total",
      help: "Endpoints disabled by the delivery engine (reason: gone for 410, failing for continuous failure).",
      labelNames: ["reason"],
      registers,
    });
    this.deliveryLatency = new Histogram({
      name: "hookline_delivery_latency_seconds",
      help: "From event acceptance to the successful attempt's response.",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600, 21600, 86400],
      registers,
    });
    this.attemptDuration = new Histogram({
      name: "hookline_attempt_duration_seconds",
      help: "Duration of one HTTP attempt.",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30],
      registers,
    });
    this.catalogReloads = new Counter({
      name: "hookline_catalog_reloads_total",
      help: "Event catalog reloads (SIGHUP, POST /v1/catalog/reload, the dev watcher) by result: applied, or refused (the previous catalog kept serving).",
      labelNames: ["result"],
      registers,
    });
    this.catalogInfo = new Gauge({
      name: "hookline_catalog_info",
      help: "1 for the event catalog this process serves, labelled with its fingerprint (hash of the catalog module files; GET /v1/catalog).",
      labelNames: ["fingerprint"],
      registers,
    });
    let stats: ReturnType<Store["stats"]> | undefined;
    // The three queue gauges share one query per scrape.
    const current = (): ReturnType<Store["stats"]> => {
      stats ??= store.stats(now()).finally(() => {
        setImmediate(() => {
          stats = undefined;
        });
      });
      return stats;
    };
    new Gauge({
      name: "hookline_queue_depth",
      help: "Deliveries pending or in flight.",
      registers,
      async collect() {
        this.set((await current()).depth);
      },
    });
    new Gauge({
      name: "hookline_oldest_due_age_seconds",
      help: "How long the oldest due delivery has been waiting (0 when none is due).",
      registers,
      async collect() {
        const oldest = (await current()).oldestDueAt;
        this.set(oldest === null ? 0 : Math.max(0, now() - oldest) / 1000);
      },
    });
    new Gauge({
      name: "hookline_dead_letters",
      help: "Deliveries in the failed state (dead letters), replayable.",
      registers,
      async collect() {
        this.set((await current()).deadLetters);
      },
    });
    new Gauge({
      name: "hookline_deliveries_in_flight",
      help: "Attempts this process is making right now (each instance reports its own).",
      registers,
      collect: () => {
        inFlightGauge.set(this.#inFlight());
      },
    });
    const inFlightGauge = this.registry.getSingleMetric("hookline_deliveries_in_flight") as Gauge;
    if (catalog !== undefined) {
      new Gauge({
        name: "hookline_deprecated_pins",
        help: "Endpoints subscribed to an event type and pinned to a deprecated version of it (only deprecated versions with pins are listed).",
        labelNames: ["type", "version"],
        registers,
        async collect() {
          const view = catalog();
          const counts = await store.pinnedVersionCounts();
          this.reset();
          for (const { type, version, endpoints } of counts) {
            if (view.info(type, version)?.deprecated === true) this.set({ type, version: String(version) }, endpoints);
          }
        },
      });
    }
    // prom-client's standard names (process_*, nodejs_*) without a prefix: they already name what
    // they measure, and standard dashboards and alerts look for exactly these; the scrape's job label
    // says which service. Hookline's own metrics carry hookline_.
    collectDefaultMetrics({ register: this.registry });
  }

  #inFlight: () => number = () => 0;

  /** Where the in-flight gauge reads from (the delivery loop, created after the metrics). */
  trackInFlight(count: () => number): void {
    this.#inFlight = count;
  }

  /** Bounded label for an attempt: status class or error code. */
  static attemptOutcome(statusCode: number | null, errorCode: string | null): string {
    if (statusCode !== null) return `${Math.floor(statusCode / 100)}xx`;
    return errorCode ?? "error";
  }
}
