import type { ValidatorError } from "@hookline/core";
import { issuesFromErrors } from "@hookline/core/internal";
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type HookHandlerDoneFunction,
  type RouteOptions,
} from "fastify";
import { StoreUnavailableError } from "../store/errors.js";
import { apiKeyGuard } from "./auth.js";
import type { HttpContext } from "./context.js";
import { ApiError, errorBody } from "./errors.js";
import { refuseNulCharacters } from "./input-guards.js";
import { buildOpenApi } from "./openapi.js";
import { clientErrorHandler, expectationFailed, frameworkErrors } from "./protocol-errors.js";
import { registerJsonParser } from "./raw-body.js";
import { registerRoutes } from "./routes/index.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The body may be omitted (treated as `{}`). */
    optionalBody?: boolean;
  }
}

/** Request bodies other than POST /v1/events (which uses the payload limit). */
const DEFAULT_BODY_LIMIT = 64 * 1024;

export function buildHttp(ctx: HttpContext): FastifyInstance {
  const { config } = ctx;
  const logger = ctx.logger as FastifyBaseLogger;
  const app: FastifyInstance = Fastify({
    loggerInstance: logger,
    // Requests are logged by the onResponse hook below (one line, at debug for successes).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: DEFAULT_BODY_LIMIT,
    // Slow or stalled clients are cut: the header section and the whole request each have a deadline
    // (checked every second), an idle connection is closed, and connections past the cap are refused.
    http: { headersTimeout: config.httpHeadersTimeoutMs, requestTimeout: config.httpRequestTimeoutMs, connectionsCheckingInterval: 1000 },
    requestTimeout: config.httpRequestTimeoutMs,
    connectionTimeout: config.httpIdleTimeoutMs,
    keepAliveTimeout: config.httpIdleTimeoutMs,
    clientErrorHandler: clientErrorHandler(logger),
    frameworkErrors,
    // Answered by the onRequest hook below, in the API's error shape.
    return503OnClosing: false,
    // Strict requests: unknown properties are errors (not silently dropped), no type coercion, every error reported.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: true } },
  });
  app.server.maxConnections = config.httpMaxConnections;
  app.server.on("checkExpectation", expectationFailed);
  let lastDropWarning = 0;
  app.server.on("drop", () => {
    // At most one warning a minute: a flood of connections must not flood the log too.
    if (Date.now() - lastDropWarning < 60_000) return;
    lastDropWarning = Date.now();
    ctx.logger.warn({ maxConnections: config.httpMaxConnections }, "connection refused: HOOKLINE_HTTP_MAX_CONNECTIONS reached");
  });

  const routes: RouteOptions[] = [];
  app.addHook("onRoute", (route) => {
    routes.push(route);
    // Routes whose body has no required field accept a request without one, as `{}`. A route-level
    // hook, so the other routes (ingest above all) do not pay for it.
    if (route.config?.optionalBody === true) route.preValidation = [...hookList(route.preValidation), acceptMissingBody];
  });
  let openapi: Record<string, unknown> | undefined;

  registerJsonParser(app);
  let closing = false;
  app.addHook("preClose", (done) => {
    closing = true;
    done();
  });
  // Callback-style hooks: ingest runs them on every request, and async hooks cost a promise each.
  app.addHook("onRequest", (_request, reply, done) => {
    if (closing) {
      reply.header("connection", "close");
      done(new ApiError(503, "shutting_down", "The server is shutting down; retry on another instance or in a few seconds."));
      return;
    }
    done();
  });
  app.addHook("onRequest", apiKeyGuard(ctx.apiKeyHash));
  app.addHook("preValidation", refuseNulCharacters);
  app.addHook("onResponse", (request, reply, done) => {
    const level = reply.statusCode >= 500 ? "error" : reply.statusCode >= 400 ? "info" : "debug";
    if (ctx.logger.isLevelEnabled(level)) {
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

  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    if (error instanceof ApiError) return reply.code(error.status).send(errorBody(error.code, error.message, error.details));
    if (error.validation !== undefined) {
      const where = error.validationContext ?? "request";
      if (where === "body" && request.body === undefined) {
        return reply.code(400).send(errorBody("missing_body", "This route needs a JSON object body with Content-Type: application/json."));
      }
      const details = issuesFromErrors(error.validation as unknown as ValidatorError[]).map(({ path, message }) => ({
        in: where,
        path,
        message,
      }));
      const list = details.map((d) => `${d.path || "(root)"} ${d.message}`).join("; ");
      return reply.code(400).send(errorBody("invalid_request", `Invalid ${where}: ${list}.`, details));
    }
    if (error instanceof StoreUnavailableError) {
      // Nothing was accepted: the client retries (same event id = no duplicate) once the database is back.
      request.log.warn({ err: error }, "database unavailable; answered 503");
      return reply
        .code(503)
        .header("retry-after", "5")
        .send(errorBody("storage_unavailable", "The database is unavailable right now, so nothing was stored. Retry in a few seconds."));
    }
    const status = error.statusCode ?? 500;
    if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
      const limit = request.routeOptions.bodyLimit ?? DEFAULT_BODY_LIMIT;
      return reply.code(413).send(errorBody("payload_too_large", `The request body is larger than the limit of ${limit} bytes.`));
    }
    if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
      return reply.code(415).send(errorBody("unsupported_media_type", "Send the body as JSON with Content-Type: application/json."));
    }
    if (status >= 500) {
      request.log.error({ err: error }, "request failed");
      return reply
        .code(500)
        .send(errorBody("internal_error", "The server failed to handle this request; the error was logged. Retry later."));
    }
    return reply.code(status).send(errorBody((error.code ?? "bad_request").replace(/^FST_ERR_/, "").toLowerCase(), error.message));
  });

  app.setNotFoundHandler((request, reply) => {
    reply
      .code(404)
      .send(
        errorBody(
          "not_found",
          `No route ${request.method} ${(request.url.split("?")[0] ?? "").slice(0, 200)}. The API is described at GET /openapi.json.`,
        ),
      );
  });

  registerRoutes(app, ctx, () => (openapi ??= buildOpenApi(routes, { version: ctx.version })));
  return app;
}

function acceptMissingBody(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  if (request.body === undefined) request.body = {};
  done();
}

function hookList<T>(hooks: T | T[] | undefined): T[] {
  return hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks];
}
