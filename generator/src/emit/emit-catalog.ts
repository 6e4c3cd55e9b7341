/** catalog.ts: the runtime value the SDK entry points bind to — metadata plus validators per event type. */

import { StructureKind, type StatementStructures, VariableDeclarationKind } from "ts-morph";
import type { CatalogModel } from "../model/catalog-model.js";
import { jsDocs } from "./jsdoc.js";

export function emitCatalog(model: CatalogModel, options: { readonly runtime: string }): StatementStructures[] {
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
  return [
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: options.runtime, isTypeOnly: true, namedImports: ["EventCatalog"] },
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: "./types.js", isTypeOnly: true, namedImports: ["EventMap"] },
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: "./validators.js", namedImports: ["validators"] },
    {
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: jsDocs({ description: "Every event type in the catalog (newest version of each): metadata, bundled JSON Schema, examples and precompiled validator." }),
      declarations: [
        {
          name: "catalog",
          type: "EventCatalog<EventMap>",
          initializer: (w) => w.inlineBlock(() => w.writeLine(`eventTypes: ${JSON.stringify(eventTypes, null, 2)},`).writeLine("validators,")),
        },
      ],
    },
  ];
}
