/**
 * The contract between generated code and the hand-written runtime.
 *
 * `hookline generate` emits, per SDK package, an `EventMap` type (event type → payload type) and one
 * `EventCatalog<EventMap>` value: metadata for every event type plus a precompiled (ajv standalone)
 * validator per type. Everything in this package is generic over that map, so the generated layer
 * stays thin: types and data only, no behaviour.
 */

/** Event type → payload type, e.g. `{ "order.created": OrderCreated }`. */
export type EventMapBase = { readonly [type: string]: unknown };

/**
 * `T`, but not an inference site: what TypeScript 5.4's built-in `NoInfer<T>` does, written so that the
 * declarations work from TypeScript 5.0 on. An indexed access on a conditional type that stays deferred
 * while `T` is unresolved gives inference nothing to match against, and resolves to `T` once it is.
 * Exported for this package's modules only (not from the entry).
 */
// biome-ignore lint/suspicious/noExplicitAny: `T extends any` is the idiom; it never widens `T`.
export type NoInferType<T> = [T][T extends any ? 0 : never];

/** The event type names of a map, as a string union. */
export type EventTypeOf<M extends EventMapBase> = keyof M & string;

/** What the catalog says about one event type (the version the SDK was generated for). */
export interface EventTypeInfo<T extends string = string> {
  /** Standard Webhooks event type: dot-separated segments of `[a-zA-Z0-9_]`, e.g. `order.created`. */
  readonly type: T;
  /** Integer schema version; the SDK carries the highest version in the catalog. */
  readonly version: number;
  /** Catalog domain (the folder under `catalog/events/`), e.g. `orders`. */
  readonly domain: string;
  readonly title: string;
  readonly description: string;
  readonly deprecated: boolean;
}

/**
 * The documents of one event type. The generated SDKs keep them out of the catalog value, in a
 * module of their own (`schemas`), so that only code that asks for them loads them.
 */
export interface EventTypeSchema {
  /** The JSON Schema of the payload with every `$ref` bundled under `$defs`. */
  readonly schema: unknown;
  /** Example payloads; each one validates against `schema`. */
  readonly examples: readonly unknown[];
}

/** The generated `schemas` value: the JSON Schema and examples of every event type of `M`. */
export type EventSchemas<M extends EventMapBase> = { readonly [K in EventTypeOf<M>]: EventTypeSchema };

/** One error reported by an ajv (standalone) validator. */
export interface ValidatorError {
  /** JSON pointer to the failing value inside the payload (`""` is the payload itself). */
  readonly instancePath: string;
  readonly schemaPath: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message?: string | undefined;
}

/** The shape of an ajv standalone validate function (compiled with `allErrors`). */
export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: readonly ValidatorError[] | null | undefined;
}

/** The generated catalog value: metadata and a validator for every event type of `M`. */
export interface EventCatalog<M extends EventMapBase> {
  readonly eventTypes: { readonly [K in EventTypeOf<M>]: EventTypeInfo<K> };
  readonly validators: { readonly [K in EventTypeOf<M>]: CompiledValidator };
}

/** The Standard Webhooks envelope: the exact JSON body that is signed and sent. */
export interface WebhookEnvelope<T extends string = string, P = unknown> {
  readonly type: T;
  /** RFC 3339 time at which the event happened (not the delivery attempt time). */
  readonly timestamp: string;
  readonly data: P;
}

/** Discriminated union of envelopes: narrowing on `type` narrows `data` to that payload. */
export type EnvelopeOf<M extends EventMapBase, T extends EventTypeOf<M> = EventTypeOf<M>> = {
  [K in T]: WebhookEnvelope<K, M[K]>;
}[T];
