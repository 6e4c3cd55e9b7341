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

/** Ids the default in-memory store remembers: about 2 MB (roughly 200 bytes per id). */
export const DEFAULT_DEDUPE_MAX_IDS = 10_000;

/** Early evictions are reported at once, then at most this often (a full store evicts on every delivery). */
const WARNING_INTERVAL_MS = 3600 * 1000;

/**
 * Something the receiver keeps working through but an operator should know about. One kind so far:
 * `dedupe_ids_evicted`, the in-memory duplicate guard forgot processed ids before their window
 * ended because it reached its bound, so a redelivery of one of them would run its handler again.
 */
export interface ReceiverWarning {
  readonly code: "dedupe_ids_evicted";
  /** Says what happened and how to fix it. */
  readonly message: string;
  /** Processed ids forgotten early since the previous warning (the first early eviction warns at once). */
  readonly evicted: number;
  /** The store's bound (`maxEntries`, the receiver's `dedupeMaxIds`). */
  readonly maxEntries: number;
  /** How long the last id forgotten had been remembered, in milliseconds. */
  readonly keptMs: number;
  /** The window it should have been remembered for, in milliseconds (the receiver's `dedupeWindowMs`). */
  readonly windowMs: number;
}

export interface MemoryDedupeStoreOptions {
  /**
   * Upper bound on remembered ids (default 10 000, about 200 bytes each): expired ones, then the
   * oldest processed ones are forgotten first. At a steady rate it covers `maxEntries / rate`: the
   * default keeps a 48 h window only below about 200 deliveries an hour.
   */
  readonly maxEntries?: number;
  /** Clock in milliseconds; the receiver passes its own. */
  readonly now?: () => number;
  /**
   * Told when the bound makes the store forget processed ids before their window ended: at the
   * first such eviction, then at most once an hour with the count since. Default: a Node process
   * warning (`process.emitWarning`, code `HOOKLINE_DEDUPE_IDS_EVICTED`); pass a function to route it
   * to your logger, or `() => {}` to silence it.
   */
  readonly onWarning?: (warning: ReceiverWarning) => void;
}

interface Entry {
  state: "in_flight" | "done";
  expiresAt: number;
  ttlMs: number;
}

/**
 * In-process {@link DedupeStore}: bounded in entries and time. It protects one process only; run
 * several replicas behind a load balancer with a shared store instead.
 */
export class MemoryDedupeStore implements DedupeStore {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #onWarning: (warning: ReceiverWarning) => void;
  /** No entry expires before this (a lower bound), so a sweep for expired ids before it finds none. */
  #nextExpiry = Infinity;
  #unreported = 0;
  #nextWarningAt = -Infinity;
  /** Where the next eviction looks first (Map iterators stay valid while the Map changes). */
  #cursor: MapIterator<[string, Entry]> | undefined;

  constructor(options: MemoryDedupeStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? DEFAULT_DEDUPE_MAX_IDS;
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`maxEntries must be a positive integer (got ${maxEntries}).`);
    }
    if (options.onWarning !== undefined && typeof options.onWarning !== "function") {
      throw new TypeError("onWarning must be a function taking a ReceiverWarning.");
    }
    this.#maxEntries = maxEntries;
    this.#now = options.now ?? Date.now;
    this.#onWarning = options.onWarning ?? emitProcessWarning;
  }

  /** Ids currently remembered (including in-flight ones). */
  get size(): number {
    return this.#entries.size;
  }

  async claim(id: string, ttlMs: number): Promise<ClaimResult> {
    const entry = this.#live(id);
    if (entry !== undefined) return entry.state;
    this.#put(id, { state: "in_flight", expiresAt: this.#now() + ttlMs, ttlMs });
    return "claimed";
  }

  async complete(id: string, ttlMs: number): Promise<void> {
    this.#put(id, { state: "done", expiresAt: this.#now() + ttlMs, ttlMs });
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
    if (this.#entries.size >= this.#maxEntries) this.#makeRoom();
    this.#entries.set(id, entry);
    if (entry.expiresAt < this.#nextExpiry) this.#nextExpiry = entry.expiresAt;
  }

  #makeRoom(): void {
    const now = this.#now();
    // A full store is the steady state once the bound is too small: sweep only when something may
    // have expired, not on every delivery (a sweep visits every id).
    if (now >= this.#nextExpiry) this.#dropExpired(now);
    // Map order is insertion order and a re-put moves an id to the end, so this is oldest first.
    // The cursor resumes where the last eviction stopped: a fresh iterator would step over every
    // deleted slot at the front of the Map's table again, which made each eviction cost about
    // 25 µs with 10,000 ids. In-flight ids are stepped over and looked at again after a wrap.
    let wrapped = false;
    while (this.#entries.size >= this.#maxEntries) {
      const next = this.#cursor?.next();
      if (next === undefined || next.done === true) {
        if (wrapped) return; // every id is in flight: go over the bound rather than forget one
        this.#cursor = this.#entries.entries();
        wrapped = true;
        continue;
      }
      const [oldId, old] = next.value;
      if (old.state !== "done") continue;
      this.#entries.delete(oldId);
      // Nothing left has expired (swept above, or nothing could have), so this id goes early.
      this.#evictedEarly(old, now);
    }
  }

  #dropExpired(now: number): void {
    let next = Infinity;
    for (const [id, entry] of this.#entries) {
      if (entry.expiresAt <= now) this.#entries.delete(id);
      else if (entry.expiresAt < next) next = entry.expiresAt;
    }
    this.#nextExpiry = next;
  }

  #evictedEarly(entry: Entry, now: number): void {
    this.#unreported += 1;
    if (now < this.#nextWarningAt) return;
    this.#nextWarningAt = now + WARNING_INTERVAL_MS;
    const evicted = this.#unreported;
    this.#unreported = 0;
    const keptMs = Math.max(0, entry.ttlMs - (entry.expiresAt - now));
    const message =
      `The in-memory webhook duplicate guard forgot ${evicted} processed webhook id${evicted === 1 ? "" : "s"} before ` +
      `${evicted === 1 ? "its" : "their"} duplicate window ended: it holds at most ${this.#maxEntries} ids, and the last one ` +
      `forgotten was remembered for ${duration(keptMs)} of its ${duration(entry.ttlMs)}. A redelivery of a forgotten id runs ` +
      "its handler again. Raise the bound (receiver option dedupeMaxIds, or MemoryDedupeStore maxEntries; about 200 bytes " +
      "per id), shorten dedupeWindowMs, or pass a shared store as dedupe.";
    try {
      this.#onWarning({ code: "dedupe_ids_evicted", message, evicted, maxEntries: this.#maxEntries, keptMs, windowMs: entry.ttlMs });
    } catch {
      // A failing warning hook must not break the duplicate guard.
    }
  }
}

function emitProcessWarning(warning: ReceiverWarning): void {
  // Not every runtime the Web adapter serves has `process`; there the warning is dropped.
  const processLike = (globalThis as { process?: { emitWarning?: (message: string, options: object) => void } }).process;
  processLike?.emitWarning?.(warning.message, { type: "HooklineWarning", code: "HOOKLINE_DEDUPE_IDS_EVICTED" });
}

/** "3 h 12 min", "4 min 5 s", "12 s": for messages only. */
function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}
