/**
 * Authentication, once per request, in an onRequest hook: the bearer credential becomes
 * `request.principal` (src/domain/scope.ts), then the route's declared access (`config.access`) is
 * checked. Deny by default: a route that is not `public` needs a credential, and one that declares
 * no `access` is admin-only; unmatched requests need a credential too before they learn the 404.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from "fastify";
import { type Principal, type Refusal, type RouteAccess, routeRefusal } from "../domain/scope.js";
import type { Logger } from "../logger.js";
import type { Store, TokenRecord } from "../store/store.js";
import { ApiError } from "./errors.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Served without any credential. Every other route, and every unmatched request, needs one. */
    public?: boolean;
    /** What a credential needs for this route (domain/scope.ts); absent = the admin API key only. */
    access?: RouteAccess["access"];
    /** Data across tenants that cannot be cut to one: tenant tokens get 404. */
    allTenants?: boolean;
  }
  interface FastifyRequest {
    /** Who is calling; undefined only on public routes. */
    principal: Principal | undefined;
  }
}

/** Stored tokens look like this; anything else is compared with the admin key only. */
export const TOKEN_PREFIX = "hlt_";
/** Last-used times are written at most this often per token (and per process). */
export const TOUCH_INTERVAL_MS = 60_000;

export interface AuthOptions {
  readonly apiKeyHash: Buffer;
  readonly store: Store;
  readonly now: () => number;
  readonly logger: Logger;
}

export function authGuard(options: AuthOptions) {
  const touch = lastUsedRecorder(options);
  return function authenticate(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
    const config = request.routeOptions.config;
    if (config.public === true) {
      done();
      return;
    }
    let presented: { hash: Buffer; token: boolean };
    try {
      presented = bearer(request);
      // Constant time: both sides are SHA-256 digests, so lengths always match and no prefix leaks.
      if (timingSafeEqual(presented.hash, options.apiKeyHash)) {
        request.principal = { kind: "admin" };
        done();
        return;
      }
      if (!presented.token) throw invalidCredential();
    } catch (error) {
      done(error as Error);
      return;
    }
    // A stored token: looked up by its digest on every request (no cache), so a revocation holds at once everywhere.
    options.store.tokenByHash(presented.hash.toString("hex")).then(
      (record) => {
        const now = options.now();
        if (record === undefined || record.revokedAt !== null || (record.expiresAt !== null && record.expiresAt <= now)) {
          done(invalidCredential());
          return;
        }
        touch(record, now);
        const principal: Principal = {
          kind: "token",
          id: record.id,
          access: record.access,
          tenant: record.tenant,
          expiresAt: record.expiresAt,
        };
        request.principal = principal;
        // Unmatched requests go on to the 404 handler: no route, nothing to refuse.
        if (request.routeOptions.url === undefined) {
          done();
          return;
        }
        const refusal = routeRefusal(
          principal,
          config.access === undefined ? undefined : { access: config.access, allTenants: config.allTenants === true },
        );
        done(refusal === undefined ? undefined : refusalError(refusal, request));
      },
      (error: unknown) => done(error as Error),
    );
  };
}

function bearer(request: FastifyRequest): { hash: Buffer; token: boolean } {
  const header = request.headers.authorization;
  const match = typeof header === "string" ? /^Bearer[ ]+(\S+)\s*$/i.exec(header) : null;
  if (match?.[1] === undefined) {
    throw new ApiError(401, "missing_api_key", "This route needs the API key or a token: send Authorization: Bearer <api key or token>.");
  }
  return { hash: createHash("sha256").update(match[1]).digest(), token: match[1].startsWith(TOKEN_PREFIX) };
}

function invalidCredential(): ApiError {
  return new ApiError(
    401,
    "invalid_api_key",
    "The API key or token is not valid for this server (unknown, expired or revoked). Ask the operator for a current one.",
  );
}

/** The answer for a request the route does not allow this principal to make. */
export function refusalError(refusal: Refusal, request: FastifyRequest): ApiError {
  switch (refusal.refused) {
    case "not_found":
      return routeNotFound(request);
    case "read_only":
      return new ApiError(403, "read_only_token", "This token is read-only: it may read (GET) but not change anything. Use a write token.");
    case "admin_only":
      return new ApiError(403, "admin_only", "This route needs the admin API key; stored tokens cannot call it.");
  }
}

/** The 404 of an unmatched route; also what a tenant token gets for a route it never reaches. */
export function routeNotFound(request: FastifyRequest): ApiError {
  return new ApiError(
    404,
    "not_found",
    `No route ${request.method} ${(request.url.split("?")[0] ?? "").slice(0, 200)}. The API is described at GET /openapi.json.`,
  );
}

/** Records a token's use at most once a minute per process (and the UPDATE skips rows written within the minute by any process). */
function lastUsedRecorder(options: AuthOptions): (record: TokenRecord, now: number) => void {
  const written = new Map<string, number>();
  return (record, now) => {
    const last = Math.max(written.get(record.id) ?? 0, record.lastUsedAt ?? 0);
    if (now - last < TOUCH_INTERVAL_MS) return;
    if (written.size > 10_000) written.clear();
    written.set(record.id, now);
    options.store.touchToken(record.id, now, TOUCH_INTERVAL_MS).catch((error: unknown) => {
      options.logger.warn({ err: error, tokenId: record.id }, "recording a token's last use failed");
    });
  };
}
