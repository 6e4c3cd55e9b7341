import type { CatalogView } from "../catalog/catalog-view.js";
import type { CatalogRegistry } from "../catalog/registry.js";
import type { Config } from "../config.js";
import type { EgressPolicy } from "../egress/index.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import type { Store } from "../store/store.js";

/** What route handlers may use. */
export interface HttpContext {
  readonly config: Config;
  readonly store: Store;
  /**
   * The live event catalog. Read it once per request and use that view to the end: a reload swaps
   * in a new one for the next request, never half-way through this one.
   */
  readonly catalog: () => CatalogView;
  /** The catalog's fingerprint and load time, and its reload (routes/catalog.ts). */
  readonly catalogRegistry: CatalogRegistry;
  readonly egressPolicy: EgressPolicy;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly now: () => number;
  /** SHA-256 of the accepted API key. */
  readonly apiKeyHash: Buffer;
  /** New or re-armed deliveries: wake the delivery loop. */
  readonly wakeWorker: () => void;
  readonly workerAlive: () => boolean;
  readonly version: string;
  /** The base URL clients reach this server at (HOOKLINE_PUBLIC_URL, else where it listens): portal links are built on it. */
  readonly publicUrl: () => string;
}
