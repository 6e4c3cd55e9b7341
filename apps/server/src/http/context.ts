import type { CatalogView } from "../catalog/catalog-view.js";
import type { Config } from "../config.js";
import type { EgressPolicy } from "../egress/index.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import type { Store } from "../store/store.js";

/** What route handlers may use. */
export interface HttpContext {
  readonly config: Config;
  readonly store: Store;
  /** The catalog in force: read it at each use (a reload swaps it), never keep it. */
  readonly catalog: () => CatalogView;
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
}
