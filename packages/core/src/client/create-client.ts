/**
 * A typed client for the Hookline delivery server's v1 API. `send` validates the payload locally
 * first, fixes the event id before the first try (so every retry is the same event: the server
 * answers a repeated id with the original), and retries transient failures with backoff,
 * honouring `Retry-After`. It uses `fetch` with `redirect: "manual"`, so it runs on edge runtimes too.
 */

import type {
  DefaultVersions,
  EventCatalog,
  EventMapBase,
  EventTypeOf,
  EventVersionsBase,
  NoInferType,
  PayloadAt,
  VersionOf,
} from "../catalog.js";
import { generateMessageId } from "../sender/message-id.js";
import { validatePayload } from "../validation.js";
import { HooklineApiError } from "./errors.js";
import { isTransient, retryDelayMs } from "./retry.js";
import type {
  AcceptedEvent,
  Attempt,
  CreatedEndpoint,
  DeliveryItem,
  DeliveryListFilters,
  Endpoint,
  EndpointChanges,
  EndpointInput,
  EndpointListFilters,
  EventDetail,
  EventListFilters,
  EventTypeDescription,
  Page,
  PageOptions,
  PortalLink,
  PortalLinkInput,
  Principal,
  RecoverResult,
  RecoverWindow,
  ReplayResult,
  ReplaySelectedResult,
  RotateSecretInput,
  StoredEvent,
  CreatedToken,
  TokenInfo,
  TokenInput,
  VersionSubscribers,
} from "./types.js";

export interface ClientOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:8787`. */
  readonly baseUrl: string | URL;
  /** The admin API key, or a token (`hlt_…`) from `tokens.create` or a portal session. */
  readonly apiKey: string;
  readonly fetch?: typeof fetch;
  /** Per HTTP request, including reading the response. Default 15000. */
  readonly timeoutMs?: number;
  /** Retries after the first try for transient failures. Default 3. */
  readonly maxRetries?: number;
  /** First backoff step; doubles per retry, with jitter. Default 250. */
  readonly baseDelayMs?: number;
  /** Upper bound of one wait, also for `Retry-After`. Default 30000. */
  readonly maxDelayMs?: number;
  readonly now?: () => number;
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface SendOptions<N extends number = number> {
  /** Idempotency key: `[A-Za-z0-9_-]{1,64}`. Default: a fresh `evt_` id, reused by every retry. */
  readonly id?: string;
  /**
   * Schema version of the payload (the body field `version`); default the newest the SDK carries.
   * The payload is typed and validated by this version; the server converts it for each endpoint.
   */
  readonly version?: N;
  /** Only endpoints of this tenant receive the event. */
  readonly tenant?: string;
}

/** Query options: the server's (generated) query parameters of each list. */
export type EventListOptions = PageOptions & EventListFilters;
/** `status: "failed"` lists the dead letters (or use `deliveries.deadLetters`). */
export type DeliveryListOptions = PageOptions & DeliveryListFilters;
export type EndpointListOptions = PageOptions & EndpointListFilters;

export interface HooklineClient<M extends EventMapBase, V extends EventVersionsBase<M> = DefaultVersions<M>> {
  /**
   * Validates locally, then submits one event; resolves once the server has stored it and its
   * deliveries. Without `options.version` the payload is the newest version's; with it, that version's.
   */
  send<K extends EventTypeOf<M>, N extends VersionOf<V, K> = never>(
    type: K,
    payload: NoInferType<PayloadAt<M, V, K, N>>,
    options?: SendOptions<N>,
  ): Promise<AcceptedEvent>;
  readonly events: {
    /** The event, its envelope (`envelope.data` is the payload) and the state of each of its deliveries. */
    get(id: string): Promise<EventDetail>;
    /** Oldest first; also the polling feed (keep the last non-null `nextCursor`). */
    list(options?: EventListOptions): Promise<Page<StoredEvent>>;
    attempts(id: string, options?: PageOptions): Promise<Page<Attempt>>;
    /** Schedules a fresh delivery now, to one endpoint or to every endpoint the event went to; resolves to how many. */
    replay(id: string, options?: { readonly endpointId?: string }): Promise<ReplayResult>;
  };
  readonly deliveries: {
    /** Deliveries across events and endpoints, newest first. */
    list(options?: DeliveryListOptions): Promise<Page<DeliveryItem>>;
    /** The dead letters: failed deliveries, newest first (of one endpoint with `endpointId`). */
    deadLetters(options?: PageOptions & { readonly endpointId?: string }): Promise<Page<DeliveryItem>>;
    /** Replays chosen deliveries (1–100 ids, e.g. selected dead letters) now; admin key only. */
    replay(ids: readonly string[]): Promise<ReplaySelectedResult>;
  };
  readonly endpoints: {
    create(input: EndpointInput<M>): Promise<CreatedEndpoint>;
    list(options?: EndpointListOptions): Promise<Page<Endpoint>>;
    get(id: string): Promise<Endpoint>;
    update(id: string, changes: EndpointChanges<M>): Promise<Endpoint>;
    delete(id: string): Promise<void>;
    secret(id: string): Promise<string>;
    rotateSecret(id: string, options?: RotateSecretInput): Promise<string>;
    /** Re-queues every failed delivery of the endpoint whose event was accepted in the window; resolves to how many. */
    recover(id: string, window: RecoverWindow): Promise<RecoverResult>;
    attempts(id: string, options?: PageOptions): Promise<Page<Attempt>>;
  };
  readonly eventTypes: {
    list(): Promise<readonly EventTypeDescription[]>;
    get(type: string): Promise<EventTypeDescription>;
    /** Endpoints subscribed to the type and pinned to `version` (who a breaking change to it would break). */
    subscribers(type: string, version: number): Promise<VersionSubscribers>;
  };
  /** Scoped API tokens (admin key only): per tenant or for all, read or write, with an expiry. */
  readonly tokens: {
    /** The answer's `token` is the only time the secret is shown. */
    create(input?: TokenInput): Promise<CreatedToken>;
    list(options?: PageOptions): Promise<Page<TokenInfo>>;
    /** Revoked at once, on every instance sharing the database. */
    revoke(id: string): Promise<void>;
  };
  /** Consumer portal links (admin key only): embed `url` for one customer; its code works once, for 10 minutes. */
  readonly portalLinks: {
    create(input: PortalLinkInput): Promise<PortalLink>;
  };
  /** What the credential this client uses may do: admin or token, read or write, its tenant. */
  me(): Promise<Principal>;
}

type Query = Readonly<Record<string, string | number | boolean | undefined>>;

interface Call {
  readonly method: "GET" | "POST" | "PATCH" | "DELETE";
  readonly path: string;
  readonly query?: Query;
  readonly body?: unknown;
  /** Safe to repeat after a failure whose outcome is unknown (the request may have been processed). */
  readonly idempotent: boolean;
}

export function createClientFor<M extends EventMapBase, V extends EventVersionsBase<M>>(
  catalog: EventCatalog<M, V>,
  options: ClientOptions,
): HooklineClient<M, V> {
  const base = new URL(options.baseUrl);
  if (base.protocol !== "http:" && base.protocol !== "https:") throw new TypeError("baseUrl must be an http: or https: URL.");
  if (base.search !== "" || base.hash !== "")
    throw new TypeError(
      "baseUrl must not carry a query or fragment; give the server's root, e.g. http://127.0.0.1:8787 or https://host/hookline.",
    );
  if (!base.pathname.endsWith("/")) base.pathname += "/";
  if (options.apiKey === "") throw new TypeError("apiKey is empty: pass the server's API key (HOOKLINE_API_KEY).");
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxRetries = wholeNumber(options.maxRetries ?? 3, "maxRetries", 0);
  const backoff = {
    baseDelayMs: wholeNumber(options.baseDelayMs ?? 250, "baseDelayMs", 0),
    maxDelayMs: wholeNumber(options.maxDelayMs ?? 30_000, "maxDelayMs", 0),
  };
  wholeNumber(timeoutMs, "timeoutMs", 1);

  async function once(call: Call): Promise<{ status: number; retryAfter: string | null; json: unknown }> {
    const url = new URL(call.path.replace(/^\//, ""), base);
    for (const [key, value] of Object.entries(call.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = { authorization: `Bearer ${options.apiKey}`, accept: "application/json" };
    if (call.body !== undefined) headers["content-type"] = "application/json";
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await doFetch(url, {
        method: call.method,
        headers,
        redirect: "manual",
        signal,
        ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      });
      const text = await response.text();
      return { status: response.status, retryAfter: response.headers.get("retry-after"), json: text === "" ? undefined : parseJson(text) };
    } catch {
      // No response: the message names the origin only, never the key or the body.
      const code = signal.aborted ? "timeout" : "network_error";
      throw new HooklineApiError(
        0,
        code,
        `${call.method} ${url.pathname} to ${url.origin}: ${code === "timeout" ? `no complete answer within ${timeoutMs} ms` : "the request failed before a response arrived"}.`,
      );
    }
  }

  async function request<T>(call: Call): Promise<T> {
    for (let retry = 0; ; retry++) {
      let status: number;
      let retryAfter: string | null = null;
      let failure: HooklineApiError;
      try {
        const answer = await once(call);
        if (answer.status >= 200 && answer.status < 300) return answer.json as T;
        status = answer.status;
        retryAfter = answer.retryAfter;
        failure = apiError(answer.status, answer.json, call);
      } catch (error) {
        if (!(error instanceof HooklineApiError)) throw error;
        status = 0;
        failure = error;
      }
      // Without idempotency only answers that say "not processed" are safe to repeat.
      const retryable = call.idempotent ? isTransient(status) : status === 429 || status === 503;
      if (!retryable || retry >= maxRetries) throw failure;
      await sleep(retryDelayMs(retry + 1, retryAfter, now(), random, backoff));
    }
  }

  const get = <T>(path: string, query?: Query) => request<T>({ method: "GET", path, idempotent: true, ...(query ? { query } : {}) });
  const post = <T>(path: string, body: unknown, idempotent = false) => request<T>({ method: "POST", path, body, idempotent });
  const id = (value: string) => encodeURIComponent(value);

  return {
    async send(type, payload, sendOptions = {}) {
      const version = sendOptions.version;
      validatePayload(catalog, type, payload, version);
      const eventId = sendOptions.id ?? generateMessageId(now()).replace(/^msg_/, "evt_");
      return post<AcceptedEvent>(
        "/v1/events",
        {
          type,
          ...(version === undefined ? {} : { version }),
          payload,
          id: eventId,
          ...(sendOptions.tenant === undefined ? {} : { tenant: sendOptions.tenant }),
        },
        true,
      );
    },
    events: {
      get: (eventId) => get(`/v1/events/${id(eventId)}`),
      list: (query = {}) => get(`/v1/events`, { ...query }),
      attempts: (eventId, query = {}) => get(`/v1/events/${id(eventId)}/attempts`, { ...query }),
      replay: (eventId, body = {}) => post<ReplayResult>(`/v1/events/${id(eventId)}/replay`, body),
    },
    deliveries: {
      list: (query = {}) => get(`/v1/deliveries`, { ...query }),
      deadLetters: (query = {}) => get(`/v1/deliveries`, { ...query, status: "failed" }),
      // Replaying twice only schedules another delivery of the same event (same webhook-id): safe to retry.
      replay: (ids) => post<ReplaySelectedResult>(`/v1/deliveries/replay`, { ids }, true),
    },
    endpoints: {
      create: (input) => post(`/v1/endpoints`, input),
      list: (query = {}) => get(`/v1/endpoints`, { ...query }),
      get: (endpointId) => get(`/v1/endpoints/${id(endpointId)}`),
      update: (endpointId, changes) =>
        request({ method: "PATCH", path: `/v1/endpoints/${id(endpointId)}`, body: changes, idempotent: true }),
      delete: async (endpointId) => void (await request({ method: "DELETE", path: `/v1/endpoints/${id(endpointId)}`, idempotent: true })),
      secret: async (endpointId) => (await get<{ secret: string }>(`/v1/endpoints/${id(endpointId)}/secret`)).secret,
      rotateSecret: async (endpointId, body = {}) =>
        (await post<{ secret: string }>(`/v1/endpoints/${id(endpointId)}/rotate-secret`, body)).secret,
      recover: (endpointId, window) => post<RecoverResult>(`/v1/endpoints/${id(endpointId)}/recover`, window),
      attempts: (endpointId, query = {}) => get(`/v1/endpoints/${id(endpointId)}/attempts`, { ...query }),
    },
    eventTypes: {
      list: async () => (await get<{ data: EventTypeDescription[] }>(`/v1/event-types`)).data,
      get: (type) => get(`/v1/event-types/${id(type)}`),
      subscribers: (type, version) => get(`/v1/event-types/${id(type)}/versions/${wholeNumber(version, "version", 1)}/subscribers`),
    },
    tokens: {
      create: (input = {}) => post<CreatedToken>(`/v1/tokens`, input),
      list: (query = {}) => get(`/v1/tokens`, { ...query }),
      revoke: async (tokenId) => void (await request({ method: "DELETE", path: `/v1/tokens/${id(tokenId)}`, idempotent: true })),
    },
    portalLinks: {
      create: (input) => post<PortalLink>(`/v1/portal-links`, input),
    },
    me: () => get<Principal>(`/v1/me`),
  };
}

/** Options are checked up front: a NaN or infinite retry count would retry forever. */
function wholeNumber(value: number, name: string, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`${name} must be a whole number >= ${min} (got ${value}).`);
  return value;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function apiError(status: number, json: unknown, call: Call): HooklineApiError {
  const error = (json as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  if (error !== undefined && typeof error.code === "string" && typeof error.message === "string") {
    return new HooklineApiError(status, error.code, error.message, error.details);
  }
  return new HooklineApiError(
    status,
    `http_${status}`,
    `${call.method} ${call.path} answered HTTP ${status} without a Hookline error body.`,
  );
}
