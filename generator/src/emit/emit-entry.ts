/**
 * index.ts: binds the generic runtime to this catalog — `createSender` or `createReceiver` typed by
 * the generated `EventMap` — and re-exports the types and the catalog value. No behaviour lives
 * here; it is all in the runtime package.
 */

import { type StatementStructures, StructureKind } from "ts-morph";
import type { Target } from "../config.js";
import { jsDocs } from "./jsdoc.js";

export function emitEntry(target: Target, options: { readonly runtime: string }): StatementStructures[] {
  const shared: StatementStructures[] = [
    { kind: StructureKind.ExportDeclaration, moduleSpecifier: "./types.js" },
    { kind: StructureKind.ExportDeclaration, moduleSpecifier: "./catalog.js", namedExports: ["catalog"] },
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: "./catalog.js", namedImports: ["catalog"] },
  ];
  if (target === "sender") {
    return [
      {
        kind: StructureKind.ImportDeclaration,
        moduleSpecifier: options.runtime,
        namedImports: [
          "createClientFor",
          "createSenderFor",
          "type ClientOptions",
          "type HooklineClient",
          "type Sender",
          "type SenderOptions",
        ],
      },
      { kind: StructureKind.ImportDeclaration, moduleSpecifier: "./types.js", isTypeOnly: true, namedImports: ["EventMap"] },
      ...shared,
      {
        kind: StructureKind.Function,
        name: "createSender",
        isExported: true,
        parameters: [{ name: "options", type: "SenderOptions" }],
        returnType: "Sender<EventMap>",
        statements: ["return createSenderFor(catalog, options);"],
        docs: jsDocs({
          description:
            "Creates a sender for this catalog's events. `build` validates, serialises and signs one event; `send` also POSTs it.\nA wrong event type or payload shape is a compile error; an invalid payload at run time throws `PayloadValidationError` before anything is signed or sent.",
        }),
      },
      {
        kind: StructureKind.Function,
        name: "createClient",
        isExported: true,
        parameters: [{ name: "options", type: "ClientOptions" }],
        returnType: "HooklineClient<EventMap>",
        statements: ["return createClientFor(catalog, options);"],
        docs: jsDocs({
          description:
            "Creates a client for a Hookline delivery server: `send(type, payload)` validates locally, then submits the event, retrying transient failures with the same event id; plus endpoint, event and attempt management.",
        }),
      },
    ];
  }
  return [
    {
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: options.runtime,
      namedImports: ["createReceiverFor", "type Receiver", "type ReceiverOptions"],
    },
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: "./types.js", isTypeOnly: true, namedImports: ["EventMap", "EventType"] },
    ...shared,
    {
      kind: StructureKind.Function,
      name: "createReceiver",
      isExported: true,
      typeParameters: [
        { name: "S", constraint: "EventType", default: "EventType" },
        { name: "E", constraint: "boolean", default: "boolean" },
      ],
      parameters: [{ name: "options", type: "ReceiverOptions<EventMap, S, E>" }],
      returnType: "Receiver<EventMap, S>",
      statements: ["return createReceiverFor(catalog, options);"],
      docs: jsDocs({
        description:
          "Creates a receiver for this catalog's events (all of them, or `options.events`). `verify` checks the signature, then the payload schema, and returns the typed event; `handle` also dispatches it to your handlers.\nWith `exhaustive: true`, a missing handler for a subscribed type is a compile error.",
      }),
    },
  ];
}
