/** Events: send one (ingest), list them (also the polling API), read one with its deliveries. */
import { createHash } from "node:crypto";
import { issuesOf, serializeEnvelope } from "@hookline/core/internal";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { DeliveryStatus } from "../../store/store.js";
import { EVENT_ID_PATTERN, newId, RESOURCE_ID_PATTERN } from "../../util/ids.js";
import { canonicalJson, rawTopLevelMember } from "../../util/json.js";
import { rfc3339 } from "../../util/time.js";
import type { HttpContext } from "../context.js";
import { ApiError, unknownEventType } from "../errors.js";
import { eventJson, eventPageJson, presentDelivery } from "../presenters.js";
import { encodeCursor, opt, type PageQuery, pageRequest, timeRange } from "../query.js";
import { rawBodyOf } from "../raw-body.js";
import { scopedList, tenantForWrite, visibleEvent } from "../scope.js";
import {
  DELIVERY_STATUSES,
  errors,
  eventDetailSchema,
  eventIdParams,
  eventSchema,
  listOf,
  pageQuery,
  ref,
  TENANT_PATTERN,
  timeRangeQuery,
} from "../schemas.js";

interface IngestBody {
  type: string;
  payload: Record<string, unknown>;
  version?: number;
  id?: string;
  tenant?: string;
}

export function eventRoutes(app: FastifyInstance, ctx: HttpContext): void {
  const { store } = ctx;

  app.post(
    "/v1/events",
    {
      bodyLimit: ctx.config.maxPayloadBytes,
      config: { storedAsBytes: ["payload"], access: "write" },
      schema: {
        tags: ["events"],
        summary: "Send an event",
        description:
          "Validates the payload against the catalog schema of `type` in `version` (default: the newest), stores the event and one delivery per matching endpoint " +
          "(each in the endpoint's pinned version) in one transaction, then answers 202. " +
          "The same id (body `id` or `Idempotency-Key` header) with the same body answers 200 with the original event and creates nothing; with a different body, 409.",
        headers: {
          type: "object",
          properties: { "idempotency-key": { type: "string", pattern: EVENT_ID_PATTERN, description: "Same as the body `id`." } },
        },
        body: ref("SendEvent"),
        response: {
          200: ref("AcceptedEvent", "The same id was accepted before with the same body: the original event; nothing new was created."),
          202: ref("AcceptedEvent", "Accepted: the event and its deliveries are stored."),
          ...errors(400, 401, 409, 413, 415, 422),
        },
      },
    },
    async (request, reply) => {
      const body = request.body as IngestBody;
      // A tenant token's events belong to its tenant (another tenant named: 422).
      const tenant = tenantForWrite(request, body.tenant) ?? null;
      const id = eventId(request, body);
      const catalog = ctx.catalog();
      if (!catalog.has(body.type)) throw unknownEventType(body.type, ctx.catalogRegistry.loaded());
      const versions = catalog.versions(body.type);
      const version = body.version ?? versions.at(-1);
      if (version === undefined || !versions.includes(version)) {
        throw new ApiError(
          422,
          "unknown_version",
          `${body.type} has no version ${String(body.version)}; versions that exist: ${versions.join(", ")}. Send one of them, or leave version out for the newest.`,
          [{ path: "/version", message: `versions that exist: ${versions.join(", ")}`, versions }],
        );
      }
      const validate = catalog.validator(body.type, version);
      // Hash before validating: the request as sent decides idempotency (a request without a version
      // hashes as it did before versions existed).
      const requestHash = createHash("sha256")
        .update(
          canonicalJson({
            type: body.type,
            tenant,
            payload: body.payload,
            ...(body.version === undefined ? {} : { version: body.version }),
          }),
        )
        .digest("hex");
      if (validate !== undefined && !validate(body.payload)) {
        const details = issuesOf(validate, body.payload).map(({ path, message }) => ({ path, message }));
        throw new ApiError(
          422,
          "invalid_payload",
          `The payload does not match the schema of ${body.type} v${version}: ${details.map((d) => `${d.path || "(root)"} ${d.message}`).join("; ")}.`,
          details,
        );
      }
      const rawPayload = rawTopLevelMember(rawBodyOf(request), "payload");
      if (rawPayload === undefined) throw new Error("payload text not found in a body that parsed");
      const now = ctx.now();
      const envelope = serializeEnvelope(body.type, version, new Date(now), rawPayload);
      const result = await store.ingest({
        id,
        type: body.type,
        tenant,
        version,
        body: Buffer.from(envelope, "utf8"),
        requestHash,
        now,
      });
      if (result.outcome === "conflict") {
        throw new ApiError(
          409,
          "idempotency_conflict",
          `An event with id ${JSON.stringify(id)} was already accepted with a different body. Use a new id for a new event; resend the identical body to get the original back.`,
        );
      }
      ctx.metrics.eventsAccepted.inc({ outcome: result.outcome });
      if (result.outcome === "created" && result.deliveries > 0) ctx.wakeWorker();
      const e = result.event;
      return reply.code(result.outcome === "created" ? 202 : 200).send({
        id: e.id,
        type: e.type,
        version: e.version,
        tenant: e.tenant,
        createdAt: rfc3339(e.createdAt),
        deliveries: result.deliveries,
      });
    },
  );

  app.get(
    "/v1/events",
    {
      config: { access: "read" },
      schema: {
        tags: ["events"],
        summary: "List events (also the polling API)",
        description:
          "Oldest first (`order=desc`: newest first, the dashboard's event log). Each item carries the exact envelope pushed to endpoints. " +
          "For polling (oldest first), keep the last non-null `nextCursor` and ask again with it later: " +
          "unlike other lists, `nextCursor` then points after the last item whenever the page is not empty, and is null only for an empty page " +
          "(newest first, it is null on the last page, like other lists). Filters combine (AND); `status` and `endpointId` select events by their deliveries. " +
          "A page holds at most `limit` events and stops before the event whose envelope would take the page's envelopes past the page byte budget " +
          "(HOOKLINE_PAGE_MAX_BYTES, 1 MiB by default), with at least one event: large payloads give shorter pages, never larger ones.",
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            type: { type: "string", maxLength: 200 },
            tenant: { type: "string", pattern: TENANT_PATTERN },
            ...timeRangeQuery("Events accepted"),
            status: { type: "string", enum: DELIVERY_STATUSES, description: "Events with at least one delivery in this status." },
            endpointId: { type: "string", pattern: RESOURCE_ID_PATTERN, description: "Events with a delivery to this endpoint." },
            order: { type: "string", enum: ["asc", "desc"], description: "asc (default): oldest first; desc: newest first." },
            ...pageQuery,
          },
        },
        response: { 200: listOf(eventSchema), ...errors(400, 401) },
      },
    },
    async (request, reply) => {
      const q = request.query as PageQuery & {
        type?: string;
        tenant?: string;
        since?: string;
        until?: string;
        status?: DeliveryStatus;
        endpointId?: string;
        order?: "asc" | "desc";
      };
      const page = pageRequest(q, ctx.config.pageMaxBytes);
      const result = await scopedList(request, q.tenant, (tenant) =>
        store.listEvents({
          ...page,
          ...opt("type", q.type),
          ...tenant,
          ...timeRange(q),
          ...opt("status", q.status),
          ...opt("endpointId", q.endpointId),
          ...opt("order", q.order),
        }),
      );
      // The polling cursor: after the last event of any non-empty page (see the description).
      const last = result.rows[result.rows.length - 1];
      const next = q.order === "desc" ? encodeCursor(result.next) : last === undefined ? null : encodeCursor(last.seq);
      return reply.type("application/json; charset=utf-8").send(eventPageJson(result.rows, next));
    },
  );

  app.get(
    "/v1/events/:id",
    {
      config: { access: "read" },
      schema: {
        tags: ["events"],
        summary: "Get an event and the state of its deliveries",
        params: eventIdParams,
        response: { 200: eventDetailSchema, ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const event = await visibleEvent(ctx, request, id);
      const deliveries = await store.listDeliveries(id);
      return reply.type("application/json; charset=utf-8").send(eventJson(event, { deliveries: deliveries.map(presentDelivery) }));
    },
  );
}

function eventId(request: FastifyRequest, body: IngestBody): string {
  const header = request.headers["idempotency-key"];
  const key = typeof header === "string" ? header : undefined;
  if (key !== undefined && body.id !== undefined && key !== body.id) {
    throw new ApiError(
      400,
      "idempotency_key_mismatch",
      "The Idempotency-Key header and the body id differ; send one of them, or the same value in both.",
    );
  }
  return body.id ?? key ?? newId("evt");
}
