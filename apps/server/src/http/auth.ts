import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from "fastify";
import { ApiError } from "./errors.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Served without the API key. Every other route, and every unmatched request, needs it. */
    public?: boolean;
  }
}

/**
 * Deny by default. The decision is taken on the route the router matched (its `config.public`),
 * never on the request-target text: percent-encoding, absolute-form targets, dot segments and the
 * like all reach some route, or the 404 handler, and each of those asks for the key unless marked public.
 */
export function apiKeyGuard(apiKeyHash: Buffer) {
  return function requireApiKey(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
    if (request.routeOptions.config.public === true) {
      done();
      return;
    }
    try {
      authenticate(request, apiKeyHash);
    } catch (error) {
      done(error as Error);
      return;
    }
    done();
  };
}

/** Constant time: both sides are SHA-256 digests, so lengths always match and no prefix leaks. */
function authenticate(request: FastifyRequest, expected: Buffer): void {
  const header = request.headers.authorization;
  const match = typeof header === "string" ? /^Bearer[ ]+(\S+)\s*$/i.exec(header) : null;
  if (match?.[1] === undefined) {
    throw new ApiError(401, "missing_api_key", "This route needs the API key: send Authorization: Bearer <api key>.");
  }
  const given = createHash("sha256").update(match[1]).digest();
  if (!timingSafeEqual(given, expected)) throw new ApiError(401, "invalid_api_key", "The API key is not valid for this server.");
}
