/**
 * types.ts: one declaration per shared definition and per event payload (each declared once, so a
 * `$ref` is always a reference by name), the `EventMap`, the `EventType` union and the
 * discriminated `WebhookEvent` union of envelopes.
 *
 * Declarations are printed in their final form by format-types.ts where it can; the others stay
 * ts-morph structures that render formats with prettier, which gives the same text.
 */

import { type InterfaceDeclarationStructure, StructureKind, type TypeAliasDeclarationStructure } from "ts-morph";
import type { CatalogModel, EventModel } from "../model/catalog-model.js";
import type { DocInfo, TypeNode } from "../model/type-ir.js";
import { formatInterface, formatTextUnionAlias, formatTypeAlias } from "./format-types.js";
import { jsDocs } from "./jsdoc.js";
import { printType, propertyNameText } from "./print-type.js";
import type { RenderPiece } from "./render-piece.js";

export interface TypesOptions {
  /** Module the runtime types are imported from, e.g. `@hookline/core`. */
  readonly runtime: string;
}

export function emitTypes(model: CatalogModel, options: TypesOptions): RenderPiece[] {
  const latest = model.events.filter((e) => e.latest);
  const pieces: RenderPiece[] = [
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: options.runtime, isTypeOnly: true, namedImports: ["WebhookEnvelope"] },
  ];
  for (const def of model.definitions) {
    pieces.push(declaration(def.typeName, def.type, { description: def.description, source: def.file }));
  }
  for (const event of model.events) {
    pieces.push(
      declaration(event.typeName, event.payload, {
        description: `Payload of \`${event.type}\` version ${event.version}.\n\n${event.description}`,
        source: event.file,
        deprecated: event.deprecated || !event.latest,
      }),
    );
  }
  pieces.push(eventMap(latest));
  pieces.push(textUnionAlias("EventType", ["keyof EventMap"], { description: "Every event type name this SDK can send or receive." }));
  pieces.push(
    textUnionAlias(
      "WebhookEvent",
      latest.map((e) => `WebhookEnvelope<${JSON.stringify(e.type)}, ${e.typeName}>`),
      { description: "Any event as delivered (the signed JSON body). Narrow on `type` to get that event's `data` type." },
    ),
  );
  return pieces;
}

/** A declaration printed in its final form where the direct printer can, else its structure for ts-morph and prettier. */
function declaration(name: string, type: TypeNode, docs: DocInfo): RenderPiece {
  const text = type.kind === "object" ? formatInterface(name, type, docs) : formatTypeAlias(name, type, docs);
  return text === undefined ? declarationStructure(name, type, docs) : { formatted: text };
}

/** The ts-morph structure of a declaration: what prettier formats when the direct printer declines, and what the tests compare it with. */
export function declarationStructure(
  name: string,
  type: TypeNode,
  docs: DocInfo,
): InterfaceDeclarationStructure | TypeAliasDeclarationStructure {
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
      type.indexType === undefined
        ? []
        : [{ kind: StructureKind.IndexSignature, keyName: "key", keyType: "string", returnType: printType(type.indexType) }],
  };
}

/** An alias of a union of type expressions given as text. */
function textUnionAlias(name: string, members: readonly string[], docs: DocInfo): RenderPiece {
  const text = formatTextUnionAlias(name, members, docs);
  if (text !== undefined) return { formatted: text };
  return {
    kind: StructureKind.TypeAlias,
    name,
    isExported: true,
    type: members.length === 0 ? "never" : members.join(" | "),
    docs: jsDocs(docs),
  };
}

/** A type alias, not an interface: only aliases are assignable to the runtime's index-signature constraint. */
function eventMap(latest: readonly EventModel[]): RenderPiece {
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
  const docs = { description: "Event type → payload type, for the newest version of every event in the catalog." };
  const text = formatTypeAlias("EventMap", map, docs);
  return text === undefined ? declarationStructure("EventMap", map, docs) : { formatted: text };
}
