import type { DefaultVersions, EnvelopeOf, EventMapBase, EventTypeOf, EventVersionsBase, NoInferType } from "../catalog.js";
import type { HeadersLike, RawBody } from "../signing/index.js";
import type { DedupeStore, ReceiverWarning } from "./dedupe.js";

/** What a handler learns besides the event: the delivery's Standard Webhooks headers. */
export interface HandlerContext {
  /** `webhook-id`: the same on every retry of one message; use it as an idempotency key. */
  readonly id: string;
  /** `webhook-timestamp`, unix seconds, of this attempt. */
  readonly timestamp: number;
  /** Standard Webhooks does not send an attempt number; reserved. */
  readonly attempt?: undefined;
}

/**
 * Handles one event type, in every version the receiver carries: `event.version` narrows
 * `event.data` to that version's payload. Resolve to acknowledge (2xx); throw or reject to make the
 * sender retry.
 */
export type EventHandler<M extends EventMapBase, K extends EventTypeOf<M>, V extends EventVersionsBase<M> = DefaultVersions<M>> = (
  event: EnvelopeOf<M, K, V>,
  context: HandlerContext,
) => unknown;

/** Handlers by event type, each optional. */
export type HandlerMap<M extends EventMapBase, S extends EventTypeOf<M>, V extends EventVersionsBase<M> = DefaultVersions<M>> = {
  readonly [K in S]?: EventHandler<M, K, V>;
};

/** Handlers by event type, one required for every subscribed type. */
export type ExhaustiveHandlerMap<M extends EventMapBase, S extends EventTypeOf<M>, V extends EventVersionsBase<M> = DefaultVersions<M>> = {
  readonly [K in S]-?: EventHandler<M, K, V>;
};

interface ReceiverOptionsBase<M extends EventMapBase, S extends EventTypeOf<M>, V extends EventVersionsBase<M>> {
  /** Verification key(s): `whsec_` or `whpk_`. During a rotation pass both; any match wins. */
  readonly secret: string | readonly string[];
  /** Accepted clock skew in both directions, in seconds. Default 300. */
  readonly toleranceSeconds?: number;
  /** Clock in milliseconds since the epoch. */
  readonly now?: () => number;
  /** Subscribed event types; others are refused with 422. Default: every type of the catalog. */
  readonly events?: readonly S[];
  /**
   * Duplicate guard on `webhook-id`; default a `MemoryDedupeStore` of `dedupeMaxIds` ids, `false`
   * turns it off. A redelivery of an id whose handler succeeded gets 200 without running the
   * handler, for `dedupeWindowMs` as long as the store still holds the id (the default store holds
   * the last `dedupeMaxIds`, and warns through `onWarning` when that is shorter than the window);
   * after a failed handler the id is released so the retry runs it. A redelivery that arrives while
   * the first is still running gets 409 with `retry-after`: the handler never runs twice at once,
   * and the sender, which treats non-2xx as "retry later", comes back after the first finished
   * (then 200 duplicate) or failed (then processed).
   */
  readonly dedupe?: DedupeStore | false;
  /** How long a processed `webhook-id` is remembered; make it outlast the sender's retry window. Default 48 h. */
  readonly dedupeWindowMs?: number;
  /**
   * Most ids the default in-memory store remembers (default 10 000, about 200 bytes each). Past it
   * the oldest processed ids are forgotten before `dedupeWindowMs` ends: the window holds only below
   * `dedupeMaxIds / dedupeWindowMs` deliveries (about 200 an hour by default). Not for a `dedupe`
   * store of your own, which has its own bound.
   */
  readonly dedupeMaxIds?: number;
  /**
   * Told about conditions the receiver works through but an operator should know, such as the
   * default duplicate store forgetting ids before `dedupeWindowMs` ended (at once, then at most
   * hourly). Default: a Node process warning; pass `() => {}` to silence it.
   */
  readonly onWarning?: (warning: ReceiverWarning) => void;
  /** How long a delivery being handled blocks its duplicates (answered 409) before another may run it. Default 5 min. */
  readonly handlerTimeoutMs?: number;
  /** Largest accepted body; adapters answer 413 beyond it without buffering. Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** Called with a handler's error (the response hides it) or an internal failure. */
  readonly onError?: (error: unknown, event: EnvelopeOf<M, S, V> | undefined) => unknown;
}

/**
 * Options of `createReceiverFor`. With `exhaustive: true` the `handlers` object must cover every
 * subscribed type (a missing one is a compile error); otherwise handlers are optional and more can
 * be added with `receiver.on`. `E` is inferred from the `exhaustive` literal, so the error points
 * at `handlers`; left at its default (`boolean`) the type is the union of both cases, which still
 * enforces the rule. `NoInferType` keeps `handlers` from changing `S`: only `events` decides it.
 */
export type ReceiverOptions<
  M extends EventMapBase,
  S extends EventTypeOf<M> = EventTypeOf<M>,
  E extends boolean = boolean,
  V extends EventVersionsBase<M> = DefaultVersions<M>,
> = ReceiverOptionsBase<M, S, V> &
  (E extends true
    ? { readonly exhaustive: E; readonly handlers: ExhaustiveHandlerMap<M, NoInferType<S>, V> }
    : { readonly exhaustive?: E; readonly handlers?: HandlerMap<M, NoInferType<S>, V> });

/** A framework-neutral HTTP response. */
export interface ReceiverResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** JSON text. */
  readonly body: string;
}

/** A typed receiver for the subscribed types `S` of the event map `M`, in every version of `V`. */
export interface Receiver<
  M extends EventMapBase,
  S extends EventTypeOf<M> = EventTypeOf<M>,
  V extends EventVersionsBase<M> = DefaultVersions<M>,
> {
  /** The subscribed event types, sorted. */
  readonly events: readonly S[];
  /** The body limit adapters enforce. */
  readonly maxBodyBytes: number;
  /**
   * Verifies and parses one delivery. Checks run in this order, so an unsigned request learns
   * nothing about the payload rules: signature and timestamp (`WebhookVerificationError`), JSON and
   * envelope shape (`MalformedPayloadError`), event type (`UnknownEventTypeError`), version
   * (`UnknownEventVersionError`: not an integer, or not carried; a body without one is read as the
   * newest version of the full catalog), payload schema of that version (`PayloadValidationError`).
   * Narrow the result on `event.type`, then `event.version`, to get the payload type.
   */
  verify(rawBody: RawBody, headers: HeadersLike): EnvelopeOf<M, S, V>;
  /** Registers the handler of one event type (one per type; it gets every carried version). */
  on<K extends S>(type: K, handler: EventHandler<M, K, V>): this;
  /** Verifies, dedupes and dispatches one delivery; never rejects. */
  handle(rawBody: RawBody, headers: HeadersLike): Promise<ReceiverResponse>;
}

/** The part of a {@link Receiver} that HTTP adapters use; every receiver satisfies it. */
export interface HttpReceiver {
  readonly maxBodyBytes: number;
  handle(rawBody: RawBody, headers: HeadersLike): Promise<ReceiverResponse>;
}
