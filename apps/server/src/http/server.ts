import fastifySwagger from "@fastify/swagger";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type RouteOptions } from "fastify";
import { authGuard } from "./auth.js";
import type { HttpContext } from "./context.js";
import { errorHandler, notFoundHandler } from "./error-handler.js";
import { acceptMissingBodyOn, logRequests, refuseWhileClosing } from "./hooks.js";
import { refuseNulCharacters } from "./input-guards.js";
import { swaggerOptions } from "./openapi.js";
import { coercingParameters } from "./parameter-validator.js";
import { completeErrorAnswers } from "./responses.js";
import { clientErrorHandler, expectationFailed, frameworkErrors } from "./protocol-errors.js";
import { registerJsonParser } from "./raw-body.js";
import { registerRoutes } from "./routes/index.js";
import { COMPONENTS } from "./schemas.js";

/** Request bodies other than POST /v1/events (which uses the payload limit). */
const DEFAULT_BODY_LIMIT = 64 * 1024;

/** Every route each built server registered (HEAD twins included), for the OpenAPI document and the access matrix test. */
const routeTables = new WeakMap<FastifyInstance, readonly RouteOptions[]>();

export function registeredRoutes(app: FastifyInstance): readonly RouteOptions[] {
  return routeTables.get(app) ?? [];
}

export function buildHttp(ctx: HttpContext): FastifyInstance {
  const { config } = ctx;
  const logger = ctx.logger as FastifyBaseLogger;
  const app: FastifyInstance = Fastify({
    loggerInstance: logger,
    // Requests are logged by an onResponse hook (`logRequests`: one line, at debug for successes).
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
    // Answered by `refuseWhileClosing`, in the API's error shape.
    return503OnClosing: false,
    // Strict requests: unknown properties are errors (not silently dropped), no type coercion, every error reported.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: true } },
    // ...but integers in query strings and paths are coerced from their text (parameter-validator.ts).
    schemaController: { compilersFactory: { buildValidator: coercingParameters } },
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
  routeTables.set(app, routes);
  app.addHook("onRoute", (route) => {
    routes.push(route);
    acceptMissingBodyOn(route);
    completeErrorAnswers(route);
  });
  for (const schema of COMPONENTS) app.addSchema(schema);

  registerJsonParser(app);
  refuseWhileClosing(app);
  app.decorateRequest("principal", undefined);
  app.addHook("onRequest", authGuard({ apiKeyHash: ctx.apiKeyHash, store: ctx.store, now: ctx.now, logger: ctx.logger }));
  app.addHook("preValidation", refuseNulCharacters);
  logRequests(app, ctx.logger);
  app.setErrorHandler(errorHandler(DEFAULT_BODY_LIMIT));
  app.setNotFoundHandler(notFoundHandler);

  // The document is collected by @fastify/swagger's onRoute hook, so the routes are registered after it.
  void app.register(fastifySwagger, swaggerOptions(ctx.version));
  void app.register(async (routes) => registerRoutes(routes, ctx, () => app.swagger() as unknown as Record<string, unknown>));
  return app;
}
