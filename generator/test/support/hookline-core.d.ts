/**
 * Stand-in for `@hookline/core`, declaring exactly what generated code imports, in the shapes of
 * packages/core/src/catalog.ts and its sender/receiver `types.ts` (simplified: no adapters, no
 * dedupe store, no delivery errors). The generator does not depend on the runtime package, so the
 * golden files are compiled against this declaration: by `tsc -p tsconfig.json` (this file is in
 * `include`) and by the in-memory program of typecheck.test.ts.
 *
 * An ambient module: keep this file free of top-level imports and exports.
 */
declare module "@hookline/core" {
  export type EventMapBase = { readonly [type: string]: unknown };
  export type EventTypeOf<M extends EventMapBase> = keyof M & string;

  export interface EventTypeInfo<T extends string = string> {
    readonly type: T;
    readonly version: number;
    readonly domain: string;
    readonly title: string;
    readonly description: string;
    readonly deprecated: boolean;
    readonly schema: unknown;
    readonly examples: readonly unknown[];
  }

  export interface ValidatorError {
    readonly instancePath: string;
    readonly schemaPath: string;
    readonly keyword: string;
    readonly params: Readonly<Record<string, unknown>>;
    readonly message?: string | undefined;
  }

  export interface CompiledValidator {
    (data: unknown): boolean;
    errors?: readonly ValidatorError[] | null | undefined;
  }

  export interface EventCatalog<M extends EventMapBase> {
    readonly eventTypes: { readonly [K in EventTypeOf<M>]: EventTypeInfo<K> };
    readonly validators: { readonly [K in EventTypeOf<M>]: CompiledValidator };
  }

  export interface WebhookEnvelope<T extends string = string, P = unknown> {
    readonly type: T;
    readonly timestamp: string;
    readonly data: P;
  }

  export type EnvelopeOf<M extends EventMapBase, T extends EventTypeOf<M> = EventTypeOf<M>> = {
    [K in T]: WebhookEnvelope<K, M[K]>;
  }[T];

  export type RawBody = Uint8Array | string;
  export type HeadersLike =
    | { get(name: string): string | null }
    | Readonly<Record<string, string | readonly string[] | undefined>>;

  // sender
  export interface SenderOptions {
    readonly secret: string | readonly string[];
    readonly now?: () => number;
    readonly generateId?: () => string;
    readonly timeoutMs?: number;
    readonly userAgent?: string;
  }
  export interface BuildOptions {
    readonly id?: string;
    readonly timestamp?: Date;
  }
  export interface SignedWebhook<K extends string = string> {
    readonly id: string;
    readonly type: K;
    readonly timestamp: number;
    readonly body: string;
    readonly headers: Readonly<Record<string, string>>;
  }
  export interface DeliveryResult {
    readonly id: string;
    readonly ok: boolean;
    readonly status: number;
    readonly responseBody: string;
    readonly durationMs: number;
  }
  export interface Sender<M extends EventMapBase> {
    build<K extends EventTypeOf<M>>(type: K, payload: NoInfer<M[K]>, options?: BuildOptions): SignedWebhook<K>;
    send<K extends EventTypeOf<M>>(url: string, type: K, payload: NoInfer<M[K]>, options?: BuildOptions): Promise<DeliveryResult>;
  }
  export function createSenderFor<M extends EventMapBase>(catalog: EventCatalog<M>, options: SenderOptions): Sender<M>;

  // client/create-client.ts (simplified)
  export interface ClientOptions {
    readonly baseUrl: string;
    readonly apiKey: string;
  }
  export interface HooklineClient<M extends EventMapBase> {
    send<K extends EventTypeOf<M>>(type: K, payload: NoInfer<M[K]>, options?: { readonly id?: string; readonly tenant?: string }): Promise<{ readonly id: string }>;
  }
  export function createClientFor<M extends EventMapBase>(catalog: EventCatalog<M>, options: ClientOptions): HooklineClient<M>;

  // receiver
  export interface HandlerContext {
    readonly id: string;
    readonly timestamp: number;
  }
  export type EventHandler<M extends EventMapBase, K extends EventTypeOf<M>> = (event: EnvelopeOf<M, K>, context: HandlerContext) => unknown;
  export type HandlerMap<M extends EventMapBase, S extends EventTypeOf<M>> = { readonly [K in S]?: EventHandler<M, K> };
  export type ExhaustiveHandlerMap<M extends EventMapBase, S extends EventTypeOf<M>> = { readonly [K in S]-?: EventHandler<M, K> };
  interface ReceiverOptionsBase<S extends string> {
    readonly secret: string | readonly string[];
    readonly toleranceSeconds?: number;
    readonly events?: readonly S[];
  }
  export type ReceiverOptions<M extends EventMapBase, S extends EventTypeOf<M> = EventTypeOf<M>, E extends boolean = boolean> = ReceiverOptionsBase<S> &
    (E extends true
      ? { readonly exhaustive: E; readonly handlers: ExhaustiveHandlerMap<M, NoInfer<S>> }
      : { readonly exhaustive?: E; readonly handlers?: HandlerMap<M, NoInfer<S>> });
  export interface ReceiverResponse {
    readonly status: number;
    readonly headers: Readonly<Record<string, string>>;
    readonly body: string;
  }
  export interface Receiver<M extends EventMapBase, S extends EventTypeOf<M> = EventTypeOf<M>> {
    readonly events: readonly S[];
    verify(rawBody: RawBody, headers: HeadersLike): EnvelopeOf<M, S>;
    on<K extends S>(type: K, handler: EventHandler<M, K>): this;
    handle(rawBody: RawBody, headers: HeadersLike): Promise<ReceiverResponse>;
  }
  export function createReceiverFor<M extends EventMapBase, S extends EventTypeOf<M> = EventTypeOf<M>, E extends boolean = boolean>(
    catalog: EventCatalog<M>,
    options: ReceiverOptions<M, S, E>,
  ): Receiver<M, S>;
}
