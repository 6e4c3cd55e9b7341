/**
 * The consumer portal's server side: a SaaS backend (admin key) creates a short-lived link for one
 * customer (tenant), the portal page exchanges the link's single-use code for a session token of that
 * tenant, and `GET /v1/me` tells any caller who it is. The code travels in the URL fragment, which
 * browsers never send to a server, so it reaches no access log; the page drops it after the exchange.
 */
import type { FastifyInstance } from "fastify";
import type { Principal } from "../../domain/scope.js";
import type { TokenAccess } from "../../store/store.js";
import { newId, newPortalCode, newToken, secretDigest } from "../../util/ids.js";
import { rfc3339 } from "../../util/time.js";
import type { HttpContext } from "../context.js";
import { ApiError } from "../errors.js";
import { errors, TENANT_PATTERN } from "../schemas.js";
import { principalOf } from "../scope.js";

/** How long a portal link's code can be exchanged. */
export const PORTAL_CODE_TTL_MS = 10 * 60_000;
const SESSION_MIN_S = 60;
const SESSION_MAX_S = 86_400;

const portalSchema = {
  type: "object",
  required: ["title", "color"],
  properties: { title: { type: "string" }, color: { type: "string", description: "#rrggbb" } },
} as const;

export function portalRoutes(app: FastifyInstance, ctx: HttpContext): void {
  const tags = ["portal"];
  const portal = (): { title: string; color: string } => ({ title: ctx.config.portalTitle, color: ctx.config.portalColor });

  app.post(
    "/v1/portal-links",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Create a consumer portal link for one tenant (embed or redirect your customer to `url`)",
        description:
          "The link opens the dashboard's portal page scoped to `tenant`. Its code is single-use and must be exchanged within 10 minutes " +
          "(POST /v1/portal/session, which the page does); the session then lasts `expiresIn` seconds (default 3600). Create a fresh link per visit.",
        body: {
          type: "object",
          required: ["tenant"],
          additionalProperties: false,
          properties: {
            tenant: { type: "string", pattern: TENANT_PATTERN },
            access: { type: "string", enum: ["read", "write"], default: "write" },
            expiresIn: {
              type: "integer",
              minimum: SESSION_MIN_S,
              maximum: SESSION_MAX_S,
              default: 3600,
              description: "Session lifetime, seconds.",
            },
          },
        },
        response: {
          201: {
            type: "object",
            required: ["url", "code", "expiresAt"],
            properties: {
              url: { type: "string", description: "<public URL>/ui/portal#code=<code>" },
              code: { type: "string" },
              expiresAt: { type: "string", format: "date-time", description: "Until when the code can be exchanged." },
            },
          },
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const body = request.body as { tenant: string; access?: TokenAccess; expiresIn?: number };
      const now = ctx.now();
      const code = newPortalCode();
      const expiresAt = now + PORTAL_CODE_TTL_MS;
      await ctx.store.createPortalCode({
        hash: secretDigest(code),
        tenant: body.tenant,
        access: body.access ?? "write",
        sessionMs: (body.expiresIn ?? 3600) * 1000,
        expiresAt,
        now,
      });
      return reply.code(201).send({ url: `${ctx.publicUrl()}/ui/portal#code=${code}`, code, expiresAt: rfc3339(expiresAt) });
    },
  );

  app.post(
    "/v1/portal/session",
    {
      // The code is the credential: no API key.
      config: { public: true },
      schema: {
        tags,
        summary: "Exchange a portal link's code for a session token of its tenant (once)",
        description:
          "The code works once, within 10 minutes of the link's creation; used, expired or unknown codes all answer 401 `invalid_portal_code`. " +
          'The session token is a tenant token (description "portal session"): send it as Authorization: Bearer, keep it out of URLs.',
        body: {
          type: "object",
          required: ["code"],
          additionalProperties: false,
          properties: { code: { type: "string", pattern: "^hlp_[A-Za-z0-9_-]{1,100}$" } },
        },
        response: {
          201: {
            type: "object",
            required: ["token", "tenant", "access", "expiresAt", "portal"],
            properties: {
              token: { type: "string" },
              tenant: { type: "string" },
              access: { type: "string", enum: ["read", "write"] },
              expiresAt: { type: "string", format: "date-time" },
              portal: portalSchema,
            },
          },
          ...errors(400, 401, 415),
        },
      },
    },
    async (request, reply) => {
      const { code } = request.body as { code: string };
      const now = ctx.now();
      const token = newToken();
      const session = await ctx.store.redeemPortalCode(secretDigest(code), {
        id: newId("tok", now),
        hash: secretDigest(token),
        description: "portal session",
        now,
      });
      if (session === undefined || session.tenant === null || session.expiresAt === null) {
        throw new ApiError(
          401,
          "invalid_portal_code",
          "This portal link is used, expired or unknown (a link works once, within 10 minutes). Open the portal again from the application.",
        );
      }
      return reply
        .code(201)
        .header("cache-control", "no-store")
        .send({ token, tenant: session.tenant, access: session.access, expiresAt: rfc3339(session.expiresAt), portal: portal() });
    },
  );

  app.get(
    "/v1/me",
    {
      config: { access: "read" },
      schema: {
        tags,
        summary: "Who the credential is: its kind, access, tenant and expiry, and the portal's branding",
        response: {
          200: {
            type: "object",
            required: ["kind", "access", "tenant", "expiresAt", "portal"],
            properties: {
              kind: { type: "string", enum: ["admin", "token"] },
              access: { type: "string", enum: ["read", "write"] },
              tenant: { type: ["string", "null"] },
              expiresAt: { type: ["string", "null"], format: "date-time" },
              portal: portalSchema,
            },
          },
          ...errors(401),
        },
      },
    },
    async (request) => ({ ...describe(principalOf(request)), portal: portal() }),
  );
}

function describe(p: Principal): { kind: string; access: TokenAccess; tenant: string | null; expiresAt: string | null } {
  if (p.kind === "admin") return { kind: "admin", access: "write", tenant: null, expiresAt: null };
  return { kind: "token", access: p.access, tenant: p.tenant, expiresAt: p.expiresAt === null ? null : rfc3339(p.expiresAt) };
}
