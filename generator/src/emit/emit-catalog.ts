/**
 * catalog.ts: the runtime value the SDK entry points bind to — metadata plus validators per event
 * type (newest) and per version. schemas.ts: the bundled JSON Schema and the examples of each event
 * type and version, in a module of its own that nothing else imports, so only code that asks for
 * them loads them (most of the bytes).
 */

import { ts } from "ts-morph";
import type { CatalogModel, EventModel } from "../model/catalog-model.js";
import { validatorExportName } from "./emit-validators.js";
import { withJsDoc } from "./jsdoc.js";
import { exportedConst, importFrom } from "./statements.js";

const f = ts.factory;

/** Stands in for the metadata literal while printing; see `render`'s substitutions. */
export const EVENT_TYPES_PLACEHOLDER = "HOOKLINE_EVENT_TYPES_DATA";

/** Stands in for the per-version literal while printing; see `render`'s substitutions. */
export const VERSIONS_PLACEHOLDER = "HOOKLINE_VERSIONS_DATA";
/** Stands in for the `catalogNewest` literal of a model narrowed to chosen versions. */
export const CATALOG_NEWEST_PLACEHOLDER = "HOOKLINE_CATALOG_NEWEST_DATA";

export function emitCatalog(
  model: CatalogModel,
  options: { readonly runtime: string },
): { pieces: ts.Statement[]; substitutions: Map<string, string> } {
  const eventTypes = model.events.filter((e) => e.latest).map((e) => [e.type, info(e)] as const);
  // One line per type: each version's metadata (JSON) and its validator (an identifier, so not JSON).
  const versions = [...groupByType(model.events)].map(([type, events]) => {
    const entries = events.map(
      (e) => `${JSON.stringify(String(e.version))}: {"info": ${JSON.stringify(info(e))}, "validator": ${validatorExportName(e.typeName)}}`,
    );
    return `  ${JSON.stringify(type)}: {${entries.join(", ")}},`;
  });
  const newest = model.catalogNewest;
  // Converter modules, when the catalog has any (converters.ts): `catalog.converters`.
  const withConverters = (model.converters ?? []).length > 0;
  const catalog = f.createObjectLiteralExpression(
    [
      f.createPropertyAssignment("eventTypes", f.createIdentifier(EVENT_TYPES_PLACEHOLDER)),
      f.createShorthandPropertyAssignment("validators"),
      f.createPropertyAssignment("versions", f.createIdentifier(VERSIONS_PLACEHOLDER)),
      ...(newest === undefined ? [] : [f.createPropertyAssignment("catalogNewest", f.createIdentifier(CATALOG_NEWEST_PLACEHOLDER))]),
      ...(withConverters ? [f.createShorthandPropertyAssignment("converters")] : []),
    ],
    true,
  );
  const catalogType = f.createTypeReferenceNode("EventCatalog", [
    f.createTypeReferenceNode("EventMap"),
    f.createTypeReferenceNode("EventVersions"),
  ]);
  const pieces = [
    importFrom(options.runtime, ["EventCatalog"], { typeOnly: true }),
    ...(withConverters ? [importFrom("./converters.js", ["converters"])] : []),
    importFrom("./types.js", ["EventMap", "EventVersions"], { typeOnly: true }),
    importFrom("./validators.js", ["validators", ...model.events.map((e) => validatorExportName(e.typeName))]),
    withJsDoc(exportedConst("catalog", catalogType, catalog), {
      description:
        "Every event type in the catalog: metadata and precompiled validator of the newest version of each (`eventTypes`, `validators`) and of every version (`versions`); the converter modules between versions (`converters`), when the catalog has any. The JSON Schemas and examples are in `schemas.js`.",
    }),
  ];
  const substitutions = new Map([
    [EVENT_TYPES_PLACEHOLDER, objectLiteral(eventTypes)],
    [VERSIONS_PLACEHOLDER, ["{", ...versions, "}"].join("\n")],
  ]);
  if (newest !== undefined) substitutions.set(CATALOG_NEWEST_PLACEHOLDER, JSON.stringify(newest));
  return { pieces, substitutions };
}

function info(e: EventModel) {
  // The schema's own title, as before versions were first-class (the type name adds `V<n>`).
  const title = typeof e.schema.title === "string" ? e.schema.title : e.typeName;
  return { type: e.type, version: e.version, domain: e.domain, title, description: e.description, deprecated: e.deprecated };
}

/** Events by type, in model order (type, then version). */
function groupByType(events: readonly EventModel[]): Map<string, EventModel[]> {
  const byType = new Map<string, EventModel[]>();
  for (const event of events) byType.set(event.type, [...(byType.get(event.type) ?? []), event]);
  return byType;
}

/** Stands in for the schemas literal while printing; see `render`'s substitutions. */
export const SCHEMAS_PLACEHOLDER = "HOOKLINE_SCHEMAS_DATA";

export function emitSchemas(
  model: CatalogModel,
  options: { readonly runtime: string },
): { pieces: ts.Statement[]; substitutions: Map<string, string> } {
  const entries = model.events.filter((e) => e.latest).map((e) => [e.type, { schema: e.bundledSchema, examples: e.examples }] as const);
  // The per-version documents repeat the newest one: the module is loaded only on demand.
  const versions = [...groupByType(model.events)].map(([type, events]) => {
    const byVersion = Object.fromEntries(events.map((e) => [String(e.version), { schema: e.bundledSchema, examples: e.examples }]));
    return `    ${JSON.stringify(type)}: ${JSON.stringify(byVersion)},`;
  });
  const literal = objectLiteral(entries).replace(/\n\}$/, ["", '  "versions": {', ...versions, "  },", "}"].join("\n"));
  const type = f.createTypeReferenceNode("EventSchemas", [f.createTypeReferenceNode("EventMap")]);
  const pieces = [
    importFrom(options.runtime, ["EventSchemas"], { typeOnly: true }),
    importFrom("./types.js", ["EventMap"], { typeOnly: true }),
    withJsDoc(exportedConst("schemas", type, f.createIdentifier(SCHEMAS_PLACEHOLDER)), {
      description:
        "The JSON Schema (every `$ref` bundled under `$defs`) and the examples of every event type, keyed by type (newest version), and of every version under `versions[type][version]`. A module of its own: importing the SDK does not load it.",
    }),
  ];
  return { pieces, substitutions: new Map([[SCHEMAS_PLACEHOLDER, literal]]) };
}

/** `{ "key": <compact JSON>, … }` with one line per entry: readable in a diff, without the bytes of indented JSON. */
function objectLiteral(entries: ReadonlyArray<readonly [key: string, value: unknown]>): string {
  return ["{", ...entries.map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)},`), "}"].join("\n");
}
