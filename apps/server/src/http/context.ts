import type { EventCatalog, EventMapBase, EventSchemas } from "@hookline/core";
import type { Config } from "../config.js";
import type { EgressPolicy } from "../egress/index.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import type { Store } from "../store/store.js";

/** What route handlers may use. */
export interface HttpContext {
  readonly config: Config;
  readonly store: Store;
  readonly catalog: EventCatalog<EventMapBase>;
  /** The JSON Schema and examples of each event type of `catalog`. */
  readonly schemas: EventSchemas<EventMapBase>;
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
