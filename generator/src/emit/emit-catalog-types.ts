/**
 * `<catalog>/types.ts`: the types converter modules are written against. Every shared definition
 * and every version's payload, each under its per-version name (`OrderShippedV1`, `OrderShippedV2`),
 * in a module without imports, so it type-checks on its own in the catalog folder.
 */

import type { ts } from "ts-morph";
import type { CatalogModel } from "../model/catalog-model.js";
import { versionedTypeName } from "../schema/converters.js";
import { declaration } from "./emit-types.js";
import { typeAlias } from "./version-aliases.js";

export function emitCatalogTypes(model: CatalogModel): ts.Statement[] {
  const pieces: ts.Statement[] = [];
  for (const def of model.definitions) pieces.push(declaration(def.typeName, def.type, { description: def.description, source: def.file }));
  const declared = new Set(model.definitions.map((d) => d.typeName));
  for (const event of model.events) {
    const name = versionedTypeName(event.typeName, event.version);
    declared.add(name);
    pieces.push(
      declaration(name, event.payload, {
        description: `Payload of \`${event.type}\` version ${event.version}.\n\n${event.description}`,
        source: event.file,
        deprecated: event.deprecated,
      }),
    );
  }
  // A `$ref` to an event file names the event's title: keep that name meaning the same payload.
  for (const event of model.events) {
    if (declared.has(event.typeName)) continue;
    declared.add(event.typeName);
    pieces.push(typeAlias(event.typeName, versionedTypeName(event.typeName, event.version), `\`${event.type}\` version ${event.version}.`));
  }
  return pieces;
}
