import { StoreUnavailableError } from "../errors.js";

interface Waiting<I, R> {
  readonly item: I;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for a networked database: calls made while a batch is being written wait and go
 * together in the next one, so one transaction (one round of commits and one WAL flush) carries
 * many rows. At low load a call runs at once, alone; under load batches grow by themselves.
 *
 * When a batch fails for a reason other than the database being unavailable (a constraint on one
 * row, say), its items are retried one by one so a single bad item fails alone.
 */
export class Batcher<I, R> {
  readonly #run: (items: readonly I[]) => Promise<R[]>;
  readonly #maxBatch: number;
  readonly #parallel: number;
  #queue: Waiting<I, R>[] = [];
  #running = 0;
  #scheduled = false;

  constructor(run: (items: readonly I[]) => Promise<R[]>, options: { maxBatch: number; parallel: number }) {
    this.#run = run;
    this.#maxBatch = options.maxBatch;
    this.#parallel = options.parallel;
  }

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        // Let the calls of this event-loop turn join the batch before it starts.
        setImmediate(() => {
          this.#scheduled = false;
          this.#pump();
        });
      }
    });
  }

  #pump(): void {
    while (this.#running < this.#parallel && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      this.#running++;
      void this.#write(batch).finally(() => {
        this.#running--;
        this.#pump();
      });
    }
  }

  async #write(batch: Waiting<I, R>[]): Promise<void> {
    try {
      const results = await this.#run(batch.map((w) => w.item));
      batch.forEach((w, i) => {
        w.resolve(results[i] as R);
      });
    } catch (error) {
      if (batch.length === 1 || error instanceof StoreUnavailableError) {
        for (const w of batch) w.reject(error);
        return;
      }
      for (const w of batch) {
        try {
          const [result] = await this.#run([w.item]);
          w.resolve(result as R);
        } catch (single) {
          w.reject(single);
        }
      }
    }
  }
}
