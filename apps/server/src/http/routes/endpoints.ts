import { generateSecret, WebhookSigner, WebhookVerificationError } from "@hookline/core";
import { knownEventTypes } from "@hookline/core/internal";
import type { FastifyInstance } from "fastify";
import { endpointUrlParts, MASK } from "../../domain/endpoint-url.js";
import { MAX_PREVIOUS_SECRETS } from "../../domain/rotation.js";
import { typeMatches } from "../../domain/routing.js";
import { checkEndpointUrl } from "../../egress/index.js";
import type { EndpointPatch } from "../../store/store.js";
import { newId } from "../../util/ids.js";
import { parseRfc3339, rfc3339 } from "../../util/time.js";
import type { HttpContext } from "../context.js";
import { ApiError, notFound } from "../errors.js";
import { attemptsPage } from "./attempts.js";
import { encodeCursor, pageRequest } from "../pagination.js";
import { presentEndpoint } from "../presenters.js";
import {
  attemptSchema,
  endpointInput,
  endpointSchema,
  endpointWithSecretSchema,
  errors,
  idParams,
  listOf,
  pageQuery,
  SECRET_PATTERN,
  TENANT_PATTERN,
  timeSchema,
} from "../schemas.js";
import { opt } from "./events.js";

interface EndpointInput {
  url?: string;
  eventTypes?: string[] | null;
  tenant?: string | null;
  secret?: string;
  description?: string | null;
  rateLimit?: number | null;
  disabled?: boolean;
  metadata?: Record<string, unknown>;
}

const MAX_GRACE_SECONDS = 30 * 86_400;

export function endpointRoutes(app: FastifyInstance, ctx: HttpContext): void {
  const { store } = ctx;
  const tags = ["endpoints"];

  app.post(
    "/v1/endpoints",
    {
      schema: {
        tags,
        summary: "Create an endpoint",
        description:
          "The answer is the only one that includes the secret (GET /v1/endpoints/{id}/secret reads it again) and the URL in full: " +
          "every later answer shows it with its credentials and query values masked (`https://****:****@host/path?token=****`).",
        body: endpointInput("create"),
        response: { 201: endpointWithSecretSchema, ...errors(400, 401, 422) },
      },
    },
    async (request, reply) => {
      const body = request.body as EndpointInput & { url: string };
      refuseMaskedUrl(body.url);
      checkInput(ctx, body);
      const secret = body.secret ?? generateSecret();
      const endpoint = await store.createEndpoint({
        id: newId("ep"),
        url: body.url,
        eventTypes: body.eventTypes === undefined || body.eventTypes === null ? null : [...new Set(body.eventTypes)],
        tenant: body.tenant ?? null,
        secret,
        description: body.description ?? null,
        rateLimit: body.rateLimit ?? null,
        disabled: body.disabled ?? false,
        metadata: body.metadata ?? {},
        now: ctx.now(),
      });
      // Shown once in full, like the secret: the caller just sent it.
      return reply.code(201).send({ ...presentEndpoint(endpoint), url: body.url, secret });
    },
  );

  app.get(
    "/v1/endpoints",
    {
      schema: {
        tags,
        summary: "List endpoints",
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
      const q = request.query as { tenant?: string; disabled?: "true" | "false"; limit?: string; after?: string };
      const result = await store.listEndpoints({
        ...pageRequest(q, ctx.config.pageMaxBytes),
        ...opt("tenant", q.tenant),
        ...opt("disabled", q.disabled === undefined ? undefined : q.disabled === "true"),
      });
      return { data: result.rows.map(presentEndpoint), nextCursor: encodeCursor(result.next) };
    },
  );

  app.get(
    "/v1/endpoints/:id",
    { schema: { tags, summary: "Get an endpoint", params: idParams, response: { 200: endpointSchema, ...errors(400, 401, 404) } } },
    async (request) => {
      const { id } = request.params as { id: string };
      const endpoint = await store.getEndpoint(id);
      if (endpoint === undefined) throw notFound("endpoint", id);
      return presentEndpoint(endpoint);
    },
  );

  app.patch(
    "/v1/endpoints/:id",
    {
      schema: {
        tags,
        summary: "Update an endpoint",
        description:
          "Every field is optional; null clears eventTypes (= every type), tenant, description and rateLimit. `disabled: false` re-enables a disabled endpoint " +
          "(its pending deliveries resume; use recover for failed ones). A `secret` here replaces the old one at once; use rotate-secret for a grace period. " +
          "A new `url` replaces the stored one, credentials included; the masked URL exactly as the API shows it keeps the stored one " +
          "(so an endpoint read, edited and sent back keeps its credentials).",
        params: idParams,
        body: endpointInput("update"),
        response: { 200: endpointSchema, ...errors(400, 401, 404, 422) },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const body = request.body as EndpointInput;
      const { url: sent, ...rest } = body;
      const url = await urlToStore(ctx, id, sent);
      checkInput(ctx, { ...rest, ...opt("url", url) });
      const patch: EndpointPatch = {
        ...opt("url", url),
        ...opt("eventTypes", body.eventTypes === undefined || body.eventTypes === null ? body.eventTypes : [...new Set(body.eventTypes)]),
        ...opt("tenant", body.tenant),
        ...opt("description", body.description),
        ...opt("rateLimit", body.rateLimit),
        ...opt("disabled", body.disabled),
        ...opt("metadata", body.metadata),
        ...opt("secret", body.secret),
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
      if (!(await store.deleteEndpoint(id, ctx.now()))) throw notFound("endpoint", id);
      return reply.code(204).send();
    },
  );

  app.get(
    "/v1/endpoints/:id/secret",
    {
      schema: {
        tags,
        summary: "Read an endpoint's signing secret",
        params: idParams,
        response: { 200: { type: "object", required: ["secret"], properties: { secret: { type: "string" } } }, ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const secrets = await store.getEndpointSecrets(id);
      if (secrets === undefined) throw notFound("endpoint", id);
      return { secret: secrets.secret };
    },
  );

  app.post(
    "/v1/endpoints/:id/rotate-secret",
    {
      config: { optionalBody: true },
      schema: {
        tags,
        summary: "Rotate an endpoint's signing secret",
        description:
          "During the grace period (default 86400 s) deliveries carry signatures from the old and the new secret; after it, only the new one. " +
          `An endpoint keeps at most ${MAX_PREVIOUS_SECRETS} previous secrets in their grace period. A rotation that would drop one still valid is refused ` +
          "with 409 `too_many_secrets` (the answer says until when they are valid) unless `expireOldest` is true; `gracePeriodSeconds: 0` never needs room.",
        params: idParams,
        body: {
          type: "object",
          additionalProperties: false,
          properties: {
            secret: {
              type: "string",
              maxLength: 200,
              pattern: SECRET_PATTERN,
              description: "The new whsec_ secret; generated when absent.",
            },
            gracePeriodSeconds: {
              type: "integer",
              minimum: 0,
              maximum: MAX_GRACE_SECONDS,
              default: 86400,
              description: "How long the current secret keeps signing next to the new one; 0 = it stops now.",
            },
            expireOldest: {
              type: "boolean",
              default: false,
              description:
                `When ${MAX_PREVIOUS_SECRETS} previous secrets are still valid: expire the one closest to its end now (with equal grace periods, ` +
                "the oldest) instead of refusing. Receivers still verifying with it start rejecting deliveries.",
            },
          },
        },
        response: {
          200: {
            type: "object",
            required: ["secret"],
            properties: {
              secret: { type: "string" },
              expiredSecrets: {
                type: "integer",
                description: "Previous secrets still valid that `expireOldest` expired (present when any was).",
              },
            },
          },
          ...errors(400, 401, 404, 409, 422),
        },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const body = (request.body ?? {}) as { secret?: string; gracePeriodSeconds?: number; expireOldest?: boolean };
      if (body.secret !== undefined) checkSecret(body.secret);
      const secret = body.secret ?? generateSecret();
      const now = ctx.now();
      const graceUntil = now + (body.gracePeriodSeconds ?? 86400) * 1000;
      const result = await store.rotateSecret(id, secret, graceUntil, now, { expireOldest: body.expireOldest === true });
      if (result === undefined) throw notFound("endpoint", id);
      if (result.outcome === "too_many_secrets") throw tooManySecrets(id, result.validUntil);
      return result.expired > 0 ? { secret, expiredSecrets: result.expired } : { secret };
    },
  );

  app.post(
    "/v1/endpoints/:id/recover",
    {
      schema: {
        tags,
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
          202: {
            type: "object",
            required: ["recovered"],
            properties: { recovered: { type: "integer", description: "Deliveries re-queued." } },
          },
          ...errors(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const body = request.body as { since: string; until?: string };
      const now = ctx.now();
      const since = parseRfc3339(body.since);
      const until = body.until === undefined ? now + 1 : parseRfc3339(body.until);
      if (since === undefined || until === undefined)
        throw new ApiError(400, "invalid_request", "since and until must be RFC 3339 times, e.g. 2025-03-10T14:22:05Z.");
      if (since >= until) throw new ApiError(400, "invalid_request", "since must be earlier than until.");
      const recovered = await store.recover(id, since, until, now);
      if (recovered === undefined) throw notFound("endpoint", id);
      if (recovered > 0) ctx.wakeWorker();
      return reply.code(202).send({ recovered });
    },
  );

  app.get(
    "/v1/endpoints/:id/attempts",
    {
      schema: {
        tags,
        summary: "Attempts made to an endpoint, newest first",
        params: idParams,
        querystring: { type: "object", additionalProperties: false, properties: { ...pageQuery } },
        response: { 200: listOf(attemptSchema), ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      return attemptsPage(
        store,
        { endpointId: id },
        request.query as { limit?: string; after?: string },
        ctx.config.pageMaxBytes,
        async () => {
          if ((await store.getEndpoint(id)) === undefined) throw notFound("endpoint", id);
        },
      );
    },
  );
}

/** Checks that need more than the JSON Schema: URL policy, known event types, secret format. */
function checkInput(ctx: HttpContext, body: EndpointInput): void {
  if (body.url !== undefined) {
    const checked = checkEndpointUrl(body.url, ctx.egressPolicy);
    if (!checked.ok) throw new ApiError(422, checked.code, checked.message, [{ path: "/url", message: checked.message }]);
  }
  if (body.eventTypes !== undefined && body.eventTypes !== null) {
    const known = knownEventTypes(ctx.catalog);
    const unknown = body.eventTypes
      .map((pattern, i) => ({ pattern, i }))
      .filter(({ pattern }) => !known.some((type) => typeMatches(pattern, type)));
    if (unknown.length > 0) {
      const details = unknown.map(({ pattern, i }) => ({
        path: `/eventTypes/${i}`,
        message: pattern.endsWith(".*")
          ? `no catalog event type starts with "${pattern.slice(0, -1)}"`
          : `"${pattern}" is not a catalog event type`,
      }));
      throw new ApiError(
        422,
        "unknown_event_type",
        `Unknown event types: ${unknown.map((u) => u.pattern).join(", ")}. Known types are listed at GET /v1/event-types.`,
        details,
      );
    }
  }
  if (body.secret !== undefined) checkSecret(body.secret);
}

/** A URL whose credential or query value reads `****` is a masked URL sent back as if it were the real one. */
function refuseMaskedUrl(url: string): void {
  if (!endpointUrlParts(url).containsMask) return;
  const message =
    `The URL has "${MASK}" where a credential or query value goes: that is the masked form the API shows, not the real URL. ` +
    `Send the full URL with its credentials (a value that really is ${MASK} can be percent-encoded: %2A%2A%2A%2A).`;
  throw new ApiError(422, "masked_url", message, [{ path: "/url", message }]);
}

/** The URL a PATCH stores: none when it sends back the stored URL exactly as shown (masked), which keeps it. */
async function urlToStore(ctx: HttpContext, id: string, url: string | undefined): Promise<string | undefined> {
  if (url === undefined || !endpointUrlParts(url).containsMask) return url;
  const current = await ctx.store.getEndpoint(id);
  if (current === undefined) throw notFound("endpoint", id);
  if (current.url === url) return undefined;
  refuseMaskedUrl(url);
  return url;
}

function tooManySecrets(id: string, validUntil: readonly number[]): ApiError {
  const first = rfc3339(validUntil[0] ?? 0);
  const last = rfc3339(validUntil[validUntil.length - 1] ?? 0);
  return new ApiError(
    409,
    "too_many_secrets",
    `Endpoint ${id} already has ${validUntil.length} previous secrets in their grace period (the first valid until ${first}, the last until ${last}), ` +
      `the most it keeps; rotating with a grace period now would drop one that receivers may still verify with. Rotate again after ${first}, ` +
      'or pass "expireOldest": true to expire the one closest to its end now, or "gracePeriodSeconds": 0 to retire the current secret at once.',
    { validSecrets: validUntil.length, limit: MAX_PREVIOUS_SECRETS, validUntil: validUntil.map(rfc3339), retryAfter: first },
  );
}

function checkSecret(secret: string): void {
  try {
    new WebhookSigner(secret);
  } catch (error) {
    if (error instanceof WebhookVerificationError) {
      throw new ApiError(422, "invalid_secret", error.message.replace(/^The key/, "The secret"), [
        { path: "/secret", message: error.message },
      ]);
    }
    throw error;
  }
}
