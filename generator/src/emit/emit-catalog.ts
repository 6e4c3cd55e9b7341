/**
 * catalog.ts: the runtime value the SDK entry points bind to — metadata plus validators per event
 * type. schemas.ts: the bundled JSON Schema and the examples of each event type, in a module of its
 * own that nothing else imports, so only code that asks for them loads them (most of the bytes).
 */

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
  const eventTypes = model.events
    .filter((e) => e.latest)
    .map((e) => {
      const info = {
        type: e.type,
        version: e.version,
        domain: e.domain,
        title: e.typeName,
        description: e.description,
        deprecated: e.deprecated,
      };
      return [e.type, info] as const;
    });
  // Converter modules, when the catalog has any (converters.ts): `catalog.converters`.
  const withConverters = (model.converters ?? []).length > 0;
  const catalog = f.createObjectLiteralExpression(
    [
      f.createPropertyAssignment("eventTypes", f.createIdentifier(EVENT_TYPES_PLACEHOLDER)),
      f.createShorthandPropertyAssignment("validators"),
      ...(withConverters ? [f.createShorthandPropertyAssignment("converters")] : []),
    ],
    true,
  );
  const catalogType = f.createTypeReferenceNode("EventCatalog", [f.createTypeReferenceNode("EventMap")]);
  const pieces = [
    importFrom(options.runtime, withConverters ? ["CatalogConverters", "EventCatalog"] : ["EventCatalog"], { typeOnly: true }),
    ...(withConverters ? [importFrom("./converters.js", ["converters"])] : []),
    importFrom("./types.js", ["EventMap"], { typeOnly: true }),
    importFrom("./validators.js", ["validators"]),
    withJsDoc(
      exportedConst(
        "catalog",
        withConverters
          ? f.createIntersectionTypeNode([
              catalogType,
              f.createTypeLiteralNode([
                f.createPropertySignature(
                  [f.createModifier(ts.SyntaxKind.ReadonlyKeyword)],
                  "converters",
                  undefined,
                  f.createTypeReferenceNode("CatalogConverters"),
                ),
              ]),
            ])
          : catalogType,
        catalog,
      ),
      {
        description:
          "Every event type in the catalog (newest version of each): metadata and precompiled validator. The JSON Schemas and examples are in `schemas.js`.",
      },
    ),
  ];
  return { pieces, substitutions: new Map([[EVENT_TYPES_PLACEHOLDER, objectLiteral(eventTypes)]]) };
}

/** Stands in for the schemas literal while printing; see `render`'s substitutions. */
export const SCHEMAS_PLACEHOLDER = "HOOKLINE_SCHEMAS_DATA";

export function emitSchemas(
  model: CatalogModel,
  options: { readonly runtime: string },
): { pieces: ts.Statement[]; substitutions: Map<string, string> } {
  const entries = model.events.filter((e) => e.latest).map((e) => [e.type, { schema: e.bundledSchema, examples: e.examples }] as const);
  const type = f.createTypeReferenceNode("EventSchemas", [f.createTypeReferenceNode("EventMap")]);
  const pieces = [
    importFrom(options.runtime, ["EventSchemas"], { typeOnly: true }),
    importFrom("./types.js", ["EventMap"], { typeOnly: true }),
    withJsDoc(exportedConst("schemas", type, f.createIdentifier(SCHEMAS_PLACEHOLDER)), {
      description:
        "The JSON Schema (every `$ref` bundled under `$defs`) and the examples of every event type, keyed by type. A module of its own: importing the SDK does not load it.",
    }),
  ];
  return { pieces, substitutions: new Map([[SCHEMAS_PLACEHOLDER, objectLiteral(entries)]]) };
}

/** `{ "key": <compact JSON>, … }` with one line per entry: readable in a diff, without the bytes of indented JSON. */
function objectLiteral(entries: ReadonlyArray<readonly [key: string, value: unknown]>): string {
  return ["{", ...entries.map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)},`), "}"].join("\n");
}
