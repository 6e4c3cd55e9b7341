import { close, fsync, open } from "node:fs";

/**
 * Makes committed WAL frames durable with an `fsync` on libuv's thread pool, so the event loop never
 * waits for the disk.
 *
 * Why this is as durable as `synchronous = FULL`: in WAL mode a commit only appends frames to the
 * `-wal` file, and `FULL` differs from `NORMAL` by one `fsync` of that file at commit. Committing with
 * `NORMAL` and then syncing the same file (fsync is per file, not per descriptor) before answering
 * gives the same guarantee. A checkpoint that moved the frames into the database file before our
 * sync ran had already synced them itself (SQLite syncs the WAL before and the database after every
 * checkpoint, in `NORMAL` too), so whichever file holds them, they are on disk.
 *
 * Syncs are coalesced: `sync()` resolves after one `fsync` that *started* after the call, and calls
 * made while one is running share the next.
 */
export class WalSync {
  readonly #path: string;
  #fd: Promise<number> | undefined;
  #requested = 0;
  #completed = 0;
  #running = false;
  #waiters: { readonly generation: number; readonly resolve: () => void; readonly reject: (error: unknown) => void }[] = [];
  #closed = false;

  /** `walPath`: the database path + `-wal`; it must exist (WAL mode, after the first write). */
  constructor(walPath: string) {
    this.#path = walPath;
  }

  sync(): Promise<void> {
    if (this.#closed) return Promise.reject(new Error("the WAL syncer is closed"));
    const generation = ++this.#requested;
    return new Promise<void>((resolve, reject) => {
      this.#waiters.push({ generation, resolve, reject });
      this.#pump();
    });
  }

  /** Waits for the syncs asked for so far, then closes the descriptor. */
  async close(): Promise<void> {
    if (this.#closed) return;
    if (this.#requested > this.#completed) await this.sync().catch(() => undefined);
    this.#closed = true;
    const fd = await this.#fd?.catch(() => undefined);
    if (fd !== undefined) await new Promise<void>((resolve) => close(fd, () => resolve()));
  }

  #pump(): void {
    if (this.#running || this.#completed >= this.#requested) return;
    this.#running = true;
    const target = this.#requested;
    this.#descriptor()
      .then((fd) => new Promise<void>((resolve, reject) => fsync(fd, (error) => (error === null ? resolve() : reject(error)))))
      .then(
        () => this.#settle(target, undefined),
        (error: unknown) => this.#settle(target, error),
      );
  }

  #settle(target: number, error: unknown): void {
    this.#running = false;
    this.#completed = Math.max(this.#completed, target);
    const due = this.#waiters.filter((w) => w.generation <= target);
    this.#waiters = this.#waiters.filter((w) => w.generation > target);
    for (const waiter of due) {
      if (error === undefined) waiter.resolve();
      else waiter.reject(error);
    }
    this.#pump();
  }

  #descriptor(): Promise<number> {
    // Opened once, lazily: the -wal file exists only after the first write in WAL mode. A failed
    // open is forgotten, so the next sync tries again.
    if (this.#fd === undefined) {
      const opening = new Promise<number>((resolve, reject) =>
        open(this.#path, "r", (error, fd) => (error === null ? resolve(fd) : reject(error))),
      );
      opening.catch(() => {
        if (this.#fd === opening) this.#fd = undefined;
      });
      this.#fd = opening;
    }
    return this.#fd;
  }
}
