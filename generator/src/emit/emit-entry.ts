/**
 * index.ts: binds the generic runtime to this catalog — `createSender` or `createReceiver` typed by
 * the generated `EventMap` — and re-exports the types and the catalog value. No behaviour lives
 * here; it is all in the runtime package.
 */

import { ts } from "ts-morph";
import type { Target } from "../config.js";
import { withJsDoc } from "./jsdoc.js";
import { exported, exportFrom, importFrom } from "./statements.js";

const f = ts.factory;

export function emitEntry(target: Target, options: { readonly runtime: string }): ts.Statement[] {
  const shared = [exportFrom("./types.js"), exportFrom("./catalog.js", ["catalog"]), importFrom("./catalog.js", ["catalog"])];
  if (target === "sender") {
    return [
      importFrom(options.runtime, [
        "createClientFor",
        "createSenderFor",
        "type ClientOptions",
        "type HooklineClient",
        "type Sender",
        "type SenderOptions",
      ]),
      importFrom("./types.js", ["EventMap", "EventVersions"], { typeOnly: true }),
      ...shared,
      binding({
        name: "createSender",
        parameterType: type("SenderOptions"),
        returnType: type("Sender", [type("EventMap"), type("EventVersions")]),
        runtimeFunction: "createSenderFor",
        description:
          "Creates a sender for this catalog's events. `build` validates, serialises and signs one event; `send` also POSTs it. Both send the newest version unless `options.version` names another, which then types the payload.\nA wrong event type, version or payload shape is a compile error; an invalid payload at run time throws `PayloadValidationError` before anything is signed or sent.",
      }),
      binding({
        name: "createClient",
        parameterType: type("ClientOptions"),
        returnType: type("HooklineClient", [type("EventMap"), type("EventVersions")]),
        runtimeFunction: "createClientFor",
        description:
          "Creates a client for a Hookline delivery server: `send(type, payload)` validates locally, then submits the event, retrying transient failures with the same event id; plus endpoint, event and attempt management.",
      }),
    ];
  }
  return [
    importFrom(options.runtime, ["createReceiverFor", "type Receiver", "type ReceiverOptions"]),
    importFrom("./types.js", ["EventMap", "EventType", "EventVersions"], { typeOnly: true }),
    ...shared,
    binding({
      name: "createReceiver",
      typeParameters: [
        f.createTypeParameterDeclaration(undefined, "S", type("EventType"), type("EventType")),
        f.createTypeParameterDeclaration(undefined, "E", keyword(ts.SyntaxKind.BooleanKeyword), keyword(ts.SyntaxKind.BooleanKeyword)),
      ],
      parameterType: type("ReceiverOptions", [type("EventMap"), type("S"), type("E"), type("EventVersions")]),
      returnType: type("Receiver", [type("EventMap"), type("S"), type("EventVersions")]),
      runtimeFunction: "createReceiverFor",
      description:
        "Creates a receiver for this catalog's events (all of them, or `options.events`), in every version this SDK carries. `verify` checks the signature, then the payload against the schema of the version the envelope names, and returns the typed event (narrow on `type`, then `version`); `handle` also dispatches it to your handlers.\nWith `exhaustive: true`, a missing handler for a subscribed type is a compile error.",
    }),
  ];
}

/** `export function name(options: ...): ... { return runtimeFunction(catalog, options); }` */
function binding(spec: {
  readonly name: string;
  readonly typeParameters?: readonly ts.TypeParameterDeclaration[];
  readonly parameterType: ts.TypeNode;
  readonly returnType: ts.TypeNode;
  readonly runtimeFunction: string;
  readonly description: string;
}): ts.FunctionDeclaration {
  const call = f.createCallExpression(f.createIdentifier(spec.runtimeFunction), undefined, [
    f.createIdentifier("catalog"),
    f.createIdentifier("options"),
  ]);
  const declaration = f.createFunctionDeclaration(
    exported,
    undefined,
    spec.name,
    spec.typeParameters,
    [f.createParameterDeclaration(undefined, undefined, "options", undefined, spec.parameterType)],
    spec.returnType,
    f.createBlock([f.createReturnStatement(call)], true),
  );
  return withJsDoc(declaration, { description: spec.description });
}

function type(name: string, typeArguments?: readonly ts.TypeNode[]): ts.TypeReferenceNode {
  return f.createTypeReferenceNode(name, typeArguments);
}

function keyword(kind: ts.KeywordTypeSyntaxKind): ts.KeywordTypeNode {
  return f.createKeywordTypeNode(kind);
}
