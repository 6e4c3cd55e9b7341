/**
 * Duplicate guard keyed on `webhook-id`. A sender re-sends a message with the same id after a
 * failure or a timeout, so an id that was processed successfully must not run its handler again.
 *
 * The protocol is a short state machine per id:
 *   absent --claim--> in_flight --complete--> done (kept for ttlMs)
 *                      in_flight --release--> absent (the handler failed: the retry must run it)
 * `claim` must be atomic: of two concurrent claims for one id exactly one gets `"claimed"`. With
 * Redis, for example: `SET key in_flight NX PX ttl`, else `GET key`; `complete` is `SET key done PX
 * ttl`; `release` deletes the key only while it is `in_flight`.
 */
export interface DedupeStore {
  /** Claims `id` for processing for at most `ttlMs`; reports the current state when taken. */
  claim(id: string, ttlMs: number): Promise<ClaimResult>;
  /** Marks `id` as processed successfully; duplicates within `ttlMs` are acknowledged unprocessed. */
  complete(id: string, ttlMs: number): Promise<void>;
  /** Gives up a claim after a failed handler, so the next delivery of `id` processes it again. */
  release(id: string): Promise<void>;
}

/** `claimed`: process it now; `in_flight`: another request is processing it; `done`: processed. */
export type ClaimResult = "claimed" | "in_flight" | "done";

export interface MemoryDedupeStoreOptions {
  /** Upper bound on remembered ids: expired, then the oldest processed ones are forgotten first. Default 10 000. */
  readonly maxEntries?: number;
  /** Clock in milliseconds; the receiver passes its own. */
  readonly now?: () => number;
}

interface Entry {
  state: "in_flight" | "done";
  expiresAt: number;
}

/**
 * In-process {@link DedupeStore}: bounded in entries and time. It protects one process only; run
 * several replicas behind a load balancer with a shared store instead.
 */
export class MemoryDedupeStore implements DedupeStore {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: MemoryDedupeStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? 10_000;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`maxEntries must be a positive integer (got ${maxEntries}).`);
    }
    this.#maxEntries = maxEntries;
    this.#now = options.now ?? Date.now;
  }

  /** Ids currently remembered (including in-flight ones). */
  get size(): number {
    return this.#entries.size;
  }

  async claim(id: string, ttlMs: number): Promise<ClaimResult> {
    const entry = this.#live(id);
    if (entry !== undefined) return entry.state;
    this.#put(id, { state: "in_flight", expiresAt: this.#now() + ttlMs });
    return "claimed";
  }

  async complete(id: string, ttlMs: number): Promise<void> {
    this.#put(id, { state: "done", expiresAt: this.#now() + ttlMs });
  }

  async release(id: string): Promise<void> {
    if (this.#entries.get(id)?.state === "in_flight") this.#entries.delete(id);
  }

  #live(id: string): Entry | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined || entry.expiresAt > this.#now()) return entry;
    this.#entries.delete(id);
    return undefined;
  }

  /**
   * Stays within `maxEntries` by forgetting expired ids first, then the oldest processed ones. An id
   * still being processed is never forgotten (that would let a duplicate run its handler at the same
   * time), so with every entry in flight the map may briefly exceed the bound.
   */
  #put(id: string, entry: Entry): void {
    this.#entries.delete(id);
    if (this.#entries.size >= this.#maxEntries) {
      const now = this.#now();
      for (const [oldId, old] of this.#entries) if (old.expiresAt <= now) this.#entries.delete(oldId);
      for (const [oldId, old] of this.#entries) {
        if (this.#entries.size < this.#maxEntries) break;
        if (old.state === "done") this.#entries.delete(oldId);
      }
    }
    this.#entries.set(id, entry);
  }
}
