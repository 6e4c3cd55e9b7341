/**
 * The catalog as OpenAPI 3.1 `webhooks`: one POST per event type and version (key
 * `<type>.v<n>`), with the Standard Webhooks headers as header parameters, the envelope as the
 * request body, the examples, and `deprecated` on versions marked so.
 */
import { type DocumentEvent, type DocumentInfo, eventComponents, exampleEnvelopes } from "./components.js";
import { WEBHOOK_HEADER_NAMES, WEBHOOK_HEADERS } from "./headers.js";

export interface OpenApiWebhooks {
  readonly webhooks: Record<string, unknown>;
  /** Components the webhooks refer to (`#/components/schemas/<name>`), sorted by name. */
  readonly schemas: Record<string, unknown>;
}

export function openApiWebhooks(events: readonly DocumentEvent[]): OpenApiWebhooks {
  const components = eventComponents(events, "#/components/schemas/");
  const webhooks: Record<string, unknown> = {};
  events.forEach((event, i) => {
    const names = components.names[i] as { payload: string; envelope: string };
    const examples = Object.fromEntries(exampleEnvelopes(event).map((value, n) => [`example${n + 1}`, { value }]));
    webhooks[`${event.type}.v${event.version}`] = {
      post: {
        operationId: `${names.payload}Webhook`,
        summary: `${event.type} v${event.version}`,
        description: event.description,
        tags: [event.type.split(".")[0]],
        ...(event.deprecated ? { deprecated: true } : {}),
        // Receivers authenticate a delivery by its signature, not by an API's security scheme.
        security: [],
        parameters: WEBHOOK_HEADER_NAMES.map((name) => {
          const { description, ...schema } = WEBHOOK_HEADERS[name];
          return { name, in: "header", required: true, description, schema };
        }),
        requestBody: {
          required: true,
          content: { "application/json": { schema: { $ref: `#/components/schemas/${names.envelope}` }, examples } },
        },
        responses: {
          "2XX": { description: "Accepted: any 2xx ends the delivery. Other answers and timeouts are retried with backoff." },
        },
      },
    };
  });
  return { webhooks, schemas: components.schemas };
}

/** A complete OpenAPI 3.1 document holding only the webhooks, for toolchains that read the catalog alone. */
export function openApiWebhooksDocument(events: readonly DocumentEvent[], info: DocumentInfo): Record<string, unknown> {
  const { webhooks, schemas } = openApiWebhooks(events);
  return {
    openapi: "3.1.0",
    info: { title: info.title, version: info.version, ...(info.description === undefined ? {} : { description: info.description }) },
    webhooks,
    components: { schemas },
  };
}

/**
 * Adds the webhooks and their components to an OpenAPI document describing an API, so that one
 * document describes both what a server answers and what it sends. A component name used by both
 * with different schemas is an error (rename the catalog title or the API schema).
 */
export function mergeWebhooks(api: Record<string, unknown>, extra: OpenApiWebhooks): Record<string, unknown> {
  const components = (api.components ?? {}) as Record<string, unknown>;
  const schemas = { ...((components.schemas ?? {}) as Record<string, unknown>) };
  for (const [name, schema] of Object.entries(extra.schemas)) {
    if (name in schemas && JSON.stringify(schemas[name]) !== JSON.stringify(schema))
      throw new Error(`OpenAPI component schema "${name}" is both an API schema and a catalog schema; rename one of them`);
    schemas[name] = schema;
  }
  const sorted = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { ...api, webhooks: extra.webhooks, components: { ...components, schemas: sorted } };
}
