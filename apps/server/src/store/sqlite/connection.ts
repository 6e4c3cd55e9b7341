import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { StoreUnavailableError } from "../errors.js";
import { WalSync } from "./wal-sync.js";

/** Prepares (once) and returns a statement on the store's connection. */
export type Sql = (source: string) => Database.Statement;

/** How a transaction commits: FULL fsyncs the WAL before returning, NORMAL leaves that to WalSync or a checkpoint. */
export type Sync = "FULL" | "NORMAL";

interface Queued {
  readonly run: () => unknown;
  readonly durable: boolean;
  readonly resolve: (result: never) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The one better-sqlite3 connection (WAL) with its prepared statements, its transactions and the
 * group commit (see SqliteStore for the durability each kind of write gets).
 */
export class SqliteConnection {
  readonly db: Database.Database;
  readonly path: string;
  readonly #statements = new Map<string, Database.Statement>();
  readonly #walSync: WalSync | undefined;
  /** Runs its argument in a savepoint. Made once: better-sqlite3 builds four wrappers per `transaction()` call. */
  readonly #savepoint: (run: () => unknown) => unknown;
  #queue: Queued[] = [];
  #sync: Sync = "FULL";
  #closed = false;

  constructor(path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.path = path;
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.pragma("foreign_keys = ON");
    this.db.pragma("busy_timeout = 5000");
    this.#savepoint = this.db.transaction((run: () => unknown) => run());
    // An in-memory database has no WAL (and nothing to make durable).
    this.#walSync = path === ":memory:" ? undefined : new WalSync(`${path}-wal`);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Prepared once per SQL text, reused for every call (preparing dominates otherwise). */
  readonly sql: Sql = (source) => {
    let statement = this.#statements.get(source);
    if (statement === undefined) {
      statement = this.db.prepare(source);
      this.#statements.set(source, statement);
    }
    return statement;
  };

  /** One IMMEDIATE transaction committed with the given durability. */
  inTransaction<T>(sync: Sync, run: () => T): T {
    if (this.#sync !== sync) {
      this.db.pragma(`synchronous = ${sync}`);
      this.#sync = sync;
    }
    try {
      return this.db.transaction(run).immediate();
    } catch (error) {
      throw asUnavailable(error);
    }
  }

  /** Runs `run` in the next group commit; resolves once that transaction is committed (and, if `durable`, synced). */
  enqueue<T>(run: () => T, durable: boolean): Promise<T> {
    if (this.#closed) return Promise.reject(new StoreUnavailableError("the database is closed (the server is shutting down)"));
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ run, durable, resolve: resolve as (result: never) => void, reject });
      if (this.#queue.length === 1) setImmediate(() => this.#flush());
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#flush();
    this.#closed = true;
    await this.#walSync?.close();
    this.db.pragma("optimize");
    this.db.close();
  }

  #flush(): void {
    const batch = this.#queue;
    if (batch.length === 0) return;
    this.#queue = [];
    const durable = batch.some((item) => item.durable);
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      // Durable batches commit with NORMAL and are answered after an fsync off the event loop (WalSync).
      this.inTransaction(durable && this.#walSync === undefined ? "FULL" : "NORMAL", () => {
        for (const item of batch) {
          try {
            // A nested better-sqlite3 transaction is a savepoint: a failing item rolls back alone.
            outcomes.push({ ok: true, value: this.#savepoint(item.run) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      for (const item of batch) item.reject(asUnavailable(error));
      return;
    }
    const settle = (item: Queued, i: number): void => {
      const outcome = outcomes[i];
      if (outcome?.ok === true) item.resolve(outcome.value as never);
      else item.reject(outcome?.error ?? new Error("lost batch result"));
    };
    if (!durable || this.#walSync === undefined) {
      batch.forEach(settle);
      return;
    }
    // Bookkeeping items need no sync: answer them now; the durable ones once their commit is on disk.
    batch.forEach((item, i) => {
      if (!item.durable) settle(item, i);
    });
    this.#walSync.sync().then(
      () => {
        batch.forEach((item, i) => {
          if (item.durable) settle(item, i);
        });
      },
      (error: unknown) => {
        const failure = new StoreUnavailableError("the commit could not be synced to disk; nothing is confirmed, retry", { cause: error });
        for (const item of batch) if (item.durable) item.reject(failure);
      },
    );
  }
}

/** SQLite errors that mean "not now" rather than "wrong": locked, I/O failure, disk full, read-only. */
const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|READONLY|CANTOPEN|NOMEM)/;

function asUnavailable(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && UNAVAILABLE_CODES.test(code)) {
    return new StoreUnavailableError(`the SQLite database cannot take the write right now (${code})`, { cause: error });
  }
  return error;
}
