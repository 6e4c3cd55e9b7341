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
 * Event type → version number → payload type, e.g. `{ "order.shipped": { 1: OrderShippedV1; 2: OrderShippedV2 } }`:
 * the generated `EventVersions`. Every carried version of every type of the event map.
 */
export type EventVersionsBase<M extends EventMapBase = EventMapBase> = {
  readonly [K in keyof M]: { readonly [version: number]: unknown };
};

/** The versions of a catalog that does not declare them (hand-written, or generic code): any version number, newest payload. */
export type DefaultVersions<M extends EventMapBase> = { readonly [K in keyof M]: { readonly [version: number]: M[K] } };

/** The version numbers `V` carries for the event type `K`, e.g. `1 | 2`. */
export type VersionOf<V extends EventVersionsBase, K extends keyof V> = keyof V[K] & number;

/**
 * The payload of `K` at version `N`; `M[K]` (the newest) when `N` is `never`, i.e. when no version
 * was chosen. Wrapping `N` in a tuple keeps `never` from distributing to `never`.
 */
export type PayloadAt<M extends EventMapBase, V extends EventVersionsBase<M>, K extends keyof M & keyof V, N extends number> = [N] extends [
  never,
]
  ? M[K]
  : V[K][N & keyof V[K]];

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

/** What the catalog says about one version of one event type. */
export interface EventTypeInfo<T extends string = string> {
  /** Standard Webhooks event type: dot-separated segments of `[a-zA-Z0-9_]`, e.g. `order.created`. */
  readonly type: T;
  /** Integer schema version: in `eventTypes`, the newest the SDK carries; in `versions`, that version. */
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

/**
 * The generated `schemas` value: the JSON Schema and examples of the newest version of every event
 * type of `M` (`schemas[type]`), and of every carried version (`schemas.versions[type][version]`).
 */
export type EventSchemas<M extends EventMapBase> = { readonly [K in EventTypeOf<M>]: EventTypeSchema } & {
  readonly versions: { readonly [K in EventTypeOf<M>]: { readonly [version: string]: EventTypeSchema } };
};

/** One error reported by an ajv (standalone) validator. */
export interface ValidatorError {
  /** JSON pointer to the failing value inside the payload (`""` is the payload itself). */
  readonly instancePath: string;
  readonly schemaPath: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message?: string | undefined;
}

/**
 * A `oneOf`/`anyOf` whose branches are told apart by a required `const` property (a discriminated
 * union), as the generator finds it in the catalog.
 */
export interface DiscriminatedUnion {
  /** Absolute schema path of the `oneOf`/`anyOf` keyword, e.g. `https://…/payment-method.json#/oneOf`. */
  readonly at: string;
  /** The discriminator property, e.g. `kind`. */
  readonly property: string;
  /** Each branch in order: the discriminator value that selects it and the schema path prefixes of its errors. */
  readonly branches: ReadonlyArray<{ readonly value: unknown; readonly paths: readonly string[] }>;
}

/** What the generated code sets on each validator so errors of a failed union name only the chosen branch. */
export interface ValidatorDiscriminators {
  /** The `$id` the validator's own (relative, `#/…`) schema paths are under. */
  readonly id: string;
  readonly unions: readonly DiscriminatedUnion[];
}

/** The shape of an ajv standalone validate function (compiled with `allErrors`). */
export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: readonly ValidatorError[] | null | undefined;
  /** Set by generated code (Hookline ≥ 0.4) when the catalog has discriminated unions; see `issuesOf`. */
  discriminators?: ValidatorDiscriminators | undefined;
}

/** One carried version of one event type: its metadata and precompiled validator. */
export interface EventVersionEntry<T extends string = string> {
  readonly info: EventTypeInfo<T>;
  readonly validator: CompiledValidator;
}

/**
 * The converter module between version `n - 1` and `n` of one event type
 * (`<type>.v<n>.convert.ts` in the catalog): `down` is required, `up` optional.
 */
export interface EventConverter {
  down(payload: never): unknown;
  up?(payload: never): unknown;
}

/**
 * The generated catalog value: metadata and a validator for the newest version of every event type
 * of `M` (`eventTypes`, `validators`), and for every carried version (`versions[type][version]`).
 * `V` types the versions (the generated `EventVersions`); it is only ever given by the generated
 * code's annotation, never inferred from the value.
 */
export interface EventCatalog<M extends EventMapBase, V extends EventVersionsBase<M> = DefaultVersions<M>> {
  readonly eventTypes: { readonly [K in EventTypeOf<M>]: EventTypeInfo<K> };
  readonly validators: { readonly [K in EventTypeOf<M>]: CompiledValidator };
  readonly versions: { readonly [K in EventTypeOf<M>]: { readonly [N in VersionOf<V, K> as `${N}`]: EventVersionEntry<K> } };
  /**
   * The newest version of each type in the full catalog, for the types whose newest this SDK does
   * not carry (a package generated for chosen versions). A delivery without `version` is read as
   * that version, and refused when it is not carried.
   */
  readonly catalogNewest?: { readonly [K in EventTypeOf<M>]?: number };
  /** Converter modules by type, then the higher version of the adjacent pair they convert between. */
  readonly converters?: { readonly [K in EventTypeOf<M>]?: { readonly [higherVersion: string]: EventConverter } };
}

/** The Standard Webhooks envelope: the exact JSON body that is signed and sent. */
export interface WebhookEnvelope<T extends string = string, P = unknown, N extends number = number> {
  readonly type: T;
  /** Schema version of `data`. Senders before Hookline 0.3 omitted it: receivers read that as the newest. */
  readonly version: N;
  /** RFC 3339 time at which the event happened (not the delivery attempt time). */
  readonly timestamp: string;
  readonly data: P;
}

/**
 * Discriminated union of envelopes over type and version: narrowing on `type`, then on `version`,
 * narrows `data` to that version's payload.
 */
export type EnvelopeOf<
  M extends EventMapBase,
  T extends EventTypeOf<M> = EventTypeOf<M>,
  V extends EventVersionsBase<M> = DefaultVersions<M>,
> = {
  [K in T]: { [N in VersionOf<V, K>]: WebhookEnvelope<K, V[K][N], N> }[VersionOf<V, K>];
}[T];
