/**
 * Wire types of the Hookline delivery server's v1 API. They are not written here: they come from
 * `./wire.generated.ts`, which openapi-typescript generates from the server's OpenAPI document
 * (apps/server/scripts/wire-types.mjs; a test fails when it differs from what the server
 * generates), so the client cannot drift from the server. Only the catalog-typed parts (event
 * types in endpoint filters, payloads in `send`) are added on top, through the catalog generics.
 */

import type { EventMapBase, EventTypeOf } from "../catalog.js";
import type { components, operations, paths } from "./wire.generated.js";

/** The generated OpenAPI types, for callers that build their own requests. */
export type { components as ApiComponents, operations as ApiOperations, paths as ApiPaths };

type Schemas = components["schemas"];
type JsonBody<R> = R extends { readonly content: { readonly "application/json": infer B } } ? B : never;
/** The JSON answer of an operation for a status. */
type Answer<O extends keyof operations, S extends keyof operations[O]["responses"]> = JsonBody<operations[O]["responses"][S]>;
/** The JSON request body of an operation. */
type RequestBody<O extends keyof operations> = JsonBody<NonNullable<operations[O]["requestBody"]>>;
/** The query parameters of an operation. */
type QueryOf<O extends keyof operations> = NonNullable<operations[O]["parameters"]["query"]>;

export interface Page<T> {
  readonly data: readonly T[];
  /** Pass as `after` to get the next page; null on the last page. */
  readonly nextCursor: string | null;
}

/** `?limit` (1–250) and `?after` (the previous page's `nextCursor`) of every list. */
export type PageOptions = Pick<QueryOf<"getEvents">, "limit" | "after">;

/** `POST /v1/events`: the event as stored (`deliveries`: how many were created; 0 for a repeated id). */
export type AcceptedEvent = Schemas["AcceptedEvent"];
/** The body of `POST /v1/events` (without catalog types: `send` is typed by the catalog). */
export type SendEventBody = Schemas["SendEvent"];
export type DeliveryStatus = Schemas["Delivery"]["status"];
/** The state of one delivery of an event (`events.get`). */
export type EventDelivery = Schemas["EventDelivery"];
/** One row of `GET /v1/deliveries`: a delivery of one event to one endpoint (`failed`: a dead letter). */
export type DeliveryItem = Schemas["Delivery"];
/** `POST /v1/events/{id}/replay`: how many deliveries were scheduled. */
export type ReplayResult = Schemas["ReplayResult"];
/** `POST /v1/endpoints/{id}/recover`: how many failed deliveries were re-queued. */
export type RecoverResult = Schemas["RecoverResult"];
/** The envelope as stored and pushed: `{type, version, timestamp, data}`; `data` is the payload. */
export type EventEnvelope = Schemas["EventEnvelope"];
/** An event as listed and polled (`events.list`), with its envelope. */
export type StoredEvent = Schemas["Event"];
/** An event with the state of each of its deliveries (`events.get`). */
export type EventDetail = Schemas["EventDetail"];
export type Attempt = Schemas["Attempt"];
export type Endpoint = Schemas["Endpoint"];
/** What `create` returns: the only response that carries the signing secret besides `secret()`. */
export type CreatedEndpoint = Schemas["CreatedEndpoint"];
export type EventTypeDescription = Schemas["EventType"];
/** `GET /v1/event-types/{type}/versions/{version}/subscribers`. */
export type VersionSubscribers = Answer<"getEventTypesByTypeVersionsByVersionSubscribers", 200>;
/** `POST /v1/deliveries/replay`: how many of the given deliveries were scheduled, and which ids were not found. */
export type ReplaySelectedResult = Answer<"postDeliveriesReplay", 202>;
/** The body of `POST /v1/tokens` (admin key only). */
export type TokenInput = RequestBody<"postTokens">;
/** `POST /v1/tokens`: the token with its secret (`token`), shown only in this answer. */
export type CreatedToken = Answer<"postTokens", 201>;
/** A token as listed: never its secret. */
export type TokenInfo = Omit<CreatedToken, "token">;
/** The body of `POST /v1/portal-links` (admin key only). */
export type PortalLinkInput = RequestBody<"postPortalLinks">;
/** `POST /v1/portal-links`: a single-use link (`url`) for one tenant's consumer portal. */
export type PortalLink = Answer<"postPortalLinks", 201>;
/** `GET /v1/me`: what the credential the client uses may do. */
export type Principal = Answer<"getMe", 200>;
/** Every error answer: `{"error": {"code", "message", "details"?}}`. */
export type ApiErrorBody = Schemas["Error"];

/** Filters of `events.list` besides the page. */
export type EventListFilters = Omit<QueryOf<"getEvents">, keyof PageOptions>;
/** Filters of `deliveries.list` besides the page (`status: "failed"` lists the dead letters). */
export type DeliveryListFilters = Omit<QueryOf<"getDeliveries">, keyof PageOptions>;
/** Filters of `endpoints.list` besides the page. */
export type EndpointListFilters = Omit<QueryOf<"getEndpoints">, keyof PageOptions | "disabled"> & { readonly disabled?: boolean };

/** An exact event type of the catalog, or a trailing wildcard such as `order.*`. */
export type EventTypeFilter<M extends EventMapBase> = EventTypeOf<M> | `${string}.*`;

/** The body of `POST /v1/endpoints`, with the event type filters typed by the catalog. */
export type EndpointInput<M extends EventMapBase> = Omit<RequestBody<"postEndpoints">, "eventTypes"> & {
  /** Absent: every event type. */
  readonly eventTypes?: readonly EventTypeFilter<M>[];
};

/** The body of `PATCH /v1/endpoints/{id}`: null clears a field; event type filters typed by the catalog. */
export type EndpointChanges<M extends EventMapBase> = Omit<RequestBody<"patchEndpointsById">, "eventTypes"> & {
  readonly eventTypes?: readonly EventTypeFilter<M>[] | null;
};

/** The body of `POST /v1/endpoints/{id}/rotate-secret`. */
export type RotateSecretInput = NonNullable<RequestBody<"postEndpointsByIdRotateSecret">>;

/** The body of `POST /v1/endpoints/{id}/recover`: the window of accepted events. */
export type RecoverWindow = RequestBody<"postEndpointsByIdRecover">;
