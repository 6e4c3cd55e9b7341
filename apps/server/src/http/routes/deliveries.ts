/** Deliveries across events and endpoints, newest first: the dead-letter list among others. */
import type { FastifyInstance } from "fastify";
import type { DeliveryStatus } from "../../store/store.js";
import { RESOURCE_ID_PATTERN } from "../../util/ids.js";
import type { HttpContext } from "../context.js";
import { presentDeliveryItem, presentPage } from "../presenters.js";
import { opt, type PageQuery, pageRequest } from "../query.js";
import { scopedList } from "../scope.js";
import { deliveryItemSchema, errors, listOf, pageQuery } from "../schemas.js";

export function deliveryRoutes(app: FastifyInstance, ctx: HttpContext): void {
  app.get(
    "/v1/deliveries",
    {
      config: { access: "read" },
      schema: {
        tags: ["events"],
        summary: "List deliveries, newest first (e.g. the dead letters: ?status=failed)",
        description:
          "Failed deliveries are the dead letters: replay one with POST /v1/events/{eventId}/replay, or all of an endpoint's since a time with POST /v1/endpoints/{id}/recover.",
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            status: { type: "string", enum: ["pending", "delivering", "delivered", "failed", "cancelled"] },
            endpointId: { type: "string", pattern: RESOURCE_ID_PATTERN },
            ...pageQuery,
          },
        },
        response: { 200: listOf(deliveryItemSchema), ...errors(400, 401) },
      },
    },
    async (request) => {
      const q = request.query as PageQuery & { status?: DeliveryStatus; endpointId?: string };
      const page = pageRequest(q, ctx.config.pageMaxBytes);
      const result = await scopedList(request, undefined, (tenant) =>
        ctx.store.findDeliveries({ ...page, ...opt("status", q.status), ...opt("endpointId", q.endpointId), ...tenant }),
      );
      return presentPage(result, presentDeliveryItem);
    },
  );
}
