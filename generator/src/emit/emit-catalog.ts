/** catalog.ts: the runtime value the SDK entry points bind to — metadata plus validators per event type. */

import { StructureKind, type StatementStructures, VariableDeclarationKind } from "ts-morph";
import type { CatalogModel } from "../model/catalog-model.js";
import { jsDocs } from "./jsdoc.js";

/** Stands in for the metadata literal while printing; see `render`'s substitutions. */
export const EVENT_TYPES_PLACEHOLDER = "HOOKLINE_EVENT_TYPES_DATA";

export function emitCatalog(
  model: CatalogModel,
  options: { readonly runtime: string },
): { pieces: StatementStructures[]; substitutions: Map<string, string> } {
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
          "Every event type in the catalog (newest version of each): metadata, bundled JSON Schema, examples and precompiled validator.",
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
  return { pieces, substitutions: new Map([[EVENT_TYPES_PLACEHOLDER, JSON.stringify(eventTypes, null, 2)]]) };
}
