/**
 * The API description typed by the loaded catalog (GET /openapi.json): the catalog's `webhooks` and
 * their component schemas are merged in, `SendEvent` becomes a union discriminated by `type` (one
 * member per event type, with the payload schema of each of its versions) and `EventEnvelope` the
 * union of the catalog's envelopes. The API's own components keep their names whatever the catalog
 * holds: a catalog component named like one of them (a shared definition called `Error`, say) is
 * served as `Catalog.<name>`, with every reference to it rewritten.
 */
import { mergeWebhooks, type OpenApiWebhooks } from "@hookline/core/internal";
import type { CatalogView } from "../catalog/catalog-view.js";
import { catalogWebhooks } from "./catalog-documents.js";

const SCHEMAS = "#/components/schemas/";
/** Catalog component names are identifiers, so a dotted name can never clash with another one. */
const CATALOG_NAMESPACE = "Catalog.";

export function servedOpenApi(api: Record<string, unknown>, view: CatalogView, serverVersion: string): Record<string, unknown> {
  const apiSchemas = ((api["components"] as Record<string, unknown> | undefined)?.["schemas"] ?? {}) as Record<string, unknown>;
  const catalog = namespaced(catalogWebhooks(view, serverVersion), new Set(Object.keys(apiSchemas)));
  const merged = mergeWebhooks(api, catalog);
  const components = merged["components"] as Record<string, unknown>;
  const schemas = { ...(components["schemas"] as Record<string, unknown>) };
  const byType = new Map<string, Array<{ version: number; envelope: string; payload: string }>>();
  for (const webhook of Object.values(catalog.webhooks)) {
    const envelope = refName(
      (webhook as { post: { requestBody: { content: Record<string, { schema: { $ref: string } }> } } }).post.requestBody.content[
        "application/json"
      ]?.schema.$ref,
    );
    const envelopeSchema = catalog.schemas[envelope] as {
      properties: { type: { const: string }; version: { const: number }; data: { $ref: string } };
    };
    const type = envelopeSchema.properties.type.const;
    const list = byType.get(type) ?? [];
    list.push({ version: envelopeSchema.properties.version.const, envelope, payload: refName(envelopeSchema.properties.data.$ref) });
    byType.set(type, list);
  }
  if (byType.size > 0) {
    const generic = schemas["SendEvent"] as { description?: string; properties: Record<string, Record<string, unknown>> };
    const mapping: Record<string, string> = {};
    for (const [type, versions] of [...byType].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const name = `SendEvent.${type}`;
      mapping[type] = SCHEMAS + name;
      const payloads = versions.map((v) => ({ $ref: SCHEMAS + v.payload }));
      schemas[name] = {
        type: "object",
        description: `Send a \`${type}\` event: the payload of version ${versions.map((v) => v.version).join(" or ")} (\`version\` says which; default the newest).`,
        required: ["type", "payload"],
        additionalProperties: false,
        properties: {
          ...generic.properties,
          type: { const: type },
          payload: payloads.length === 1 ? payloads[0] : { anyOf: payloads },
          version: { ...generic.properties["version"], enum: versions.map((v) => v.version) },
        },
      };
    }
    schemas["SendEvent"] = {
      description: "The body of POST /v1/events: one member per event type of the loaded catalog, chosen by `type`.",
      oneOf: Object.values(mapping).map(($ref) => ({ $ref })),
      discriminator: { propertyName: "type", mapping },
    };
    const envelopes = [...byType.values()].flat().map((v) => ({ $ref: SCHEMAS + v.envelope }));
    schemas["EventEnvelope"] = {
      description:
        `${(schemas["EventEnvelope"] as { description?: string }).description ?? ""} ` +
        "One of the envelopes of the loaded catalog (an event of a type removed from the catalog since keeps the envelope it was stored with).",
      anyOf: envelopes,
    };
  }
  const paths = sortedByName(merged["paths"] as Record<string, unknown>);
  return { ...merged, paths, components: { ...components, schemas: sortedByName(schemas) } };
}

/** Catalog components whose names the API uses move to `Catalog.<name>`; references follow them. */
function namespaced(catalog: OpenApiWebhooks, taken: ReadonlySet<string>): OpenApiWebhooks {
  const renamed = new Map<string, string>();
  for (const name of Object.keys(catalog.schemas)) if (taken.has(name)) renamed.set(name, CATALOG_NAMESPACE + name);
  if (renamed.size === 0) return catalog;
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => {
        if (key === "$ref" && typeof inner === "string" && inner.startsWith(SCHEMAS)) {
          const target = renamed.get(inner.slice(SCHEMAS.length));
          return [key, target === undefined ? inner : SCHEMAS + target];
        }
        return [key, rewrite(inner)];
      }),
    );
  };
  return {
    webhooks: rewrite(catalog.webhooks) as Record<string, unknown>,
    schemas: Object.fromEntries(Object.entries(catalog.schemas).map(([name, schema]) => [renamed.get(name) ?? name, rewrite(schema)])),
  };
}

function refName(ref: string | undefined): string {
  if (ref === undefined || !ref.startsWith(SCHEMAS)) throw new Error(`expected a reference to a component schema, got ${String(ref)}`);
  return ref.slice(SCHEMAS.length);
}

function sortedByName(schemas: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
