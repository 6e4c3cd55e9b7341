/**
 * The loaded catalog as AsyncAPI 3.0 (`GET /asyncapi.json`) and as OpenAPI 3.1 `webhooks` (merged
 * into `GET /openapi.json`). Built from the catalog view with the same builders `hookline generate`
 * uses (`@hookline/core/internal`), so the served documents equal the generated ones; built once per
 * view, so a catalog reload is reflected by the next request.
 */
import { asyncApiDocument, type DocumentEvent, type OpenApiWebhooks, openApiWebhooks } from "@hookline/core/internal";
import type { CatalogView } from "../catalog/catalog-view.js";

interface CatalogDocuments {
  readonly asyncapi: Record<string, unknown>;
  readonly webhooks: OpenApiWebhooks;
}

const documentsByView = new WeakMap<CatalogView, CatalogDocuments>();

/** Every carried version of every type whose schema the view holds, by type then version. */
export function documentEvents(view: CatalogView): DocumentEvent[] {
  return view.types.flatMap((type) =>
    view.versions(type).flatMap((version) => {
      const info = view.info(type, version);
      const schema = view.schema(type, version);
      if (info === undefined || schema === undefined) return [];
      return [
        {
          type,
          version,
          title: info.title,
          description: info.description,
          deprecated: info.deprecated,
          schema: schema.schema,
          examples: schema.examples,
        },
      ];
    }),
  );
}

function documentsOf(view: CatalogView, serverVersion: string): CatalogDocuments {
  let documents = documentsByView.get(view);
  if (documents === undefined) {
    const events = documentEvents(view);
    documents = {
      asyncapi: asyncApiDocument(events, {
        title: "Hookline delivery server webhooks",
        version: serverVersion,
        description:
          "The events this server delivers to subscriber endpoints: Standard Webhooks POSTs, signed over `<webhook-id>.<webhook-timestamp>.<body>`. " +
          "Each delivery carries the version the endpoint is pinned to (`version` in the envelope).",
      }),
      webhooks: openApiWebhooks(events),
    };
    documentsByView.set(view, documents);
  }
  return documents;
}

export function asyncApiOf(view: CatalogView, serverVersion: string): Record<string, unknown> {
  return documentsOf(view, serverVersion).asyncapi;
}

/** The catalog's webhooks and their component schemas, merged into /openapi.json by openapi-catalog.ts. */
export function catalogWebhooks(view: CatalogView, serverVersion: string): OpenApiWebhooks {
  return documentsOf(view, serverVersion).webhooks;
}
