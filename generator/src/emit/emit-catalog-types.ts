/**
 * `<catalog>/types.ts`: the types converter modules are written against. Every shared definition
 * and every version's payload, each under its per-version name (`OrderShippedV1`, `OrderShippedV2`),
 * in a module without imports, so it type-checks on its own in the catalog folder.
 */

import type { ts } from "ts-morph";
import type { CatalogModel } from "../model/catalog-model.js";
import { versionedTypeName } from "../schema/converters.js";
import { declaration } from "./emit-types.js";

export function emitCatalogTypes(model: CatalogModel): ts.Statement[] {
  const pieces: ts.Statement[] = [];
  for (const def of model.definitions) pieces.push(declaration(def.typeName, def.type, { description: def.description, source: def.file }));
  // Event payloads are declared under their per-version names (`OrderShippedV2`), as in the SDKs.
  for (const event of model.events) {
    const name = versionedTypeName(event.typeName, event.version);
    pieces.push(
      declaration(name, event.payload, {
        description: `Payload of \`${event.type}\` version ${event.version}.\n\n${event.description}`,
        source: event.file,
        deprecated: event.deprecated,
      }),
    );
  }
  return pieces;
}
