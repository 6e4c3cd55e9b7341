/**
 * types.ts: one declaration per shared definition and per event payload (each declared once, so a
 * `$ref` is always a reference by name), the `EventMap`, the `EventType` union and the
 * discriminated `WebhookEvent` union of envelopes. Every declaration is a factory node with its
 * JSDoc attached; `write/render.ts` prints them.
 */

import { ts } from "ts-morph";
import type { CatalogModel, EventModel } from "../model/catalog-model.js";
import type { DocInfo, TypeNode } from "../model/type-ir.js";
import { versionNameAliases } from "./version-aliases.js";
import { withJsDoc } from "./jsdoc.js";
import type { RenderPiece } from "./render-piece.js";
import { exported, importFrom } from "./statements.js";
import { toTypeNode, typeElements } from "./type-nodes.js";

const f = ts.factory;

export interface TypesOptions {
  /** Module the runtime types are imported from, e.g. `@hookline/core`. */
  readonly runtime: string;
}

export function emitTypes(model: CatalogModel, options: TypesOptions): RenderPiece[] {
  const latest = model.events.filter((e) => e.latest);
  const pieces: RenderPiece[] = [importFrom(options.runtime, ["WebhookEnvelope"], { typeOnly: true })];
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
  pieces.push(...versionNameAliases(model));
  pieces.push(eventMap(latest));
  pieces.push(
    typeAlias("EventType", f.createTypeOperatorNode(ts.SyntaxKind.KeyOfKeyword, f.createTypeReferenceNode("EventMap")), {
      description: "Every event type name this SDK can send or receive.",
    }),
  );
  const envelopes = latest.map((e) =>
    f.createTypeReferenceNode("WebhookEnvelope", [
      f.createLiteralTypeNode(f.createStringLiteral(e.type)),
      f.createTypeReferenceNode(e.typeName),
    ]),
  );
  pieces.push(
    typeAlias(
      "WebhookEvent",
      envelopes.length === 0 ? f.createKeywordTypeNode(ts.SyntaxKind.NeverKeyword) : f.createUnionTypeNode(envelopes),
      { description: "Any event as delivered (the signed JSON body). Narrow on `type` to get that event's `data` type." },
    ),
  );
  return pieces;
}

/** An object type becomes an interface, anything else a type alias. */
export function declaration(name: string, type: TypeNode, docs: DocInfo): ts.Statement {
  if (type.kind !== "object") return typeAlias(name, toTypeNode(type), docs);
  return withJsDoc(f.createInterfaceDeclaration(exported, name, undefined, undefined, typeElements(type)), docs);
}

function typeAlias(name: string, type: ts.TypeNode, docs: DocInfo): ts.Statement {
  return withJsDoc(f.createTypeAliasDeclaration(exported, name, undefined, type), docs);
}

/** A type alias, not an interface: only aliases are assignable to the runtime's index-signature constraint. */
function eventMap(latest: readonly EventModel[]): ts.Statement {
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
  return typeAlias("EventMap", toTypeNode(map), {
    description: "Event type → payload type, for the newest version of every event in the catalog.",
  });
}
