/** catalog.ts: the runtime value the SDK entry points bind to — metadata plus validators per event type. */

import { ts } from "ts-morph";
import type { CatalogModel } from "../model/catalog-model.js";
import { withJsDoc } from "./jsdoc.js";
import { exportedConst, importFrom } from "./statements.js";

const f = ts.factory;

/** Stands in for the metadata literal while printing; see `render`'s substitutions. */
export const EVENT_TYPES_PLACEHOLDER = "HOOKLINE_EVENT_TYPES_DATA";

export function emitCatalog(
  model: CatalogModel,
  options: { readonly runtime: string },
): { pieces: ts.Statement[]; substitutions: Map<string, string> } {
  const eventTypes = Object.fromEntries(
    model.events
      .filter((e) => e.latest)
      .map((e) => [
        e.type,
        {
          type: e.type,
          version: e.version,
          domain: e.domain,
          title: e.typeName,
          description: e.description,
          deprecated: e.deprecated,
          schema: e.bundledSchema,
          examples: e.examples,
        },
      ]),
  );
  const catalog = f.createObjectLiteralExpression(
    [
      f.createPropertyAssignment("eventTypes", f.createIdentifier(EVENT_TYPES_PLACEHOLDER)),
      f.createShorthandPropertyAssignment("validators"),
    ],
    true,
  );
  const pieces = [
    importFrom(options.runtime, ["EventCatalog"], { typeOnly: true }),
    importFrom("./types.js", ["EventMap"], { typeOnly: true }),
    importFrom("./validators.js", ["validators"]),
    withJsDoc(exportedConst("catalog", f.createTypeReferenceNode("EventCatalog", [f.createTypeReferenceNode("EventMap")]), catalog), {
      description:
        "Every event type in the catalog (newest version of each): metadata, bundled JSON Schema, examples and precompiled validator.",
    }),
  ];
  return { pieces, substitutions: new Map([[EVENT_TYPES_PLACEHOLDER, JSON.stringify(eventTypes, null, 2)]]) };
}
