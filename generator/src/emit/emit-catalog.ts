/**
 * catalog.ts: the runtime value the SDK entry points bind to — metadata plus validators per event
 * type. schemas.ts: the bundled JSON Schema and the examples of each event type, in a module of its
 * own that nothing else imports, so only code that asks for them loads them (most of the bytes).
 */

import { StructureKind, type StatementStructures, VariableDeclarationKind } from "ts-morph";
import type { CatalogModel } from "../model/catalog-model.js";
import { jsDocs } from "./jsdoc.js";

/** Stands in for the metadata literal while printing; see `render`'s substitutions. */
export const EVENT_TYPES_PLACEHOLDER = "HOOKLINE_EVENT_TYPES_DATA";

export function emitCatalog(
  model: CatalogModel,
  options: { readonly runtime: string },
): { pieces: StatementStructures[]; substitutions: Map<string, string> } {
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
  const pieces: StatementStructures[] = [
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: options.runtime, isTypeOnly: true, namedImports: ["EventCatalog"] },
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: "./types.js", isTypeOnly: true, namedImports: ["EventMap"] },
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: "./validators.js", namedImports: ["validators"] },
    {
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: jsDocs({
        description:
          "Every event type in the catalog (newest version of each): metadata and precompiled validator. The JSON Schemas and examples are in `schemas.js`.",
      }),
      declarations: [
        {
          name: "catalog",
          type: "EventCatalog<EventMap>",
          initializer: (w) => w.inlineBlock(() => w.writeLine(`eventTypes: ${EVENT_TYPES_PLACEHOLDER},`).writeLine("validators,")),
        },
      ],
    },
  ];
  return { pieces, substitutions: new Map([[EVENT_TYPES_PLACEHOLDER, objectLiteral(eventTypes)]]) };
}

/** Stands in for the schemas literal while printing; see `render`'s substitutions. */
export const SCHEMAS_PLACEHOLDER = "HOOKLINE_SCHEMAS_DATA";

export function emitSchemas(
  model: CatalogModel,
  options: { readonly runtime: string },
): { pieces: StatementStructures[]; substitutions: Map<string, string> } {
  const entries = model.events.filter((e) => e.latest).map((e) => [e.type, { schema: e.bundledSchema, examples: e.examples }] as const);
  const pieces: StatementStructures[] = [
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: options.runtime, isTypeOnly: true, namedImports: ["EventSchemas"] },
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: "./types.js", isTypeOnly: true, namedImports: ["EventMap"] },
    {
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: jsDocs({
        description:
          "The JSON Schema (every `$ref` bundled under `$defs`) and the examples of every event type, keyed by type. A module of its own: importing the SDK does not load it.",
      }),
      declarations: [{ name: "schemas", type: "EventSchemas<EventMap>", initializer: SCHEMAS_PLACEHOLDER }],
    },
  ];
  return { pieces, substitutions: new Map([[SCHEMAS_PLACEHOLDER, objectLiteral(entries)]]) };
}

/** `{ "key": <compact JSON>, … }` with one line per entry: readable in a diff, without the bytes of indented JSON. */
function objectLiteral(entries: ReadonlyArray<readonly [key: string, value: unknown]>): string {
  return ["{", ...entries.map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)},`), "}"].join("\n");
}
