/** Resolves `$ref`s across catalog documents the way JSON Schema does: relative to the `$id`. */

import { pointerGet } from "./json-pointer.js";

export interface RefTarget {
  /** `$id` of the document the reference lands in. */
  readonly documentId: string;
  /** JSON pointer inside that document (`""` = the whole document). */
  readonly pointer: string;
  /** The referenced subschema, or undefined when the document or pointer does not exist. */
  readonly schema: unknown;
}

export function resolveRef(ref: string, baseId: string, documents: ReadonlyMap<string, unknown>): RefTarget {
  const url = new URL(ref, baseId);
  const pointer = decodeURIComponent(url.hash.slice(1));
  url.hash = "";
  const documentId = url.href;
  const document = documents.get(documentId);
  return { documentId, pointer, schema: document === undefined ? undefined : pointerGet(document, pointer) };
}
