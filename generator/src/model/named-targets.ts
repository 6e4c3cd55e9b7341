/**
 * Which schemas become named TypeScript types: every catalog document's root and every entry of a
 * document's top-level `$defs`. A `$ref` may point only at one of these, so each shared shape is
 * declared once and referenced by name everywhere else.
 */

import type { CheckedDocument } from "../schema/document.js";
import { pointerJoin } from "../schema/json-pointer.js";
import { TYPE_NAME_PATTERN } from "../schema/rules.js";
import { isObject } from "../schema/walk.js";
import { versionTypeName } from "./version-names.js";

export interface NamedTarget {
  readonly typeName: string;
  readonly document: CheckedDocument;
  /** Pointer of the schema inside its document (`""` or `/$defs/<key>`). */
  readonly pointer: string;
  readonly schema: unknown;
}

export function targetKey(documentId: string, pointer: string): string {
  return `${documentId}#${pointer}`;
}

export function collectNamedTargets(documents: readonly CheckedDocument[]): Map<string, NamedTarget> {
  const targets = new Map<string, NamedTarget>();
  for (const document of documents) {
    // An event version's payload is named by version (OrderShippedV2); the plain name is an alias emitted with the types.
    const rootName = document.event === undefined ? document.title : versionTypeName(document.title, document.event.version);
    targets.set(targetKey(document.id, ""), { typeName: rootName, document, pointer: "", schema: document.schema });
    const defs = document.schema.$defs;
    if (!isObject(defs)) continue;
    for (const [key, schema] of Object.entries(defs)) {
      const title = isObject(schema) ? schema.title : undefined;
      const typeName = typeof title === "string" && TYPE_NAME_PATTERN.test(title) ? title : document.title + pascalCase(key);
      const pointer = pointerJoin("", "$defs", key);
      targets.set(targetKey(document.id, pointer), { typeName, document, pointer, schema });
    }
  }
  return targets;
}

function pascalCase(key: string): string {
  return key
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join("");
}
