import type { Logger } from "./logger.js";
import type { Store } from "./store/store.js";

export interface RetentionOptions {
  readonly store: Store;
  readonly retentionMs: number;
  readonly now: () => number;
  readonly logger: Logger;
  /** Time between sweeps. */
  readonly intervalMs: number;
  /** Events deleted per transaction: small enough that no transaction holds locks for long. */
  readonly batchSize: number;
}

/**
 * Deletes events (with their deliveries and attempts) older than the retention period once every
 * delivery is final. Each sweep runs batches back to back until a batch comes back short, yielding
 * to the event loop between batches so ingest and delivery never wait behind a long delete.
 */
export class RetentionSweeper {
  readonly #o: RetentionOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;
  #stopped = false;

  constructor(options: RetentionOptions) {
    this.#o = options;
  }

  start(): void {
    this.#timer = setInterval(() => void this.sweep(), this.#o.intervalMs);
    this.#timer.unref();
  }

  /** One sweep (concurrent calls share it); resolves with the number of events deleted. */
  sweep(): Promise<number> {
    this.#running ??= this.#sweep().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#running?.catch(() => undefined);
  }

  async #sweep(): Promise<number> {
    const { store, logger, batchSize } = this.#o;
    const before = this.#o.now() - this.#o.retentionMs;
    let total = 0;
    try {
      while (!this.#stopped) {
        const purged = await store.purge(before, batchSize);
        total += purged;
        if (purged < batchSize) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      logger.error({ err: error, purged: total }, "retention purge failed; the next sweep continues where it stopped");
    }
    if (total > 0) logger.info({ purged: total }, "purged events past the retention period");
    return total;
  }
}
