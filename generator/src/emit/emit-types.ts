/**
 * types.ts: one declaration per shared definition and per event payload (each declared once, so a
 * `$ref` is always a reference by name), the `EventMap`, the `EventType` union and the
 * discriminated `WebhookEvent` union of envelopes.
 */

import { type InterfaceDeclarationStructure, type StatementStructures, StructureKind, type TypeAliasDeclarationStructure } from "ts-morph";
import type { CatalogModel, EventModel } from "../model/catalog-model.js";
import type { DocInfo, TypeNode } from "../model/type-ir.js";
import { jsDocs } from "./jsdoc.js";
import { printType, propertyNameText } from "./print-type.js";

export interface TypesOptions {
  /** Module the runtime types are imported from, e.g. `@hookline/core`. */
  readonly runtime: string;
}

export function emitTypes(model: CatalogModel, options: TypesOptions): StatementStructures[] {
  const latest = model.events.filter((e) => e.latest);
  const statements: StatementStructures[] = [
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: options.runtime, isTypeOnly: true, namedImports: ["WebhookEnvelope"] },
  ];
  for (const def of model.definitions) {
    statements.push(declare(def.typeName, def.type, { description: def.description, source: def.file }));
  }
  for (const event of model.events) {
    statements.push(
      declare(event.typeName, event.payload, {
        description: `Payload of \`${event.type}\` version ${event.version}.\n\n${event.description}`,
        source: event.file,
        deprecated: event.deprecated || !event.latest,
      }),
    );
  }
  statements.push(eventMap(latest));
  statements.push({
    kind: StructureKind.TypeAlias,
    name: "EventType",
    isExported: true,
    type: "keyof EventMap",
    docs: jsDocs({ description: "Every event type name this SDK can send or receive." }),
  });
  statements.push({
    kind: StructureKind.TypeAlias,
    name: "WebhookEvent",
    isExported: true,
    type: latest.length === 0 ? "never" : latest.map((e) => `WebhookEnvelope<${JSON.stringify(e.type)}, ${e.typeName}>`).join(" | "),
    docs: jsDocs({ description: "Any event as delivered (the signed JSON body). Narrow on `type` to get that event's `data` type." }),
  });
  return statements;
}

function declare(name: string, type: TypeNode, docs: DocInfo): InterfaceDeclarationStructure | TypeAliasDeclarationStructure {
  if (type.kind !== "object") {
    return { kind: StructureKind.TypeAlias, name, isExported: true, type: printType(type), docs: jsDocs(docs) };
  }
  return {
    kind: StructureKind.Interface,
    name,
    isExported: true,
    docs: jsDocs(docs),
    properties: type.properties.map((p) => ({
      kind: StructureKind.PropertySignature,
      name: propertyNameText(p.name),
      hasQuestionToken: !p.required,
      type: printType(p.type),
      docs: jsDocs(p.docs),
    })),
    indexSignatures:
      type.indexType === undefined ? [] : [{ kind: StructureKind.IndexSignature, keyName: "key", keyType: "string", returnType: printType(type.indexType) }],
  };
}

/** A type alias, not an interface: only aliases are assignable to the runtime's index-signature constraint. */
function eventMap(latest: readonly EventModel[]): TypeAliasDeclarationStructure {
  const map: TypeNode = {
    kind: "object",
    indexType: undefined,
    properties: latest.map((e) => ({
      name: e.type,
      required: true,
      type: { kind: "ref", typeName: e.typeName },
      docs: { description: e.description, source: e.file, deprecated: e.deprecated },
    })),
  };
  return {
    kind: StructureKind.TypeAlias,
    name: "EventMap",
    isExported: true,
    type: printType(map),
    docs: jsDocs({ description: "Event type → payload type, for the newest version of every event in the catalog." }),
  };
}
