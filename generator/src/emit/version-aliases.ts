/**
 * The per-version type names (`OrderShippedV2`) in an SDK's `types.ts`, as aliases of the names it
 * declares: converter modules are written against those names and are copied into the SDK with
 * their import pointed at its `types.ts`. (Once the SDK declares every version under its
 * per-version name, as the "versions" work of issue 13 does, nothing is left to alias.)
 */

import { ts } from "ts-morph";
import type { CatalogModel } from "../model/catalog-model.js";
import { versionedTypeName } from "../schema/converters.js";
import { withJsDoc } from "./jsdoc.js";
import { exported } from "./statements.js";

const f = ts.factory;

/**
 * `export type OrderShippedV2 = OrderShipped;` for every version of a type with converters whose
 * per-version name the SDK's types.ts lacks.
 */
export function versionNameAliases(model: CatalogModel): ts.Statement[] {
  const declared = new Set([...model.definitions.map((d) => d.typeName), ...model.events.map((e) => e.typeName)]);
  const converted = new Set((model.converters ?? []).map((c) => c.type));
  const aliases: ts.Statement[] = [];
  for (const event of model.events) {
    if (!converted.has(event.type)) continue;
    const name = versionedTypeName(event.typeName, event.version);
    if (declared.has(name)) continue;
    declared.add(name);
    aliases.push(typeAlias(name, event.typeName, `Payload of \`${event.type}\` version ${event.version}, by its per-version name.`));
  }
  return aliases;
}

/** `export type name = target;` with a one-line JSDoc. */
export function typeAlias(name: string, target: string, description: string): ts.Statement {
  return withJsDoc(f.createTypeAliasDeclaration(exported, name, undefined, f.createTypeReferenceNode(target)), { description });
}
