/**
 * Delivering again: replay one event (to its endpoints or one of them), recover the failed deliveries
 * (dead letters) of an endpoint. Both re-arm existing delivery rows and wake the delivery loop.
 */
import type { FastifyInstance } from "fastify";
import { RESOURCE_ID_PATTERN } from "../../util/ids.js";
import { parseRfc3339 } from "../../util/time.js";
import type { HttpContext } from "../context.js";
import { ApiError, notFound } from "../errors.js";
import { errors, eventIdParams, idParams, ref, timeSchema } from "../schemas.js";
import { checkEndpointScope, checkEventScope } from "../scope.js";

export function replayRoutes(app: FastifyInstance, ctx: HttpContext): void {
  app.post(
    "/v1/events/:id/replay",
    {
      config: { optionalBody: true, access: "write" },
      schema: {
        tags: ["events"],
        summary: "Deliver an event again now",
        description:
          "Sends the event again now to the endpoints it was delivered to (or only to `endpointId`; its delivery is created if the endpoint matches but had none). " +
          "A delivered or failed (dead-letter) delivery runs again with a fresh retry schedule. " +
          "A delivery still waiting for a retry gets one extra attempt now that neither uses up nor resets its retries: if it succeeds, the delivery is delivered and no retry follows; " +
          "if it fails, the delivery waits for the same retry as before (same time, same place in the schedule). " +
          "A delivery already due or in flight is left as is, so concurrent replays add at most one attempt.",
        params: eventIdParams,
        body: {
          type: "object",
          additionalProperties: false,
          properties: { endpointId: { type: "string", pattern: RESOURCE_ID_PATTERN } },
        },
        response: {
          202: ref("ReplayResult", "Scheduled."),
          ...errors(400, 401, 404, 422),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const body = (request.body ?? {}) as { endpointId?: string };
      await checkEventScope(ctx, request, id);
      await checkEndpointScope(ctx, request, body.endpointId);
      const result = await ctx.store.replay(id, body.endpointId, ctx.now());
      if (result.outcome !== "ok") {
        if (result.outcome === "event_not_found") throw notFound("event", id);
        if (result.outcome === "endpoint_not_found") throw notFound("endpoint", body.endpointId ?? "");
        throw new ApiError(
          422,
          "endpoint_not_subscribed",
          "That endpoint does not receive this event (its event types or tenant do not match), so the event cannot be replayed to it.",
        );
      }
      ctx.wakeWorker();
      return reply.code(202).send({ id, scheduled: result.scheduled });
    },
  );

  app.post(
    "/v1/endpoints/:id/recover",
    {
      config: { access: "write" },
      schema: {
        tags: ["endpoints"],
        summary: "Re-send an endpoint's failed deliveries",
        description:
          "Re-queues every failed delivery of this endpoint whose event was accepted in [since, until) (until defaults to now), with a fresh retry schedule.",
        params: idParams,
        body: {
          type: "object",
          required: ["since"],
          additionalProperties: false,
          properties: { since: timeSchema, until: timeSchema },
        },
        response: {
          202: ref("RecoverResult", "Re-queued."),
          ...errors(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const body = request.body as { since: string; until?: string };
      await checkEndpointScope(ctx, request, id);
      const now = ctx.now();
      const since = parseRfc3339(body.since);
      const until = body.until === undefined ? now + 1 : parseRfc3339(body.until);
      if (since === undefined || until === undefined)
        throw new ApiError(400, "invalid_request", "since and until must be RFC 3339 times, e.g. 2025-03-10T14:22:05Z.");
      if (since >= until) throw new ApiError(400, "invalid_request", "since must be earlier than until.");
      const recovered = await ctx.store.recover(id, since, until, now);
      if (recovered === undefined) throw notFound("endpoint", id);
      if (recovered > 0) ctx.wakeWorker();
      return reply.code(202).send({ recovered });
    },
  );
}
