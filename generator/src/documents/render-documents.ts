/**
 * `asyncapi.json` (AsyncAPI 3.0) and `openapi.json` (OpenAPI 3.1 `webhooks`) from the catalog model.
 * The documents themselves are built by `@hookline/core/internal`, which the Hookline server also
 * uses on the catalog it has loaded: one home for the rules, and both sides write the same JSON.
 */

import { asyncApiDocument, type DocumentEvent, type DocumentInfo, openApiWebhooksDocument } from "@hookline/core/internal";
import type { CatalogModel } from "../model/catalog-model.js";
import { GENERATED_MARKER, type RenderedFile } from "../write/render.js";

/** Every event type at every version, in the model's order (type, then version). */
export function documentEvents(model: CatalogModel): DocumentEvent[] {
  return model.events.map((event) => ({
    type: event.type,
    version: event.version,
    title: event.typeName,
    description: event.description,
    deprecated: event.deprecated,
    schema: event.bundledSchema,
    examples: event.examples,
  }));
}

/** Renders both documents; `source` names the catalog in the do-not-edit note. */
export function renderDocuments(model: CatalogModel, info: DocumentInfo, source: string): RenderedFile[] {
  const events = documentEvents(model);
  // JSON has no comments: the note is a specification extension, which both formats allow at the root.
  const note = { "x-generated": `${GENERATED_MARKER} from ${source}; do not edit, run hookline generate` };
  return [
    { path: "asyncapi.json", text: json({ ...note, ...asyncApiDocument(events, info) }) },
    { path: "openapi.json", text: json({ ...note, ...openApiWebhooksDocument(events, info) }) },
  ];
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
