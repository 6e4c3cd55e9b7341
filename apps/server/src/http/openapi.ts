import { MAX_JSON_DEPTH } from "./input-guards.js";
import type { RouteOptions } from "fastify";

/**
 * OpenAPI 3.1 from the route schemas fastify validates with (collected by an onRoute hook), so
 * the document always matches what the server enforces. 3.1 uses JSON Schema 2020-12, so the
 * schemas are embedded as they are.
 */
interface RouteSchema {
  tags?: string[];
  summary?: string;
  description?: string;
  params?: ObjectSchema;
  querystring?: ObjectSchema;
  headers?: ObjectSchema;
  body?: Record<string, unknown>;
  response?: Record<string, Record<string, unknown>>;
  /** Left out of the document (as @fastify/swagger does): routes that are not part of the API, e.g. the docs site. */
  hide?: boolean;
}

interface ObjectSchema {
  properties?: Record<string, Record<string, unknown>>;
  required?: string[];
}

export function buildOpenApi(routes: readonly RouteOptions[], info: { version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const schema = route.schema as RouteSchema | undefined;
    if (schema === undefined || schema.hide === true) continue;
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map((m) => m.toLowerCase()).filter((m) => m !== "head");
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
    for (const method of methods) {
      paths[path] ??= {};
      paths[path][method] = operation(route, schema);
    }
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Hookline delivery server",
      version: info.version,
      description:
        "Typed webhooks: send catalog events, manage subscriber endpoints, inspect and replay deliveries. Every route needs `Authorization: Bearer <api key or token>` " +
        "except those marked with no security (health, readiness, metrics, these documents, the portal code exchange); unknown paths answer 401 without it. " +
        "`x-hookline-access` says which credentials reach an operation: `admin` the admin API key only, `read` any token (tenant tokens see their tenant's rows only, " +
        "other rows answer 404), `write` a write token (read tokens get 403 `read_only_token`); `x-hookline-all-tenants` operations are not for tenant tokens. " +
        "`webhooks` describes the deliveries the server sends (every event type and version of the loaded catalog), also served as AsyncAPI 3.0 at /asyncapi.json. " +
        'Errors are `{"error": {"code", "message", "details"}}`, for malformed HTTP, timeouts (408) and oversized headers (431) too. ' +
        `Request bodies may nest arrays and objects at most ${MAX_JSON_DEPTH} levels deep (400 \`json_too_deep\`); text fields, path and query parameters refuse U+0000 and unpaired surrogates (400 \`invalid_character\`); ` +
        "event payloads are stored as the exact bytes sent. Lists take `?limit` (1–250, default 50) and `?after=<nextCursor>`.",
    },
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          description: "The server's admin API key, or a token (hlt_…) from POST /v1/tokens or a portal session.",
        },
      },
    },
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}

function operation(route: RouteOptions, schema: RouteSchema): Record<string, unknown> {
  const parameters = [
    ...parametersFrom(schema.params, "path"),
    ...parametersFrom(schema.querystring, "query"),
    ...parametersFrom(schema.headers, "header"),
  ];
  const responses: Record<string, unknown> = {};
  for (const [status, body] of Object.entries(schema.response ?? {})) {
    const { description, ...rest } = body;
    const text = typeof description === "string" ? description : describeStatus(status);
    responses[status] =
      status === "204"
        ? { description: text }
        : { description: text, content: { [route.url === "/metrics" ? "text/plain" : "application/json"]: { schema: rest } } };
  }
  return {
    ...(schema.tags === undefined ? {} : { tags: schema.tags }),
    ...(schema.summary === undefined ? {} : { summary: schema.summary }),
    ...(schema.description === undefined ? {} : { description: schema.description }),
    operationId: operationId(route),
    security: route.config?.public === true ? [] : [{ apiKey: [] }],
    // Which credentials reach it (src/domain/scope.ts): admin = the admin API key only.
    ...(route.config?.public === true
      ? {}
      : {
          "x-hookline-access": route.config?.access ?? "admin",
          ...(route.config?.allTenants === true ? { "x-hookline-all-tenants": true } : {}),
        }),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(schema.body === undefined
      ? {}
      : {
          requestBody: {
            required: (schema.body["required"] as unknown[] | undefined)?.length !== undefined,
            content: { "application/json": { schema: schema.body } },
          },
        }),
    responses,
  };
}

function parametersFrom(schema: ObjectSchema | undefined, location: "path" | "query" | "header"): Record<string, unknown>[] {
  if (schema?.properties === undefined) return [];
  return Object.entries(schema.properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: location,
      required: location === "path" || (schema.required ?? []).includes(name),
      ...(typeof description === "string" ? { description } : {}),
      schema: rest,
    };
  });
}

function operationId(route: RouteOptions): string {
  const method = (Array.isArray(route.method) ? route.method[0] : route.method) ?? "get";
  const words = route.url
    .split("/")
    .filter((part) => part !== "" && part !== "v1")
    .map((part) => (part.startsWith(":") ? `by-${part.slice(1)}` : part))
    .join("-")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== "");
  return [method.toLowerCase(), ...words].map((w, i) => (i === 0 ? w : w[0]?.toUpperCase() + w.slice(1))).join("");
}

function describeStatus(status: string): string {
  const texts: Record<string, string> = {
    "200": "OK",
    "201": "Created",
    "202": "Accepted",
    "400": "Invalid request (bad JSON, unknown fields, values out of range, bad cursor)",
    "401": "Missing or wrong API key",
    "404": "Not found",
    "409": "Conflict",
    "413": "Body over the size limit",
    "415": "Content-Type is not application/json",
    "422": "Well-formed but refused (unknown event type, invalid payload, blocked URL, invalid secret)",
    "503": "Not ready",
  };
  return texts[status] ?? "Response";
}
