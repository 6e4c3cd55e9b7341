import type { DefaultVersions, EventMapBase, EventTypeOf, EventVersionsBase, NoInferType, PayloadAt, VersionOf } from "../catalog.js";

/** Options of {@link createSenderFor}. */
export interface SenderOptions {
  /** Signing key(s): `whsec_` (HMAC, `v1`) or `whsk_` (Ed25519, `v1a`). With several keys every
   * request carries one signature per key, which is how a rotation grace period works. */
  readonly secret: string | readonly string[];
  /** Clock in milliseconds since the epoch; used for `webhook-timestamp` and default event times. */
  readonly now?: () => number;
  /** Message id factory; the default is `msg_` + 26 Crockford base32 characters (ULID-like). */
  readonly generateId?: () => string;
  /** The fetch implementation; defaults to the global one. */
  readonly fetch?: typeof fetch;
  /** Covers connecting, response headers and reading the response body. Default 15000. */
  readonly timeoutMs?: number;
  /** `user-agent` header of deliveries; default `hookline/<version>`. */
  readonly userAgent?: string;
}

/** Per-message options of `build` and `send`. `N` is the chosen `version`, inferred from it. */
export interface BuildOptions<N extends number = number> {
  /**
   * Schema version to send, e.g. `1` for an endpoint that still reads version 1. Default: the newest
   * the SDK carries. The payload is typed and validated by this version, and the envelope says it.
   */
  readonly version?: N;
  /** `webhook-id`; reuse the same id on every retry of one message so receivers can dedupe.
   * Letters, digits, `_` and `-` only (a `.` would make the signed content ambiguous). */
  readonly id?: string;
  /** When the event happened (the envelope's `timestamp`); defaults to now. */
  readonly timestamp?: Date;
}

/** A signed message, ready to POST. `body` is exactly the bytes that were signed. */
export interface SignedWebhook<K extends string = string> {
  readonly id: string;
  readonly type: K;
  /** Schema version of the payload, as written in the envelope. */
  readonly version: number;
  /** Signing time, unix seconds (`webhook-timestamp`). */
  readonly timestamp: number;
  /** `{"type","version","timestamp","data"}` in that key order. */
  readonly body: string;
  readonly headers: {
    readonly "content-type": "application/json";
    readonly "webhook-id": string;
    readonly "webhook-timestamp": string;
    readonly "webhook-signature": string;
  };
}

/** The outcome of one HTTP attempt that got a response; any status, including 3xx, 4xx and 5xx. */
export interface DeliveryResult {
  readonly id: string;
  /** True only for a 2xx status. Redirects are not followed and count as failures. */
  readonly ok: boolean;
  readonly status: number;
  /** The response body decoded as UTF-8, cut at 64 KiB (the rest is never read). */
  readonly responseBody: string;
  readonly durationMs: number;
}

/**
 * A typed sender for the event map `M` (newest payload of each type) and its versions `V`. Without
 * `options.version` the payload is the newest version's; with it, that version's (`N`, inferred from
 * the option: a version `V` does not carry is a compile error).
 */
export interface Sender<M extends EventMapBase, V extends EventVersionsBase<M> = DefaultVersions<M>> {
  /** Validates, serialises and signs one event without sending it. */
  build<K extends EventTypeOf<M>, N extends VersionOf<V, K> = never>(
    type: K,
    payload: NoInferType<PayloadAt<M, V, K, N>>,
    options?: BuildOptions<N>,
  ): SignedWebhook<K>;
  /** Builds and POSTs one event; resolves with the response whatever its status. */
  send<K extends EventTypeOf<M>, N extends VersionOf<V, K> = never>(
    url: string | URL,
    type: K,
    payload: NoInferType<PayloadAt<M, V, K, N>>,
    options?: BuildOptions<N>,
  ): Promise<DeliveryResult>;
}
