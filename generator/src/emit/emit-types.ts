/**
 * types.ts: one declaration per shared definition and per version of every event payload (each
 * declared once, so a `$ref` is always a reference by name), the plain name of each event type as an
 * alias of its newest version, the `EventMap` (newest), `EventVersions` (every version), the
 * `EventType` union and the discriminated `WebhookEvent` union of envelopes over type and version. Every declaration is a factory node with its
 * JSDoc attached; `write/render.ts` prints them.
 */

import { ts } from "ts-morph";
import type { CatalogModel, EventModel } from "../model/catalog-model.js";
import type { DocInfo, TypeNode } from "../model/type-ir.js";
import { withJsDoc } from "./jsdoc.js";
import type { RenderPiece } from "./render-piece.js";
import { exported, importFrom } from "./statements.js";
import { propertyName, toTypeNode, typeElements } from "./type-nodes.js";

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
        deprecated: event.deprecated,
      }),
    );
    if (event.latest) {
      pieces.push(
        typeAlias(event.plainName, f.createTypeReferenceNode(event.typeName), {
          description: `Payload of \`${event.type}\` in its newest version${model.catalogNewest?.[event.type] === undefined ? "" : " carried by this SDK"} (${event.version}).`,
          deprecated: event.deprecated,
        }),
      );
    }
  }
  pieces.push(eventMap(latest));
  pieces.push(eventVersions(model.events));
  pieces.push(
    typeAlias("EventType", f.createTypeOperatorNode(ts.SyntaxKind.KeyOfKeyword, f.createTypeReferenceNode("EventMap")), {
      description: "Every event type name this SDK can send or receive.",
    }),
  );
  const envelopes = model.events.map((e) =>
    f.createTypeReferenceNode("WebhookEnvelope", [
      f.createLiteralTypeNode(f.createStringLiteral(e.type)),
      f.createTypeReferenceNode(e.typeName),
      f.createLiteralTypeNode(f.createNumericLiteral(e.version)),
    ]),
  );
  pieces.push(
    typeAlias(
      "WebhookEvent",
      envelopes.length === 0 ? f.createKeywordTypeNode(ts.SyntaxKind.NeverKeyword) : f.createUnionTypeNode(envelopes),
      {
        description:
          "Any event as delivered (the signed JSON body), in every carried version. Narrow on `type`, then `version`, to get that event's `data` type.",
      },
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
      type: { kind: "ref", typeName: e.plainName },
      docs: { description: e.description, source: e.file, deprecated: e.deprecated },
    })),
  };
  return typeAlias("EventMap", toTypeNode(map), {
    description: "Event type → payload type, for the newest version of every event this SDK carries.",
  });
}

/**
 * `EventVersions`: type → version → payload. The version keys are numeric literals, so that
 * `keyof EventVersions[K]` is `1 | 2`, not `"1" | "2"`. A type alias, like `EventMap`.
 */
function eventVersions(events: readonly EventModel[]): ts.Statement {
  const byType = new Map<string, EventModel[]>();
  for (const event of events) byType.set(event.type, [...(byType.get(event.type) ?? []), event]);
  const members = [...byType].map(([type, versions]) =>
    f.createPropertySignature(
      undefined,
      propertyName(type),
      undefined,
      f.createTypeLiteralNode(
        versions.map((e) =>
          withJsDoc(
            f.createPropertySignature(undefined, f.createNumericLiteral(e.version), undefined, f.createTypeReferenceNode(e.typeName)),
            { deprecated: e.deprecated },
          ),
        ),
      ),
    ),
  );
  return typeAlias("EventVersions", f.createTypeLiteralNode(members), {
    description: "Event type → version number → payload type, for every version of every event this SDK carries.",
  });
}
