import { isKnownEventType, knownEventTypes } from "@hookline/core/internal";
import type { FastifyInstance } from "fastify";
import type { HttpContext } from "../context.js";
import { ApiError } from "../errors.js";
import { errors, eventTypeSchema, listOf } from "../schemas.js";

export function eventTypeRoutes(app: FastifyInstance, ctx: HttpContext): void {
  const { catalog, schemas } = ctx;
  const present = (type: string): Record<string, unknown> => {
    const info = catalog.eventTypes[type];
    const documents = schemas[type];
    if (info === undefined || documents === undefined) throw new Error(`catalog or schemas lost ${type}`);
    return {
      type: info.type,
      version: info.version,
      domain: info.domain,
      title: info.title,
      description: info.description,
      deprecated: info.deprecated,
      schema: documents.schema,
      examples: documents.examples,
    };
  };
  const all = knownEventTypes(catalog).map(present);

  app.get(
    "/v1/event-types",
    {
      schema: {
        tags: ["event types"],
        summary: "Every event type of the catalog (sorted; one page)",
        response: { 200: listOf(eventTypeSchema), ...errors(401) },
      },
    },
    async () => ({ data: all, nextCursor: null }),
  );

  app.get(
    "/v1/event-types/:type",
    {
      schema: {
        tags: ["event types"],
        summary: "One event type: schema, examples, version",
        params: {
          type: "object",
          required: ["type"],
          additionalProperties: false,
          properties: { type: { type: "string", maxLength: 200 } },
        },
        response: { 200: eventTypeSchema, ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const { type } = request.params as { type: string };
      if (!isKnownEventType(catalog, type)) {
        const asked = (request.params as { type: string }).type;
        throw new ApiError(
          404,
          "unknown_event_type",
          `The catalog has no event type ${JSON.stringify(asked.slice(0, 100))}. List them with GET /v1/event-types.`,
        );
      }
      return present(type);
    },
  );
}
