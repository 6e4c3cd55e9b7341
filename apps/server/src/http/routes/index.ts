/** Every route of the API, one file per resource. */
import type { FastifyInstance } from "fastify";
import type { HttpContext } from "../context.js";
import { attemptRoutes } from "./attempts.js";
import { catalogRoutes } from "./catalog.js";
import { dashboardRoutes } from "./dashboard.js";
import { deliveryRoutes } from "./deliveries.js";
import { docsRoutes } from "./docs.js";
import { endpointSecretRoutes } from "./endpoint-secrets.js";
import { endpointRoutes } from "./endpoints.js";
import { eventTypeRoutes } from "./event-types.js";
import { eventRoutes } from "./events.js";
import { operationRoutes } from "./operations.js";
import { portalRoutes } from "./portal.js";
import { referenceRoutes } from "./reference.js";
import { replayRoutes } from "./replay.js";
import { tokenRoutes } from "./tokens.js";

/** `openapi` builds the API description once every route is registered (served by GET /openapi.json). */
export function registerRoutes(app: FastifyInstance, ctx: HttpContext, openapi: () => Record<string, unknown>): void {
  eventRoutes(app, ctx);
  deliveryRoutes(app, ctx);
  attemptRoutes(app, ctx);
  replayRoutes(app, ctx);
  endpointRoutes(app, ctx);
  endpointSecretRoutes(app, ctx);
  eventTypeRoutes(app, ctx);
  catalogRoutes(app, ctx);
  tokenRoutes(app, ctx);
  portalRoutes(app, ctx);
  operationRoutes(app, ctx, openapi);
  docsRoutes(app, ctx);
  dashboardRoutes(app, ctx);
  referenceRoutes(app);
}
