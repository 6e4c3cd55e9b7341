/** The attempt log, newest first: the attempts made for one event, or to one endpoint. */
import type { FastifyInstance } from "fastify";
import type { HttpContext } from "../context.js";
import { opt } from "../query.js";
import { confinedTenant, visibleEndpoint, visibleEvent } from "../scope.js";
import { presentAttempt, presentPage } from "../presenters.js";
import { type PageQuery, pageRequest } from "../query.js";
import { attemptSchema, errors, eventIdParams, idParams, listOf, pageQuery } from "../schemas.js";

export function attemptRoutes(app: FastifyInstance, ctx: HttpContext): void {
  const { store } = ctx;
  const querystring = { type: "object", additionalProperties: false, properties: { ...pageQuery } };

  app.get(
    "/v1/events/:id/attempts",
    {
      config: { access: "read" },
      schema: {
        tags: ["events"],
        summary: "Attempts made for an event, newest first",
        params: eventIdParams,
        querystring,
        response: { 200: listOf(attemptSchema), ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      // The query is checked first: a bad cursor is a 400 even for a missing event.
      const page = pageRequest(request.query as PageQuery, ctx.config.pageMaxBytes);
      await visibleEvent(ctx, request, id);
      return presentPage(await store.listAttempts({ eventId: id, ...page }), presentAttempt);
    },
  );

  app.get(
    "/v1/endpoints/:id/attempts",
    {
      config: { access: "read" },
      schema: {
        tags: ["endpoints"],
        summary: "Attempts made to an endpoint, newest first",
        params: idParams,
        querystring,
        response: { 200: listOf(attemptSchema), ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const page = pageRequest(request.query as PageQuery, ctx.config.pageMaxBytes);
      await visibleEndpoint(ctx, request, id);
      // Attempts belong to the tenant of their event (an endpoint moved to another tenant keeps its history there).
      const tenant = confinedTenant(request);
      return presentPage(await store.listAttempts({ endpointId: id, ...page, ...opt("tenant", tenant ?? undefined) }), presentAttempt);
    },
  );
}
