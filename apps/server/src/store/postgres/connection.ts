import { createHash } from "node:crypto";
import pg from "pg";
import { StoreUnavailableError } from "../errors.js";
import { PgListener } from "./listener.js";
import { isRetryable, translate } from "./pg-errors.js";

export interface PgConnectionOptions {
  readonly connectionString: string;
  /** Schema holding Hookline's tables (created by `migrate`); lets several deployments share one database. */
  readonly schema?: string | undefined;
  /** Connections in this process's pool (HOOKLINE_DB_POOL_SIZE). */
  readonly poolSize?: number | undefined;
  /** Server-side limit for any one statement, ms (HOOKLINE_DB_STATEMENT_TIMEOUT). */
  readonly statementTimeoutMs?: number | undefined;
  /** Where connection trouble of the pool and the LISTEN connection is reported. */
  readonly onError?: ((error: unknown, context: string) => void) | undefined;
}

export const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/** int8 (bigint, count(*)) as a JS number: every value stored here (epoch ms, counters, seq) is a safe integer. */
export const PG_TYPES = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

/** What a transaction body may do: run statements (prepared, see `prepared`). */
export interface Tx {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: readonly unknown[]): Promise<pg.QueryResult<R>>;
}

/** One statement outside a transaction: its rows. */
export type Query = <R extends pg.QueryResultRow>(text: string, values?: readonly unknown[]) => Promise<R[]>;

const CLOSED = "the database pool is closed (the server is shutting down)";

/**
 * The pool, its transactions and the wake-up channel. Outages surface as StoreUnavailableError;
 * deadlocks and serialization failures are retried.
 */
export class PgConnection {
  readonly schema: string;
  readonly clientConfig: pg.ClientConfig;
  readonly onError: (error: unknown, context: string) => void;
  readonly #pool: pg.Pool;
  readonly #channel: string;
  #listener: PgListener | undefined;
  #closed = false;

  constructor(options: PgConnectionOptions) {
    const schema = options.schema ?? "public";
    if (!SCHEMA_PATTERN.test(schema)) throw new Error(`HOOKLINE_DB_SCHEMA must match ${SCHEMA_PATTERN} (got "${schema}").`);
    this.schema = schema;
    this.#channel = schema === "public" ? "hookline_work" : `hookline_work_${schema}`.slice(0, 63);
    this.onError = options.onError ?? (() => undefined);
    this.clientConfig = {
      connectionString: options.connectionString,
      application_name: "hookline",
      // Every connection defaults to the queue's durability; durable transactions raise it (see tx).
      // Statements are prepared once per connection (see `prepared`) and planned once: replanning
      // the claim's queries cost three times their execution.
      options: `-c search_path=${schema} -c synchronous_commit=off -c plan_cache_mode=force_generic_plan`,
      statement_timeout: options.statementTimeoutMs ?? 30_000,
      idle_in_transaction_session_timeout: 60_000,
      connectionTimeoutMillis: 5000,
      // A connection that dies without a reset (failover, dropped packets) is noticed in seconds,
      // and no query waits longer than the server-side limit plus a margin.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      query_timeout: (options.statementTimeoutMs ?? 30_000) + 5000,
      types: PG_TYPES,
    };
    this.#pool = new pg.Pool({ ...this.clientConfig, max: options.poolSize ?? 10, idleTimeoutMillis: 30_000 });
    // An idle connection dropped by the server must not crash the process; the pool replaces it.
    this.#pool.on("error", (error) => this.onError(error, "idle database connection lost"));
  }

  /** The NOTIFY channel every instance of this schema LISTENs on. */
  get channel(): string {
    return this.#channel;
  }

  /** Rejects once the pool is closed, with the error callers expect during shutdown. */
  checkOpen(): void {
    if (this.#closed) throw new StoreUnavailableError(CLOSED);
  }

  /** One statement on any pooled connection, outside a transaction. */
  readonly query: Query = async <R extends pg.QueryResultRow>(text: string, values: readonly unknown[] = []): Promise<R[]> => {
    this.checkOpen();
    for (let attempt = 1; ; attempt++) {
      try {
        return (await this.#pool.query<R>(prepared(text, values))).rows;
      } catch (error) {
        // A single statement can be a deadlock victim too (e.g. two completions touching the same endpoints).
        if (attempt < 5 && isRetryable(error)) continue;
        throw translate(error);
      }
    }
  };

  /**
   * One transaction on one pooled connection; re-run on deadlock or serialization failure.
   * `durable` transactions (ingest, every API write, migrations) wait for the WAL flush
   * (synchronous_commit = on) before the caller answers. Everything else — claims, attempt results,
   * lease releases — uses the connections' default, off: if PostgreSQL crashes, the last few may be
   * forgotten and those deliveries are attempted again with the same webhook-id, so the
   * at-least-once promise holds (the SQLite backend makes the same trade with synchronous=NORMAL).
   */
  async tx<T>(run: (client: Tx) => Promise<T>, durability: "durable" | "queue" = "durable"): Promise<T> {
    this.checkOpen();
    for (let attempt = 1; ; attempt++) {
      let client: pg.PoolClient;
      try {
        client = await this.#pool.connect();
      } catch (error) {
        throw translate(error);
      }
      // A checked-out client has no listener of the pool's: a connection lost between two statements
      // would otherwise be an uncaught 'error' event. The failing statement reports it to us anyway.
      const onLost = (): void => undefined;
      client.on("error", onLost);
      const release = (destroy?: boolean): void => {
        client.off("error", onLost);
        client.release(destroy);
      };
      const tx: Tx = { query: async (text, values) => client.query(prepared(text, values ?? [])) };
      try {
        await client.query(durability === "durable" ? "BEGIN; SET LOCAL synchronous_commit = on" : "BEGIN");
        const result = await run(tx);
        await client.query("COMMIT");
        release();
        return result;
      } catch (error) {
        try {
          await client.query("ROLLBACK");
          release();
        } catch {
          release(true);
        }
        if (attempt < 5 && isRetryable(error)) continue;
        throw translate(error);
      }
    }
  }

  /** One durable write statement (an API write: its answer must survive a database crash). */
  async write<R extends pg.QueryResultRow>(text: string, values: readonly unknown[]): Promise<R[]> {
    return this.tx(async (client) => (await client.query<R>(text, values)).rows);
  }

  /** A queue transaction (claims, results, releases): does not wait for the WAL flush. */
  queueTx<T>(run: (client: Tx) => Promise<T>): Promise<T> {
    return this.tx(run, "queue");
  }

  /** Wakes every instance's delivery loop when the transaction commits. */
  async notify(client: Tx): Promise<void> {
    await client.query("SELECT pg_notify($1, '')", [this.#channel]);
  }

  watch(onWork: () => void): void {
    if (this.#listener !== undefined || this.#closed) return;
    this.#listener = new PgListener({
      client: this.clientConfig,
      channel: this.#channel,
      onNotify: onWork,
      onError: (error, retryInMs) => this.onError(error, `LISTEN connection lost; reconnecting in ${retryInMs} ms`),
    });
    this.#listener.start();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#listener?.close();
    await this.#pool.end();
  }
}

const statementNames = new Map<string, string>();

/**
 * A named (prepared) statement for parameterised SQL: PostgreSQL parses and plans it once per
 * connection instead of on every call. Statements without parameters (BEGIN, COMMIT, several
 * statements in one string) go as simple queries.
 */
function prepared(text: string, values: readonly unknown[]): pg.QueryConfig {
  if (values.length === 0) return { text };
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `hookline_${createHash("sha256").update(text).digest("hex").slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return { name, text, values: values as unknown[] };
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function first<T>(rows: readonly T[], what: string): T {
  const row = rows[0];
  if (row === undefined) throw new Error(`no row returned for the ${what}`);
  return row;
}

/** A column list qualified by a table alias (named columns, never `*`: see EVENT_COLUMNS). */
export function columns(list: string, alias: string): string {
  return list
    .split(", ")
    .map((c) => `${alias}.${c}`)
    .join(", ");
}

/** Deliveries still to be attempted. */
export const QUEUED = "status IN ('pending', 'delivering')";
