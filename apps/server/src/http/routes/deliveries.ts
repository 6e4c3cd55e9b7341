/** Deliveries across events and endpoints, newest first: the dead-letter list, the live feed, and "replay selected". */
import type { FastifyInstance } from "fastify";
import type { DeliveryStatus } from "../../store/store.js";
import { EVENT_ID_PATTERN, RESOURCE_ID_PATTERN } from "../../util/ids.js";
import type { HttpContext } from "../context.js";
import { presentDeliveryItem, presentPage } from "../presenters.js";
import { opt, type PageQuery, pageRequest, timeQuery, timeRange } from "../query.js";
import { scopedList } from "../scope.js";
import {
  DELIVERY_STATUSES,
  deliveryItemSchema,
  errors,
  listOf,
  pageQuery,
  TENANT_PATTERN,
  timeRangeQuery,
  timeSchema,
} from "../schemas.js";

/** Most deliveries one "replay selected" request names. */
export const REPLAY_SELECTED_MAX = 100;

interface DeliveriesQuery extends PageQuery {
  status?: DeliveryStatus;
  endpointId?: string;
  eventId?: string;
  tenant?: string;
  since?: string;
  until?: string;
  updatedAfter?: string;
}

export function deliveryRoutes(app: FastifyInstance, ctx: HttpContext): void {
  app.get(
    "/v1/deliveries",
    {
      config: { access: "read" },
      schema: {
        tags: ["events"],
        summary: "List deliveries, newest first (e.g. the dead letters: ?status=failed)",
        description:
          "Failed deliveries are the dead letters: replay one with POST /v1/events/{eventId}/replay, a selection with POST /v1/deliveries/replay, " +
          "or all of an endpoint's since a time with POST /v1/endpoints/{id}/recover. Filters combine (AND). " +
          "Live updates: poll with `updatedAfter` set to the newest `updatedAt` seen minus a few seconds (writers' clocks and commits are not in lockstep) " +
          "and merge the answers by `id`; every attempt, retry, replay or recovery changes `updatedAt`.",
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            status: { type: "string", enum: DELIVERY_STATUSES },
            endpointId: { type: "string", pattern: RESOURCE_ID_PATTERN },
            eventId: { type: "string", pattern: EVENT_ID_PATTERN },
            tenant: { type: "string", pattern: TENANT_PATTERN, description: "Deliveries of events sent with this tenant." },
            ...timeRangeQuery("Deliveries created"),
            updatedAfter: { ...timeSchema, description: "Deliveries changed after this time (RFC 3339, exclusive): live polling." },
            ...pageQuery,
          },
        },
        response: { 200: listOf(deliveryItemSchema), ...errors(400, 401) },
      },
    },
    async (request) => {
      const q = request.query as DeliveriesQuery;
      const page = pageRequest(q, ctx.config.pageMaxBytes);
      const result = await scopedList(request, q.tenant, (tenant) =>
        ctx.store.findDeliveries({
          ...page,
          ...opt("status", q.status),
          ...opt("endpointId", q.endpointId),
          ...opt("eventId", q.eventId),
          ...tenant,
          ...timeRange(q),
          ...opt("updatedAfter", timeQuery("updatedAfter", q.updatedAfter)),
        }),
      );
      return presentPage(result, presentDeliveryItem);
    },
  );

  app.post(
    "/v1/deliveries/replay",
    {
      schema: {
        tags: ["events"],
        summary: "Deliver selected deliveries again now (replay selected)",
        description:
          `Applies the replay rule of POST /v1/events/{id}/replay to each delivery named (at most ${REPLAY_SELECTED_MAX}), in one transaction: ` +
          "a delivered or failed (dead-letter) delivery runs again with a fresh retry schedule, one waiting for a retry gets one extra attempt now, " +
          "one already due or in flight is left as is. Ids that do not exist (or whose endpoint was deleted) are listed in `notFound`; the others are still replayed.",
        body: {
          type: "object",
          required: ["ids"],
          additionalProperties: false,
          properties: {
            ids: {
              type: "array",
              minItems: 1,
              maxItems: REPLAY_SELECTED_MAX,
              items: { type: "string", pattern: RESOURCE_ID_PATTERN },
              description: "Delivery ids (`id` of GET /v1/deliveries).",
            },
          },
        },
        response: {
          202: {
            type: "object",
            required: ["scheduled", "notFound"],
            properties: {
              scheduled: { type: "integer", description: "Deliveries the replay applied to." },
              notFound: { type: "array", items: { type: "string" } },
            },
          },
          ...errors(400, 401),
        },
      },
    },
    async (request, reply) => {
      const { ids } = request.body as { ids: string[] };
      const result = await ctx.store.replayDeliveries(ids, ctx.now());
      if (result.scheduled > 0) ctx.wakeWorker();
      return reply.code(202).send({ scheduled: result.scheduled, notFound: result.notFound });
    },
  );
}
