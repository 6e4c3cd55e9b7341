import pg from "pg";

export interface ListenerOptions {
  readonly client: pg.ClientConfig;
  readonly channel: string;
  readonly onNotify: () => void;
  readonly onError: (error: unknown, retryInMs: number) => void;
}

/**
 * One LISTEN connection that wakes the delivery loop when any instance queues work. It reconnects
 * on its own with capped backoff; after every (re)connect it wakes the loop once, since
 * notifications sent while it was away are lost. Polling (HOOKLINE_POLL_INTERVAL) remains the safety net.
 */
export class PgListener {
  readonly #options: ListenerOptions;
  #client: pg.Client | undefined;
  #closed = false;
  #retryMs = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: ListenerOptions) {
    this.#options = options;
  }

  start(): void {
    void this.#connect();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    if (this.#closed) return;
    const client = new pg.Client(this.#options.client);
    this.#client = client;
    let failed = false;
    const fail = (error: unknown): void => {
      if (failed || this.#closed) return;
      failed = true;
      this.#client = undefined;
      client.removeAllListeners("notification");
      client.end().catch(() => undefined);
      this.#retryMs = Math.min(10_000, Math.max(250, this.#retryMs * 2));
      this.#options.onError(error, this.#retryMs);
      this.#timer = setTimeout(() => void this.#connect(), this.#retryMs);
    };
    client.on("error", fail);
    client.on("end", () => fail(new Error("the LISTEN connection ended")));
    client.on("notification", () => this.#options.onNotify());
    try {
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(this.#options.channel)}`);
      if (this.#closed) {
        await client.end().catch(() => undefined);
        return;
      }
      this.#retryMs = 0;
      this.#options.onNotify();
    } catch (error) {
      fail(error);
    }
  }
}
