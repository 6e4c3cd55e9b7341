/**
 * Stored API tokens (admin key only): create (the token is shown once), list, revoke. Their rules are
 * in src/domain/scope.ts; authentication in src/http/auth.ts.
 */
import type { FastifyInstance } from "fastify";
import type { TokenAccess, TokenRecord } from "../../store/store.js";
import {
  issueToken,
  type TokenRequest,
  TOKEN_MAX_LIFETIME_S as MAX_LIFETIME_S,
  TOKEN_MIN_LIFETIME_S as MIN_LIFETIME_S,
} from "../../tokens.js";
import { RESOURCE_ID_PATTERN } from "../../util/ids.js";
import { parseRfc3339, rfc3339 } from "../../util/time.js";
import type { HttpContext } from "../context.js";
import { ApiError } from "../errors.js";
import { presentPage } from "../presenters.js";
import { type PageQuery, pageRequest } from "../query.js";
import { errors, listOf, nullable, pageQuery, TENANT_PATTERN } from "../schemas.js";

const tokenProperties = {
  id: { type: "string" },
  tenant: { type: ["string", "null"], description: "The only tenant it sees; null = every tenant." },
  access: {
    type: "string",
    enum: ["read", "write"],
    description: "read: GET only, no endpoint secrets; write: everything its scope allows.",
  },
  description: { type: ["string", "null"] },
  expiresAt: { type: ["string", "null"], format: "date-time" },
  createdAt: { type: "string", format: "date-time" },
  lastUsedAt: { type: ["string", "null"], format: "date-time", description: "Recorded at most about once a minute." },
} as const;
const tokenRequired = ["id", "tenant", "access", "description", "expiresAt", "createdAt", "lastUsedAt"];

export const tokenSchema = { type: "object", required: tokenRequired, properties: tokenProperties } as const;

export function presentToken(t: TokenRecord): Record<string, unknown> {
  return {
    id: t.id,
    tenant: t.tenant,
    access: t.access,
    description: t.description,
    expiresAt: t.expiresAt === null ? null : rfc3339(t.expiresAt),
    createdAt: rfc3339(t.createdAt),
    lastUsedAt: t.lastUsedAt === null ? null : rfc3339(t.lastUsedAt),
  };
}

export function tokenRoutes(app: FastifyInstance, ctx: HttpContext): void {
  const tags = ["tokens"];
  const config = { access: "admin" } as const;

  app.post(
    "/v1/tokens",
    {
      config: { ...config, optionalBody: true },
      schema: {
        tags,
        summary: "Create an API token (the token is in this answer only)",
        description:
          "A token for one tenant (`tenant`) or every tenant (null or absent), read-only (default) or read-write. A tenant token sees and changes only its " +
          "tenant's endpoints, events, deliveries and attempts; anything else answers 404 and lists hold only its tenant's rows. Only the token's SHA-256 is " +
          "stored: keep the `token` of this answer. `expiresIn` (seconds) or `expiresAt` sets when it stops working; without them it works until revoked.",
        body: {
          type: "object",
          additionalProperties: false,
          properties: {
            tenant: nullable({ type: "string", pattern: TENANT_PATTERN }),
            access: { type: "string", enum: ["read", "write"], default: "read" },
            expiresIn: { type: "integer", minimum: MIN_LIFETIME_S, maximum: MAX_LIFETIME_S, description: "Lifetime in seconds." },
            expiresAt: { type: "string", format: "date-time" },
            description: { type: "string", maxLength: 200 },
          },
        },
        response: {
          201: {
            type: "object",
            required: ["token", ...tokenRequired],
            properties: {
              token: { type: "string", description: "hlt_…: send as Authorization: Bearer <token>. Shown only here." },
              ...tokenProperties,
            },
          },
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const body = (request.body ?? {}) as {
        tenant?: string | null;
        access?: TokenAccess;
        expiresIn?: number;
        expiresAt?: string;
        description?: string;
      };
      const now = ctx.now();
      const wanted: TokenRequest = {
        tenant: body.tenant ?? null,
        access: body.access ?? "read",
        description: body.description ?? null,
        expiresAt: expiry(body, now),
      };
      const { token, record } = await issueToken(ctx.store, wanted, now);
      return reply.code(201).send({ token, ...presentToken(record) });
    },
  );

  app.get(
    "/v1/tokens",
    {
      config,
      schema: {
        tags,
        summary: "List the tokens not revoked (never their secret), oldest first",
        querystring: { type: "object", additionalProperties: false, properties: { ...pageQuery } },
        response: { 200: listOf(tokenSchema), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const page = pageRequest(request.query as PageQuery, ctx.config.pageMaxBytes);
      return presentPage(await ctx.store.listTokens(page), presentToken);
    },
  );

  app.delete(
    "/v1/tokens/:id",
    {
      config,
      schema: {
        tags,
        summary: "Revoke a token",
        description: "Effective at once on every instance: tokens are checked against the database on every request.",
        params: {
          type: "object",
          required: ["id"],
          additionalProperties: false,
          properties: { id: { type: "string", pattern: RESOURCE_ID_PATTERN } },
        },
        response: { 204: { type: "null", description: "Revoked." }, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      if (!(await ctx.store.revokeToken(id, ctx.now()))) {
        throw new ApiError(404, "not_found", `No live token with id ${JSON.stringify(id)}. List them with GET /v1/tokens.`);
      }
      return reply.code(204).send();
    },
  );
}

function expiry(body: { expiresIn?: number; expiresAt?: string }, now: number): number | null {
  if (body.expiresIn !== undefined && body.expiresAt !== undefined) {
    throw new ApiError(400, "invalid_request", "Send expiresIn or expiresAt, not both.");
  }
  if (body.expiresIn !== undefined) return now + body.expiresIn * 1000;
  if (body.expiresAt === undefined) return null;
  const at = parseRfc3339(body.expiresAt);
  if (at === undefined) throw new ApiError(400, "invalid_request", "expiresAt must be an RFC 3339 time, e.g. 2027-01-31T00:00:00Z.");
  if (at < now + MIN_LIFETIME_S * 1000 || at > now + MAX_LIFETIME_S * 1000) {
    throw new ApiError(400, "invalid_request", `expiresAt must be between ${MIN_LIFETIME_S} seconds and one year from now.`, [
      { path: "/expiresAt", message: "out of range" },
    ]);
  }
  return at;
}
