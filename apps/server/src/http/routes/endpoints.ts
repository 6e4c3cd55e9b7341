/** Endpoints: create, list, read, update, delete. Their secrets are in endpoint-secrets.ts. */
import { generateSecret } from "@hookline/core";
import type { FastifyInstance } from "fastify";
import { HEALTH_WINDOW_MS } from "../../domain/endpoint-activity.js";
import { initialPins } from "../../domain/pinning.js";
import type { EndpointPatch } from "../../store/store.js";
import { newId } from "../../util/ids.js";
import type { HttpContext } from "../context.js";
import { checkInput, type EndpointInput, refuseMaskedUrl, urlToStore } from "../endpoint-input.js";
import { notFound } from "../errors.js";
import { presentEndpoint, presentEndpointHealth, presentPage } from "../presenters.js";
import { booleanQuery, opt, type PageQuery, pageRequest } from "../query.js";
import { checkEndpointScope, scopedList, tenantForWrite, visibleEndpoint } from "../scope.js";
import {
  endpointInput,
  endpointSchema,
  endpointWithSecretSchema,
  errors,
  idParams,
  listOf,
  pageQuery,
  TENANT_PATTERN,
} from "../schemas.js";

export function endpointRoutes(app: FastifyInstance, ctx: HttpContext): void {
  const { store } = ctx;
  const tags = ["endpoints"];

  app.post(
    "/v1/endpoints",
    {
      config: { access: "write" },
      schema: {
        tags,
        summary: "Create an endpoint",
        description:
          "The answer is the only one that includes the secret (GET /v1/endpoints/{id}/secret reads it again) and the URL in full: " +
          "every later answer shows it with its credentials and query values masked (`https://****:****@host/path?token=****`). " +
          "The endpoint is pinned to the newest version of every event type (or the versions given in `pins`): a version added later does not change what it receives.",
        body: endpointInput("create"),
        response: { 201: endpointWithSecretSchema, ...errors(400, 401, 422) },
      },
    },
    async (request, reply) => {
      const body = request.body as EndpointInput & { url: string };
      const tenant = tenantForWrite(request, body.tenant) ?? null;
      refuseMaskedUrl(body.url);
      checkInput(ctx, body);
      const secret = body.secret ?? generateSecret();
      const endpoint = await store.createEndpoint({
        id: newId("ep"),
        url: body.url,
        eventTypes: body.eventTypes === undefined || body.eventTypes === null ? null : [...new Set(body.eventTypes)],
        tenant,
        secret,
        description: body.description ?? null,
        rateLimit: body.rateLimit ?? null,
        disabled: body.disabled ?? false,
        metadata: body.metadata ?? {},
        pins: initialPins(ctx.catalog(), body.pins),
        now: ctx.now(),
      });
      // Shown once in full, like the secret: the caller just sent it.
      return reply.code(201).send({ ...presentEndpoint(endpoint), url: body.url, secret });
    },
  );

  app.get(
    "/v1/endpoints",
    {
      config: { access: "read" },
      schema: {
        tags,
        summary: "List endpoints, with their health",
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            tenant: { type: "string", pattern: TENANT_PATTERN },
            disabled: { type: "string", enum: ["true", "false"] },
            ...pageQuery,
          },
        },
        response: { 200: listOf(endpointSchema), ...errors(400, 401) },
      },
    },
    async (request) => {
      const q = request.query as PageQuery & { tenant?: string; disabled?: "true" | "false" };
      const page = pageRequest(q, ctx.config.pageMaxBytes);
      const result = await scopedList(request, q.tenant, (tenant) =>
        store.listEndpoints({ ...page, ...tenant, ...opt("disabled", booleanQuery(q.disabled)) }),
      );
      const activity = await store.endpointActivity(
        result.rows.map((e) => e.id),
        ctx.now() - HEALTH_WINDOW_MS,
      );
      return presentPage(result, (e) => presentEndpointHealth(e, activity.get(e.id)));
    },
  );

  app.get(
    "/v1/endpoints/:id",
    {
      config: { access: "read" },
      schema: {
        tags,
        summary: "Get an endpoint, with its health",
        params: idParams,
        response: { 200: endpointSchema, ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const endpoint = await visibleEndpoint(ctx, request, id);
      const activity = await store.endpointActivity([id], ctx.now() - HEALTH_WINDOW_MS);
      return presentEndpointHealth(endpoint, activity.get(id));
    },
  );

  app.patch(
    "/v1/endpoints/:id",
    {
      config: { access: "write" },
      schema: {
        tags,
        summary: "Update an endpoint",
        description:
          "Every field is optional; null clears eventTypes (= every type), tenant, description and rateLimit. `disabled: false` re-enables a disabled endpoint " +
          "(its pending deliveries resume; use recover for failed ones). A `secret` here replaces the old one at once; use rotate-secret for a grace period. " +
          "A new `url` replaces the stored one, credentials included; the masked URL exactly as the API shows it keeps the stored one " +
          "(so an endpoint read, edited and sent back keeps its credentials). " +
          "`pins` changes the version of the types it names (the others keep theirs): deliveries created, replayed or recovered afterwards are sent in the new version.",
        params: idParams,
        body: endpointInput("update"),
        response: { 200: endpointSchema, ...errors(400, 401, 404, 422) },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const body = request.body as EndpointInput;
      await checkEndpointScope(ctx, request, id);
      const tenant = body.tenant === undefined ? undefined : tenantForWrite(request, body.tenant);
      const { url: sent, ...rest } = body;
      const url = await urlToStore(ctx, id, sent);
      checkInput(ctx, { ...rest, ...opt("url", url) });
      const patch: EndpointPatch = {
        ...opt("url", url),
        ...opt("eventTypes", body.eventTypes === undefined || body.eventTypes === null ? body.eventTypes : [...new Set(body.eventTypes)]),
        ...opt("tenant", tenant),
        ...opt("description", body.description),
        ...opt("rateLimit", body.rateLimit),
        ...opt("disabled", body.disabled),
        ...opt("metadata", body.metadata),
        ...opt("secret", body.secret),
        ...opt("pins", body.pins),
      };
      const endpoint = await store.updateEndpoint(id, patch, ctx.now());
      if (endpoint === undefined) throw notFound("endpoint", id);
      if (body.disabled === false || body.rateLimit !== undefined) ctx.wakeWorker();
      return presentEndpoint(endpoint);
    },
  );

  app.delete(
    "/v1/endpoints/:id",
    {
      config: { access: "write" },
      schema: {
        tags,
        summary: "Delete an endpoint",
        description: "Its queued deliveries are cancelled; its attempts stay readable through the events.",
        params: idParams,
        response: { 204: { type: "null", description: "Deleted." }, ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      await checkEndpointScope(ctx, request, id);
      if (!(await store.deleteEndpoint(id, ctx.now()))) throw notFound("endpoint", id);
      return reply.code(204).send();
    },
  );
}
