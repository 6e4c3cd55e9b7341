/** Event types: the catalog the server carries, every version with its pins, and the subscribers pinned to a version. */
import type { FastifyInstance } from "fastify";
import { typeMatches } from "../../domain/routing.js";
import type { HttpContext } from "../context.js";
import { ApiError } from "../errors.js";
import { errors, eventTypeSchema, listOf } from "../schemas.js";

/** Most subscribers one answer lists (`count` still counts them all). */
const SUBSCRIBERS_MAX = 1000;

const typeParam = { type: { type: "string", maxLength: 200 } } as const;

export function eventTypeRoutes(app: FastifyInstance, ctx: HttpContext): void {
  const tags = ["event types"];
  /** Each type with every version's deprecation and pin count (one store read per answer). */
  const present = async (types: readonly string[]): Promise<Record<string, unknown>[]> => {
    const catalog = ctx.catalog();
    const pinned = new Map((await ctx.store.pinnedVersionCounts()).map((c) => [`${c.type}\u0000${c.version}`, c.endpoints]));
    return types.map((type) => {
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
        versions: catalog.versions(type).map((version) => ({
          version,
          deprecated: catalog.info(type, version)?.deprecated === true,
          pinnedEndpoints: pinned.get(`${type}\u0000${version}`) ?? 0,
        })),
      };
    });
  };
  const knownType = (type: string): void => {
    if (ctx.catalog().has(type)) return;
    throw new ApiError(
      404,
      "unknown_event_type",
      `The catalog has no event type ${JSON.stringify(type.slice(0, 100))}. List them with GET /v1/event-types.`,
    );
  };

  app.get(
    "/v1/event-types",
    {
      config: { access: "read" },
      schema: {
        tags,
        summary: "Every event type of the catalog (sorted; one page)",
        response: { 200: listOf(eventTypeSchema), ...errors(401) },
      },
    },
    async () => ({ data: await present(ctx.catalog().types), nextCursor: null }),
  );

  app.get(
    "/v1/event-types/:type",
    {
      config: { access: "read" },
      schema: {
        tags,
        summary: "One event type: schema, examples, versions and their pins",
        params: { type: "object", required: ["type"], additionalProperties: false, properties: typeParam },
        response: { 200: eventTypeSchema, ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const { type } = request.params as { type: string };
      knownType(type);
      return (await present([type]))[0];
    },
  );

  app.get(
    "/v1/event-types/:type/versions/:version/subscribers",
    {
      // Every tenant's endpoints in one answer (and a count of them): never for a tenant token.
      config: { access: "read", allTenants: true },
      schema: {
        tags,
        summary: "Endpoints subscribed to a type and pinned to one of its versions",
        description:
          "The endpoints (not deleted; disabled ones included and marked) whose `eventTypes` filter matches the type and whose pin for it is `version`: " +
          "who a breaking change to that version would break (`hookline check --server`). Oldest first, at most " +
          `${SUBSCRIBERS_MAX} in one answer; \`count\` counts them all.`,
        params: {
          type: "object",
          required: ["type", "version"],
          additionalProperties: false,
          properties: { ...typeParam, version: { type: "integer", minimum: 1, maximum: 9999999 } },
        },
        response: {
          200: {
            type: "object",
            required: ["data", "count"],
            properties: {
              data: {
                type: "array",
                items: {
                  type: "object",
                  required: ["id", "urlHost", "tenant", "disabled"],
                  properties: {
                    id: { type: "string" },
                    urlHost: { type: "string", description: "Host (and port) of the endpoint URL." },
                    tenant: { type: ["string", "null"] },
                    disabled: { type: "boolean" },
                  },
                },
              },
              count: { type: "integer", description: "Every such endpoint, also when `data` stops at its limit." },
            },
          },
          ...errors(400, 401, 404),
        },
      },
    },
    async (request) => {
      const params = request.params as { type: string; version: number };
      knownType(params.type);
      const version = Number(params.version);
      const versions = ctx.catalog().versions(params.type);
      if (!versions.includes(version)) {
        throw new ApiError(
          404,
          "unknown_version",
          `${params.type} has no version ${version}; versions that exist: ${versions.join(", ")}.`,
          [{ path: "/version", message: `versions that exist: ${versions.join(", ")}`, versions }],
        );
      }
      const subscribed = (await ctx.store.pinnedEndpoints(params.type, version)).filter(
        (e) => e.eventTypes === null || e.eventTypes.some((pattern) => typeMatches(pattern, params.type)),
      );
      return {
        data: subscribed
          .slice(0, SUBSCRIBERS_MAX)
          .map((e) => ({ id: e.id, urlHost: urlHost(e.url), tenant: e.tenant, disabled: e.disabled })),
        count: subscribed.length,
      };
    },
  );
}

function urlHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "";
  }
}
