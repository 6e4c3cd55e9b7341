import type { FastifyInstance } from "fastify";
import type { CatalogView } from "../../catalog/catalog-view.js";
import type { HttpContext } from "../context.js";
import { ApiError } from "../errors.js";
import { errors, eventTypeSchema, listOf } from "../schemas.js";

export function eventTypeRoutes(app: FastifyInstance, ctx: HttpContext): void {
  const present = (catalog: CatalogView, type: string): Record<string, unknown> => {
    const info = catalog.info(type);
    const documents = catalog.schema(type);
    if (info === undefined || documents === undefined) throw new Error(`the catalog view lost ${type}`);
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
  // The list is the same for every request until a reload swaps the view: built once per view.
  const lists = new WeakMap<CatalogView, Record<string, unknown>[]>();
  const all = (catalog: CatalogView): Record<string, unknown>[] => {
    let list = lists.get(catalog);
    if (list === undefined) {
      list = catalog.types.map((type) => present(catalog, type));
      lists.set(catalog, list);
    }
    return list;
  };

  app.get(
    "/v1/event-types",
    {
      schema: {
        tags: ["event types"],
        summary: "Every event type of the catalog (sorted; one page)",
        response: { 200: listOf(eventTypeSchema), ...errors(401) },
      },
    },
    async () => ({ data: all(ctx.catalog()), nextCursor: null }),
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
      const catalog = ctx.catalog();
      if (!catalog.has(type)) {
        const asked = (request.params as { type: string }).type;
        throw new ApiError(
          404,
          "unknown_event_type",
          `The catalog has no event type ${JSON.stringify(asked.slice(0, 100))}. List them with GET /v1/event-types.`,
        );
      }
      return present(catalog, type);
    },
  );
}
