/**
 * One deadline for a whole attempt (connect, headers and body), optionally tied to a caller's signal.
 * Owns its timer and listener and releases both on `dispose()`, so a long-lived caller signal does not
 * accumulate listeners across attempts.
 */
export class Deadline {
  readonly signal: AbortSignal;
  #expired = false;
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  readonly #parent: AbortSignal | undefined;
  readonly #onParentAbort = (): void => this.#controller.abort(this.#parent?.reason);

  constructor(timeoutMs: number, parent?: AbortSignal) {
    this.signal = this.#controller.signal;
    this.#parent = parent;
    this.#timer = setTimeout(
      () => {
        this.#expired = true;
        this.#controller.abort(new Error(`attempt deadline of ${timeoutMs} ms passed`));
      },
      Math.max(0, timeoutMs),
    );
    if (parent?.aborted) this.#onParentAbort();
    else parent?.addEventListener("abort", this.#onParentAbort, { once: true });
  }

  /** The deadline passed (as opposed to the caller aborting). */
  get expired(): boolean {
    return this.#expired;
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#parent?.removeEventListener("abort", this.#onParentAbort);
  }
}
