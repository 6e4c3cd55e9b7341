/**
 * GET /openapi.json. @fastify/swagger builds the API part from the route schemas fastify validates
 * with (so the document matches what the server enforces) and the shared schemas become
 * `components.schemas` (schemas.ts). Then the live catalog is laid over it (`servedOpenApi`): its
 * `webhooks` and their component schemas, `SendEvent` as a union discriminated by `type` with each
 * type's payload schemas, and `EventEnvelope` as the union of the catalog's envelopes, so a client
 * generated from the document sends and reads typed events.
 */
import type { SwaggerOptions } from "@fastify/swagger";
import type { RouteOptions } from "fastify";
import { MAX_JSON_DEPTH } from "./input-guards.js";

const DESCRIPTION =
  "Typed webhooks: send catalog events, manage subscriber endpoints, inspect and replay deliveries. Every route needs `Authorization: Bearer <api key or token>` " +
  "except those marked with no security (health, readiness, metrics, this document, /asyncapi.json, the API reference at /reference/, the dashboard, the portal code exchange); unknown paths answer 401 without it. " +
  "`x-hookline-access` says which credentials reach an operation: `admin` the admin API key only, `read` any token (tenant tokens see their tenant's rows only, " +
  "other rows answer 404), `write` a write token (read tokens get 403 `read_only_token`); `x-hookline-all-tenants` operations are not for tenant tokens. " +
  "`webhooks` describes the deliveries the server sends (every event type and version of the loaded catalog), also served as AsyncAPI 3.0 at /asyncapi.json. " +
  "`SendEvent` (the body of POST /v1/events) and `EventEnvelope` are typed by the loaded catalog and follow its reloads. " +
  'Errors are `{"error": {"code", "message", "details"}}` (the `Error` schema), for malformed HTTP, timeouts (408) and oversized headers (431) too. ' +
  `Request bodies may nest arrays and objects at most ${MAX_JSON_DEPTH} levels deep (400 \`json_too_deep\`); text fields, path and query parameters refuse U+0000 and unpaired surrogates (400 \`invalid_character\`); ` +
  "event payloads are stored as the exact bytes sent. Lists take `?limit` (1–250, default 50) and `?after=<nextCursor>`.";

/** The @fastify/swagger options: OpenAPI 3.1, components named by their `$id`, security per route. */
export function swaggerOptions(version: string): SwaggerOptions {
  return {
    openapi: {
      openapi: "3.1.0",
      info: { title: "Hookline delivery server", version, description: DESCRIPTION },
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
    },
    // Shared schemas keep their names (`Event`, `Error`…) instead of `def-0`, `def-1`….
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === "string" ? json.$id : `def-${i}`) },
    transform: ({ schema, url, route }) => {
      const completed: Record<string, unknown> = { ...schema, operationId: operationId(route as RouteOptions) };
      // Public routes (config.public, see auth.ts) need no API key; every other one says it does.
      const config = (route as RouteOptions).config;
      completed["security"] = config?.public === true ? [] : [{ apiKey: [] }];
      // Which credentials reach it (src/domain/scope.ts): admin = the admin API key only.
      if (config?.public !== true) {
        completed["x-hookline-access"] = config?.access ?? "admin";
        if (config?.allTenants === true) completed["x-hookline-all-tenants"] = true;
      }
      if (url === "/metrics") completed["produces"] = ["text/plain"];
      return { schema: completed as typeof schema, url };
    },
  };
}

/** Unique and stable: the method and the path's words, e.g. `getEventsByIdAttempts`. */
export function operationId(route: Pick<RouteOptions, "method" | "url">): string {
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
