/** An endpoint's signing secret: read it, rotate it with a grace period for the old one. */
import { generateSecret } from "@hookline/core";
import type { FastifyInstance } from "fastify";
import { MAX_PREVIOUS_SECRETS } from "../../domain/rotation.js";
import { rfc3339 } from "../../util/time.js";
import type { HttpContext } from "../context.js";
import { checkSecret } from "../endpoint-input.js";
import { ApiError, notFound } from "../errors.js";
import { errors, idParams, SECRET_PATTERN } from "../schemas.js";
import { checkEndpointScope } from "../scope.js";

const MAX_GRACE_SECONDS = 30 * 86_400;

export function endpointSecretRoutes(app: FastifyInstance, ctx: HttpContext): void {
  const { store } = ctx;
  const tags = ["endpoints"];

  app.get(
    "/v1/endpoints/:id/secret",
    {
      // Reading the secret lets one sign as the server: write access, like rotating it.
      config: { access: "write" },
      schema: {
        tags,
        summary: "Read an endpoint's signing secret",
        params: idParams,
        response: { 200: { type: "object", required: ["secret"], properties: { secret: { type: "string" } } }, ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      await checkEndpointScope(ctx, request, id);
      const secrets = await store.getEndpointSecrets(id);
      if (secrets === undefined) throw notFound("endpoint", id);
      return { secret: secrets.secret };
    },
  );

  app.post(
    "/v1/endpoints/:id/rotate-secret",
    {
      config: { optionalBody: true, access: "write" },
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
      await checkEndpointScope(ctx, request, id);
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
