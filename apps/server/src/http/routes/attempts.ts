/** The attempt log, newest first: the attempts made for one event, or to one endpoint. */
import type { FastifyInstance } from "fastify";
import type { HttpContext } from "../context.js";
import { notFound } from "../errors.js";
import { presentAttempt, presentPage } from "../presenters.js";
import { type PageQuery, pageRequest } from "../query.js";
import { attemptSchema, errors, eventIdParams, idParams, listOf, pageQuery } from "../schemas.js";

export function attemptRoutes(app: FastifyInstance, ctx: HttpContext): void {
  const { store } = ctx;
  const querystring = { type: "object", additionalProperties: false, properties: { ...pageQuery } };

  app.get(
    "/v1/events/:id/attempts",
    {
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
      if ((await store.getEvent(id)) === undefined) throw notFound("event", id);
      return presentPage(await store.listAttempts({ eventId: id, ...page }), presentAttempt);
    },
  );

  app.get(
    "/v1/endpoints/:id/attempts",
    {
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
      if ((await store.getEndpoint(id)) === undefined) throw notFound("endpoint", id);
      return presentPage(await store.listAttempts({ endpointId: id, ...page }), presentAttempt);
    },
  );
}
