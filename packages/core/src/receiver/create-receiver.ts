import type { EnvelopeOf, EventCatalog, EventMapBase, EventTypeOf, EventVersionsBase } from "../catalog.js";
import { WebhookVerifier, type HeadersLike, type RawBody, type VerifyOptions } from "../signing/index.js";
import { isKnownEventType, knownEventTypes, UnknownEventTypeError, validatePayload } from "../validation.js";
import { carriedVersions, isVersionNumber, UnknownEventVersionError, unversionedDefault } from "../versions.js";
import { DEFAULT_DEDUPE_MAX_IDS, MemoryDedupeStore, type ClaimResult, type DedupeStore } from "./dedupe.js";
import { parseEnvelope } from "./envelope.js";
import { errorResponse, internalError, jsonResponse, okResponse, payloadTooLarge, verificationFailure } from "./responses.js";
import type { EventHandler, HandlerContext, Receiver, ReceiverOptions, ReceiverResponse } from "./types.js";

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_DEDUPE_WINDOW_MS = 48 * 3600 * 1000;
const DEFAULT_HANDLER_TIMEOUT_MS = 5 * 60 * 1000;

function positiveMs(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive whole number of milliseconds (got ${value}).`);
  return value;
}
/** Seconds a sender is asked to wait when a duplicate arrives while the first is still running. */
const IN_FLIGHT_RETRY_AFTER_SECONDS = 10;

/**
 * Creates a receiver for the event types of `catalog` (all of them, or `options.events`).
 * The event map is inferred from the catalog's declared type.
 *
 * @throws WebhookVerificationError (`invalid_secret`) when a key is malformed.
 * @throws UnknownEventTypeError when `events` or `handlers` name a type the catalog lacks.
 */
export function createReceiverFor<
  M extends EventMapBase,
  S extends EventTypeOf<M> = EventTypeOf<M>,
  E extends boolean = boolean,
  V extends EventVersionsBase<M> = EventVersionsBase<M>,
>(catalog: EventCatalog<M, V>, options: ReceiverOptions<M, S, E, V>): Receiver<M, S, V> {
  return new WebhookReceiver<M, S, V>(catalog, options);
}

type AnyHandler = (event: unknown, context: HandlerContext) => unknown;

class WebhookReceiver<M extends EventMapBase, S extends EventTypeOf<M>, V extends EventVersionsBase<M>> implements Receiver<M, S, V> {
  readonly events: readonly S[];
  readonly maxBodyBytes: number;
  readonly #catalog: EventCatalog<M, V>;
  readonly #verifier: WebhookVerifier;
  readonly #subscribed: ReadonlySet<string>;
  readonly #handlers = new Map<string, AnyHandler>();
  readonly #dedupe: DedupeStore | undefined;
  readonly #doneTtlMs: number;
  readonly #inFlightTtlMs: number;
  readonly #onError: ((error: unknown, event: EnvelopeOf<M, S, V> | undefined) => unknown) | undefined;

  constructor(catalog: EventCatalog<M, V>, options: ReceiverOptions<M, S, boolean, V>) {
    const verifyOptions: VerifyOptions = {
      ...(options.toleranceSeconds === undefined ? {} : { toleranceSeconds: options.toleranceSeconds }),
      ...(options.now === undefined ? {} : { now: options.now }),
    };
    this.#verifier = new WebhookVerifier(options.secret, verifyOptions);
    this.#catalog = catalog;
    this.events = subscribedTypes(catalog, options.events);
    this.#subscribed = new Set(this.events);
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    if (!Number.isSafeInteger(this.maxBodyBytes) || this.maxBodyBytes < 1) {
      throw new RangeError(`maxBodyBytes must be a positive integer (got ${this.maxBodyBytes}).`);
    }
    // Senders retry with a fresh timestamp and the same webhook-id for hours (Hookline's default
    // schedule spans about 33 h with jitter), so a processed id is remembered for longer than that,
    // and an in-flight claim only for as long as a handler may reasonably run.
    this.#doneTtlMs = positiveMs(options.dedupeWindowMs ?? DEFAULT_DEDUPE_WINDOW_MS, "dedupeWindowMs");
    this.#inFlightTtlMs = positiveMs(options.handlerTimeoutMs ?? DEFAULT_HANDLER_TIMEOUT_MS, "handlerTimeoutMs");
    this.#dedupe = defaultOrOwnStore(options);
    this.#onError = options.onError;

    const handlers: Readonly<Record<string, unknown>> = options.handlers ?? {};
    for (const [type, handler] of Object.entries(handlers)) {
      if (handler !== undefined) this.#register(type, handler);
    }
    if (options.exhaustive === true) {
      const missing = this.events.filter((type) => !this.#handlers.has(type));
      if (missing.length > 0) throw new TypeError(`exhaustive: true but no handler for: ${missing.join(", ")}.`);
    }
  }

  verify(rawBody: RawBody, headers: HeadersLike): EnvelopeOf<M, S, V> {
    return this.#verify(rawBody, headers).event;
  }

  on<K extends S>(type: K, handler: EventHandler<M, K, V>): this {
    this.#register(type, handler);
    return this;
  }

  async handle(rawBody: RawBody, headers: HeadersLike): Promise<ReceiverResponse> {
    if (exceeds(rawBody, this.maxBodyBytes)) return payloadTooLarge(this.maxBodyBytes);
    let verified: { event: EnvelopeOf<M, S, V>; context: HandlerContext };
    try {
      verified = this.#verify(rawBody, headers);
    } catch (error) {
      const response = verificationFailure(error);
      if (response !== undefined) return response;
      await this.#report(error, undefined);
      return internalError();
    }
    const handler = this.#handlers.get(verified.event.type);
    if (handler === undefined) return jsonResponse(200, { ok: true, ignored: true });
    return this.#dispatchOnce(handler, verified.event, verified.context);
  }

  /** Runs `handler` unless the duplicate guard says this `webhook-id` is done or in flight. */
  async #dispatchOnce(handler: AnyHandler, event: EnvelopeOf<M, S, V>, context: HandlerContext): Promise<ReceiverResponse> {
    const store = this.#dedupe;
    let claim: ClaimResult = "claimed";
    try {
      if (store !== undefined) claim = await store.claim(context.id, this.#inFlightTtlMs);
    } catch (error) {
      await this.#report(error, event);
      return internalError();
    }
    if (claim === "done") return jsonResponse(200, { ok: true, duplicate: true });
    if (claim === "in_flight") {
      const message = `Message ${context.id} is already being processed; retry later.`;
      return errorResponse(409, "in_progress", message, undefined, { "retry-after": String(IN_FLIGHT_RETRY_AFTER_SECONDS) });
    }

    try {
      await handler(event, context);
    } catch (error) {
      await store?.release(context.id).catch((releaseError: unknown) => this.#report(releaseError, event));
      await this.#report(error, event);
      return internalError("handler_failed");
    }
    // The handler's work is done: a failing store must not turn that into a retry.
    if (store !== undefined)
      await store.complete(context.id, this.#doneTtlMs).catch((completeError: unknown) => this.#report(completeError, event));
    return okResponse();
  }

  #verify(rawBody: RawBody, headers: HeadersLike): { event: EnvelopeOf<M, S, V>; context: HandlerContext } {
    const { id, timestamp } = this.#verifier.verify(rawBody, headers);
    const { type, version: received, timestamp: eventTime, data } = parseEnvelope(rawBody);
    // Subscribed types are known types, so the catalog is only consulted to word the error.
    if (!this.#subscribed.has(type)) {
      throw isKnownEventType(this.#catalog, type)
        ? new UnknownEventTypeError(type, this.events, "unsubscribed")
        : new UnknownEventTypeError(type, knownEventTypes(this.#catalog));
    }
    // Senders before versions were in the envelope wrote none: their payload is the newest version.
    const version = received === undefined ? unversionedDefault(this.#catalog, type) : received;
    // validatePayload throws unless the version is an integer this receiver carries (the error lists
    // those) and `data` passes that version's validator; `type` is subscribed, checked above.
    if (!isVersionNumber(version)) throw new UnknownEventVersionError(type, version, carriedVersions(this.#catalog, type));
    const checked = validatePayload(this.#catalog, type, data, version);
    const event = { type, version, timestamp: eventTime, data: checked } as unknown as EnvelopeOf<M, S, V>;
    return { event, context: { id, timestamp } };
  }

  #register(type: string, handler: unknown): void {
    if (!this.#subscribed.has(type)) {
      throw isKnownEventType(this.#catalog, type)
        ? new UnknownEventTypeError(type, this.events, "unsubscribed")
        : new UnknownEventTypeError(type, knownEventTypes(this.#catalog));
    }
    if (typeof handler !== "function") throw new TypeError(`The handler for "${type}" must be a function.`);
    if (this.#handlers.has(type)) throw new Error(`A handler for "${type}" is already registered; register one per type.`);
    // Checked to be a function; its parameter types are enforced by the public signatures.
    this.#handlers.set(type, handler as AnyHandler);
  }

  async #report(error: unknown, event: EnvelopeOf<M, S, V> | undefined): Promise<void> {
    try {
      await this.#onError?.(error, event);
    } catch {
      // A failing error hook must not change the response the sender gets.
    }
  }
}

function defaultOrOwnStore<M extends EventMapBase, S extends EventTypeOf<M>, V extends EventVersionsBase<M>>(
  options: ReceiverOptions<M, S, boolean, V>,
): DedupeStore | undefined {
  const { dedupe, dedupeMaxIds, now, onWarning } = options;
  if (dedupe !== undefined && dedupeMaxIds !== undefined) {
    throw new TypeError(
      "dedupeMaxIds sizes the default in-memory duplicate store; with a dedupe store of your own, bound that store instead (for example new MemoryDedupeStore({ maxEntries })).",
    );
  }
  if (dedupe !== undefined) return dedupe === false ? undefined : dedupe;
  const maxEntries = dedupeMaxIds ?? DEFAULT_DEDUPE_MAX_IDS;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1)
    throw new RangeError(`dedupeMaxIds must be a positive whole number of ids (got ${maxEntries}).`);
  return new MemoryDedupeStore({ maxEntries, ...(now === undefined ? {} : { now }), ...(onWarning === undefined ? {} : { onWarning }) });
}

function subscribedTypes<M extends EventMapBase, S extends EventTypeOf<M>, V extends EventVersionsBase<M>>(
  catalog: EventCatalog<M, V>,
  events: readonly S[] | undefined,
): S[] {
  const known = knownEventTypes(catalog);
  // Without `events`, S is its default: every type of the catalog.
  if (events === undefined) return known as S[];
  for (const type of events) {
    if (!isKnownEventType(catalog, type)) throw new UnknownEventTypeError(type, known);
  }
  return [...new Set(events)].sort();
}

/** Byte length check without encoding short strings (UTF-8 uses at most 3 bytes per UTF-16 unit). */
function exceeds(body: unknown, limit: number): boolean {
  if (body instanceof Uint8Array) return body.byteLength > limit;
  if (typeof body !== "string" || body.length * 3 <= limit) return false;
  return body.length > limit || new TextEncoder().encode(body).byteLength > limit;
}
