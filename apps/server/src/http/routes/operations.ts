import type { FastifyInstance } from "fastify";
import { asyncApiOf } from "../catalog-documents.js";
import type { HttpContext } from "../context.js";
import { servedOpenApi } from "../openapi-catalog.js";

export function operationRoutes(app: FastifyInstance, ctx: HttpContext, openapi: () => Record<string, unknown>): void {
  const tags = ["operations"];
  // The only routes served without the API key: probes, metrics (no per-endpoint labels) and the API and webhook descriptions.
  const config = { public: true };
  const status = { type: "object", required: ["status"], properties: { status: { type: "string" } } };
  // Built once per loaded catalog (a reload changes the fingerprint): the API part never changes.
  let served: { fingerprint: string; document: Record<string, unknown> } | undefined;

  app.get(
    "/healthz",
    { config, schema: { tags, summary: "Liveness: 200 while the process runs", response: { 200: status } } },
    async () => ({ status: "ok" }),
  );

  app.get(
    "/readyz",
    {
      config,
      schema: {
        tags,
        summary: "Readiness: 200 when the database answers and the delivery loop is alive, else 503",
        response: {
          200: { description: "Ready", ...readySchema },
          503: { description: "Not ready: `checks` names what fails", ...readySchema },
        },
      },
    },
    async (_request, reply) => {
      let database = true;
      try {
        await ctx.store.ping();
      } catch {
        database = false;
      }
      const worker = ctx.workerAlive();
      const ok = database && worker;
      return reply
        .code(ok ? 200 : 503)
        .send({ status: ok ? "ok" : "unavailable", checks: { database: database ? "ok" : "failing", worker: worker ? "ok" : "stopped" } });
    },
  );

  app.get(
    "/metrics",
    { config, schema: { tags, summary: "Prometheus metrics (text exposition format)", response: { 200: { type: "string" } } } },
    async (_request, reply) => {
      const text = await ctx.metrics.registry.metrics();
      return reply.type(ctx.metrics.registry.contentType).send(text);
    },
  );

  app.get(
    "/openapi.json",
    {
      config,
      schema: {
        tags,
        summary:
          "This API as OpenAPI 3.1, typed by the loaded catalog (event payloads by type), with the webhooks it sends (every event type and version) under `webhooks`",
        description: "Browse it at /reference/ (served by this server, works offline).",
        response: { 200: { type: "object", additionalProperties: true } },
      },
    },
    async () => {
      const loaded = ctx.catalogRegistry.loaded();
      if (served?.fingerprint !== loaded.fingerprint) {
        served = { fingerprint: loaded.fingerprint, document: servedOpenApi(openapi(), loaded.view, ctx.version) };
      }
      return served.document;
    },
  );

  app.get(
    "/asyncapi.json",
    {
      config,
      schema: {
        tags,
        summary: "The webhooks this server sends, as AsyncAPI 3.0: every event type and version of the loaded catalog",
        response: { 200: { type: "object", additionalProperties: true } },
      },
    },
    async () => asyncApiOf(ctx.catalog(), ctx.version),
  );
}

const readySchema = {
  type: "object",
  required: ["status", "checks"],
  properties: {
    status: { type: "string", enum: ["ok", "unavailable"] },
    checks: { type: "object", properties: { database: { type: "string" }, worker: { type: "string" } } },
  },
} as const;
