/** Hooks every request goes through besides the API key and input guards: shutdown, optional bodies, the request log. */
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, RouteOptions } from "fastify";
import type { Logger } from "../logger.js";
import { ApiError } from "./errors.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The body may be omitted (treated as `{}`). */
    optionalBody?: boolean;
  }
}

// Callback-style hooks: ingest runs them on every request, and async hooks cost a promise each.

/** Once the server is closing, requests answer 503 and their connection is closed. */
export function refuseWhileClosing(app: FastifyInstance): void {
  let closing = false;
  app.addHook("preClose", (done) => {
    closing = true;
    done();
  });
  app.addHook("onRequest", (_request, reply, done) => {
    if (closing) {
      reply.header("connection", "close");
      done(new ApiError(503, "shutting_down", "The server is shutting down; retry on another instance or in a few seconds."));
      return;
    }
    done();
  });
}

/**
 * Routes whose body has no required field (`config.optionalBody`) accept a request without one, as
 * `{}`. Added to those routes only (from an onRoute hook), so the others, ingest above all, do not pay for it.
 */
export function acceptMissingBodyOn(route: RouteOptions): void {
  if (route.config?.optionalBody === true) route.preValidation = [...hookList(route.preValidation), acceptMissingBody];
}

/** One line per request, at debug for successes, info for client errors, error for server errors. */
export function logRequests(app: FastifyInstance, logger: Logger): void {
  app.addHook("onResponse", (request, reply, done) => {
    const level = reply.statusCode >= 500 ? "error" : reply.statusCode >= 400 ? "info" : "debug";
    if (logger.isLevelEnabled(level)) {
      request.log[level](
        {
          method: request.method,
          route: request.routeOptions.url ?? "(none)",
          statusCode: reply.statusCode,
          ms: Math.round(reply.elapsedTime),
        },
        "request",
      );
    }
    done();
  });
}

function acceptMissingBody(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  if (request.body === undefined) request.body = {};
  done();
}

function hookList<T>(hooks: T | T[] | undefined): T[] {
  return hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks];
}
