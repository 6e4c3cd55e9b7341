/**
 * JSON Schemas shared by the routes. They do double duty: fastify validates requests and serialises
 * responses with them, and /openapi.json is generated from them (@fastify/swagger), so the
 * documentation cannot drift from what the server enforces. Request objects are strict
 * (`additionalProperties: false`).
 *
 * The named ones (`COMPONENTS`, each with an `$id`) are registered with `app.addSchema` and used by
 * reference (`ref("Event")`): they become `components.schemas` of the document, the names typed API
 * clients are generated with. A new route uses `ref(...)`, `listOf(...)` and `errors(...)` like these.
 */
import { EVENT_ID_PATTERN, RESOURCE_ID_PATTERN } from "../util/ids.js";
import { errorComponent, errorIssueComponent } from "./error-schemas.js";

export { ERROR_DESCRIPTIONS, errors } from "./error-schemas.js";

export const nullable = (schema: Record<string, unknown>): Record<string, unknown> => ({ anyOf: [schema, { type: "null" }] });
const nullableString = { type: ["string", "null"] } as const;

/** `{ $ref }` to a component of `COMPONENTS`, as fastify resolves it (and @fastify/swagger names it). */
export const ref = (name: ComponentName, description?: string): Record<string, unknown> =>
  description === undefined ? { $ref: `${name}#` } : { description, $ref: `${name}#` };

export const TENANT_PATTERN = "^[A-Za-z0-9_.:-]{1,128}$";
/** An exact type (`order.shipped`) or a trailing wildcard (`order.*`). */
export const EVENT_TYPE_FILTER_PATTERN = "^[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*(\\.\\*)?$";
export const SECRET_PATTERN = "^whsec_[A-Za-z0-9+/=]+$";

export const idParams = {
  type: "object",
  required: ["id"],
  additionalProperties: false,
  properties: { id: { type: "string", pattern: RESOURCE_ID_PATTERN, description: "Resource id." } },
} as const;

export const eventIdParams = {
  type: "object",
  required: ["id"],
  additionalProperties: false,
  properties: { id: { type: "string", pattern: EVENT_ID_PATTERN, description: "Event id." } },
} as const;

/** Integers in the query string and path are coerced (server.ts: only there); everything else is text. */
export const pageQuery = {
  limit: {
    type: "integer",
    minimum: 1,
    maximum: 250,
    description:
      "Most items in the page, 1–250 (default 50). A page also ends early, before the item that would take its stored content " +
      "(event envelopes, response bodies, endpoint metadata) past the server's page byte budget (HOOKLINE_PAGE_MAX_BYTES, 1 MiB by default); " +
      "it always holds at least one item. A short page is not the end of the list: follow `nextCursor`.",
  },
  after: { type: "string", pattern: "^[A-Za-z0-9_-]{1,64}$", description: "The `nextCursor` of the previous page." },
} as const;

export const timeSchema = { type: "string", format: "date-time" } as const;

export const DELIVERY_STATUSES = ["pending", "delivering", "delivered", "failed", "cancelled"] as const;

/** `?since` / `?until` of the event and delivery lists. */
export function timeRangeQuery(what: string): Record<string, unknown> {
  return {
    since: { ...timeSchema, description: `${what} at or after this time (RFC 3339).` },
    until: { ...timeSchema, description: `${what} before this time (RFC 3339, exclusive); must be later than since.` },
  };
}

export function listOf(item: Record<string, unknown>): Record<string, unknown> {
  return {
    type: "object",
    required: ["data", "nextCursor"],
    properties: {
      data: { type: "array", items: item },
      nextCursor: { ...nullableString, description: "Pass it as `after` to continue right after this page." },
    },
  };
}

const endpointProperties = {
  id: { type: "string" },
  url: {
    type: "string",
    description:
      "Masked: the password (or a user name without password), every query value and the fragment read `****`. Only the create answer shows it in full.",
  },
  eventTypes: { type: ["array", "null"], items: { type: "string" } },
  tenant: nullableString,
  description: nullableString,
  rateLimit: { type: ["number", "null"] },
  disabled: { type: "boolean" },
  disabledReason: nullableString,
  metadata: { type: "object", additionalProperties: true },
  pins: {
    type: "object",
    additionalProperties: { type: "integer" },
    description:
      'The version of each event type this endpoint receives (`{"order.shipped": 1}`): events sent in another version are converted to it. ' +
      "Set at creation to the newest version of every type; a version added later never changes it (change it with PATCH).",
  },
  createdAt: timeSchema,
  updatedAt: timeSchema,
} as const;

const timeOrNull = { type: ["string", "null"], format: "date-time" } as const;

export const endpointHealthSchema = {
  type: "object",
  description:
    "From the endpoint's attempts (attempts that made no request, like a failed conversion, are not counted): the last 24 hours, and the newest attempt and failure of all time.",
  required: ["successRate", "attempts24h", "failures24h", "lastAttemptAt", "lastError", "failingSince"],
  properties: {
    successRate: { type: ["number", "null"], description: "Succeeded / made in the last 24 h, 0..1 (4 decimals); null without attempts." },
    attempts24h: { type: "integer" },
    failures24h: { type: "integer" },
    lastAttemptAt: timeOrNull,
    lastError: {
      type: ["object", "null"],
      description: "The newest failed attempt (it may be older than the newest success: compare `at` with `lastAttemptAt`).",
      required: ["code", "message", "statusCode", "at"],
      properties: { code: { type: "string" }, message: { type: "string" }, statusCode: { type: ["integer", "null"] }, at: timeSchema },
    },
    failingSince: {
      ...timeOrNull,
      description:
        "Start of the current run of failed attempts (null after any success); a run longer than HOOKLINE_DISABLE_AFTER disables the endpoint.",
    },
  },
} as const;

const endpointComponent = {
  $id: "Endpoint",
  type: "object",
  required: Object.keys(endpointProperties),
  properties: {
    ...endpointProperties,
    health: {
      ...endpointHealthSchema,
      description: `Only on GET /v1/endpoints and GET /v1/endpoints/{id}. ${endpointHealthSchema.description}`,
    },
  },
} as const;

const createdEndpointComponent = {
  $id: "CreatedEndpoint",
  type: "object",
  description: "The create answer: the endpoint with its URL in full and its signing secret.",
  required: [...Object.keys(endpointProperties), "secret"],
  properties: { ...endpointProperties, secret: { type: "string" } },
} as const;

export const endpointSchema = ref("Endpoint");
export const endpointWithSecretSchema = ref("CreatedEndpoint");

/** Writable endpoint fields; `create` requires `url`. */
export function endpointInput(mode: "create" | "update"): Record<string, unknown> {
  const orNull = (schema: Record<string, unknown>): Record<string, unknown> =>
    mode === "update" ? { anyOf: [schema, { type: "null" }] } : schema;
  return {
    type: "object",
    additionalProperties: false,
    ...(mode === "create" ? { required: ["url"] } : { minProperties: 1 }),
    properties: {
      url: {
        type: "string",
        minLength: 1,
        maxLength: 2048,
        description:
          "http(s) URL the events are POSTed to. Credentials in it (`https://user:pass@host/`) are sent as HTTP Basic authorization. " +
          "They, every query value and the fragment count as secrets: stored sealed (encrypted when HOOKLINE_MASTER_KEY is set) and masked in answers.",
      },
      eventTypes: orNull({
        type: "array",
        maxItems: 200,
        items: { type: "string", maxLength: 200, pattern: EVENT_TYPE_FILTER_PATTERN },
        description: "Exact types or trailing wildcards (`order.*`); absent (or null) = every type.",
      }),
      tenant: orNull({ type: "string", pattern: TENANT_PATTERN, description: "Only events sent with this tenant are delivered here." }),
      secret: { type: "string", maxLength: 200, pattern: SECRET_PATTERN, description: "whsec_ signing secret; generated when absent." },
      description: orNull({ type: "string", maxLength: 1024 }),
      rateLimit: orNull({
        type: "number",
        exclusiveMinimum: 0,
        maximum: 10000,
        description: "Most deliveries per second to this endpoint.",
      }),
      disabled: { type: "boolean" },
      metadata: { type: "object", maxProperties: 64, additionalProperties: true },
      pins: {
        type: "object",
        maxProperties: 1000,
        propertyNames: { maxLength: 200 },
        additionalProperties: { type: "integer", minimum: 1, maximum: 1000000 },
        description:
          mode === "create"
            ? "Versions to pin, by event type; every type not named is pinned to its newest version. Unknown types or versions: 422 naming the versions that exist."
            : "Versions to change, by event type (types not named keep their pin). Unknown types or versions: 422 naming the versions that exist.",
      },
    },
  };
}

const deliveryStatus = { type: "string", enum: ["pending", "delivering", "delivered", "failed", "cancelled"] } as const;

const eventDeliveryProperties = {
  endpointId: { type: "string" },
  status: deliveryStatus,
  version: {
    type: ["integer", "null"],
    description:
      "The version sent to the endpoint: its pin for the event's type when the delivery was created, replayed or recovered (null for rows of a type no longer in the catalog).",
  },
  attempts: { type: "integer" },
  nextAttemptAt: nullableString,
  lastAttemptAt: nullableString,
  failureReason: {
    ...nullableString,
    description:
      "Why the delivery is a dead letter. `conversion_failed: …` when the event could not be converted to the endpoint's pinned version (no attempt used up; replay or recover after fixing the converter).",
  },
} as const;
const eventDeliveryRequired = ["endpointId", "status", "version", "attempts", "nextAttemptAt", "lastAttemptAt"] as const;

const eventDeliveryComponent = {
  $id: "EventDelivery",
  type: "object",
  description: "The state of one delivery of an event (GET /v1/events/{id}).",
  required: eventDeliveryRequired,
  properties: eventDeliveryProperties,
} as const;

const deliveryComponent = {
  $id: "Delivery",
  type: "object",
  description: "A delivery of one event to one endpoint (GET /v1/deliveries; `status: failed` = a dead letter).",
  required: ["id", "eventId", ...eventDeliveryRequired, "createdAt", "updatedAt"],
  properties: {
    id: { type: "string" },
    eventId: { type: "string" },
    ...eventDeliveryProperties,
    createdAt: timeSchema,
    updatedAt: timeSchema,
  },
} as const;

/**
 * The stored envelope. /openapi.json replaces it with the union of the loaded catalog's envelopes
 * (openapi.ts), so clients see `data` typed per event type and version.
 */
const eventEnvelopeComponent = {
  $id: "EventEnvelope",
  type: "object",
  description:
    "The exact body as accepted: {type, version, timestamp, data}, pushed as is to endpoints pinned to `version` (others receive it converted to their pin). " +
    "Events stored before versions were recorded have no `version` in it: they are in the newest version of their type at the time.",
  required: ["type", "timestamp", "data"],
  properties: {
    type: { type: "string" },
    version: { type: "integer" },
    timestamp: timeSchema,
    data: { type: "object", additionalProperties: true },
  },
} as const;

const eventProperties = {
  id: { type: "string", description: "Also the `webhook-id` of every delivery of this event." },
  type: { type: "string" },
  version: {
    type: ["integer", "null"],
    description: "The version the event was sent in (null: stored before versions were recorded, of a type no longer in the catalog).",
  },
  tenant: nullableString,
  createdAt: timeSchema,
  envelope: { $ref: "EventEnvelope#" },
} as const;
const eventRequired = ["id", "type", "version", "tenant", "createdAt", "envelope"] as const;

const eventComponent = {
  $id: "Event",
  type: "object",
  description: "An accepted event, as listed (GET /v1/events) and polled.",
  required: eventRequired,
  properties: eventProperties,
} as const;

const eventDetailComponent = {
  $id: "EventDetail",
  type: "object",
  description: "An event with the state of each of its deliveries.",
  required: [...eventRequired, "deliveries"],
  properties: { ...eventProperties, deliveries: { type: "array", items: { $ref: "EventDelivery#" } } },
} as const;

const acceptedEventComponent = {
  $id: "AcceptedEvent",
  type: "object",
  required: ["id", "type", "version", "tenant", "createdAt", "deliveries"],
  properties: {
    id: { type: "string" },
    type: { type: "string" },
    version: { type: ["integer", "null"], description: "The version the event was sent in." },
    tenant: nullableString,
    createdAt: timeSchema,
    deliveries: { type: "integer", description: "Deliveries created (one per matching endpoint; 0 for a repeated id)." },
  },
} as const;

/**
 * The body of POST /v1/events as validated: any payload object (the catalog schema of `type` is
 * checked by the handler). /openapi.json replaces it with a union discriminated by `type`, one
 * member per catalog event type with its payload schemas (openapi.ts).
 */
const sendEventComponent = {
  $id: "SendEvent",
  type: "object",
  required: ["type", "payload"],
  additionalProperties: false,
  properties: {
    type: { type: "string", minLength: 1, maxLength: 200, description: "A catalog event type, e.g. `order.created`." },
    payload: {
      type: "object",
      additionalProperties: true,
      description: "Validated against the JSON Schema of the event type's `version`.",
    },
    version: {
      type: "integer",
      minimum: 1,
      maximum: 1000000,
      description:
        "The version of the event type the payload is written in; default the newest. A version the server does not carry: 422 naming the versions that exist.",
    },
    id: {
      type: "string",
      pattern: EVENT_ID_PATTERN,
      description: "Client id for idempotency: [A-Za-z0-9_-]{1,64}, no dots. Generated (evt_...) when absent.",
    },
    tenant: { type: "string", pattern: TENANT_PATTERN, description: "Only endpoints with the same tenant receive it." },
  },
} as const;

const attemptComponent = {
  $id: "Attempt",
  type: "object",
  required: [
    "id",
    "eventId",
    "endpointId",
    "status",
    "statusCode",
    "durationMs",
    "responseBody",
    "requestHeaders",
    "responseHeaders",
    "responseHeadersTruncated",
    "createdAt",
  ],
  properties: {
    id: { type: "string" },
    eventId: { type: "string" },
    endpointId: { type: "string" },
    status: { type: "string", enum: ["succeeded", "failed"] },
    statusCode: { type: ["integer", "null"] },
    durationMs: { type: "integer" },
    error: {
      type: "object",
      description: "Why the attempt failed without an HTTP answer (timeout, connection refused, blocked address…).",
      required: ["code", "message"],
      properties: { code: { type: "string" }, message: { type: "string" } },
    },
    responseBody: { type: "string", description: "The first bytes of the response body (capped)." },
    requestHeaders: {
      type: ["object", "null"],
      additionalProperties: { type: "string" },
      description:
        "The request headers sent, names in lower case. Secrets are never stored: each `webhook-signature` entry reads `v1,<redacted>` " +
        "(two entries while a rotated secret is still signing) and an authorization from URL credentials `Basic <redacted>`. Null for attempts recorded before version 0.4 of the server.",
    },
    responseHeaders: {
      type: ["object", "null"],
      additionalProperties: { type: "string" },
      description:
        "The response headers as received (repeated headers joined with `, `): untrusted text from the receiver, kept up to 8 KiB of names and values. Null when there was no response.",
    },
    responseHeadersTruncated: {
      type: "boolean",
      description: "Response headers past the 8 KiB cap were left out (the last one kept may be cut).",
    },
    createdAt: timeSchema,
  },
} as const;

const eventTypeComponent = {
  $id: "EventType",
  type: "object",
  required: ["type", "version", "description", "deprecated", "schema", "examples", "versions"],
  properties: {
    type: { type: "string" },
    version: { type: "integer", description: "The newest version (its schema, examples and metadata are the ones shown here)." },
    versions: {
      type: "array",
      description: "Every version the server carries, oldest first.",
      items: {
        type: "object",
        required: ["version", "deprecated", "pinnedEndpoints"],
        properties: {
          version: { type: "integer" },
          deprecated: { type: "boolean" },
          pinnedEndpoints: {
            type: "integer",
            description: "Endpoints subscribed to the type and pinned to this version (GET …/versions/{version}/subscribers lists them).",
          },
        },
      },
    },
    domain: { type: "string" },
    title: { type: "string" },
    description: { type: "string" },
    deprecated: { type: "boolean" },
    schema: { type: "object", additionalProperties: true },
    examples: { type: "array", items: {} },
  },
} as const;

const replayResultComponent = {
  $id: "ReplayResult",
  type: "object",
  required: ["id", "scheduled"],
  properties: { id: { type: "string" }, scheduled: { type: "integer", description: "Deliveries scheduled to run again." } },
} as const;

const recoverResultComponent = {
  $id: "RecoverResult",
  type: "object",
  required: ["recovered"],
  properties: { recovered: { type: "integer", description: "Deliveries re-queued." } },
} as const;

/** The named schemas, registered with `app.addSchema` (server.ts); `components.schemas` of /openapi.json. */
export const COMPONENTS = [
  errorIssueComponent,
  errorComponent,
  eventDeliveryComponent,
  deliveryComponent,
  eventEnvelopeComponent,
  eventComponent,
  eventDetailComponent,
  acceptedEventComponent,
  sendEventComponent,
  attemptComponent,
  endpointComponent,
  createdEndpointComponent,
  eventTypeComponent,
  replayResultComponent,
  recoverResultComponent,
] as const;

export type ComponentName = (typeof COMPONENTS)[number]["$id"];

export const deliveryItemSchema = ref("Delivery");
export const eventSchema = ref("Event");
export const eventDetailSchema = ref("EventDetail");
export const acceptedEventSchema = ref("AcceptedEvent");
export const attemptSchema = ref("Attempt");
export const eventTypeSchema = ref("EventType");
