/**
 * Makes a catalog document self-contained for `compareSchemas`: every other catalog document it
 * reaches through `$ref` is copied under the root `$defs`, keyed by its `$id`, and every `$ref` is
 * rewritten to a local one. `compareSchemas` follows local `$ref`s in each document, so a change in
 * a shared definition is found through every event that uses it, and a `$ref` moved from one file
 * to another compares the two targets' contents instead of their names. `sourceOf` maps a pointer
 * of the result back to the file and pointer it came from.
 */

import { pointerJoin } from "../schema/json-pointer.js";
import type { CatalogSide, SideDocument } from "./catalog-side.js";

/** Keywords whose values are data, not schemas: a `$ref` key inside them is not a reference. */
const DATA_KEYWORDS = new Set(["examples", "const", "enum", "default"]);

export function selfContained(root: SideDocument, side: CatalogSide): Record<string, unknown> {
  const included = new Map<string, unknown>();
  const pending: SideDocument[] = [];

  const rewrite = (value: unknown, baseId: string): unknown => {
    if (Array.isArray(value)) return value.map((item) => rewrite(item, baseId));
    if (typeof value !== "object" || value === null) return value;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      if (key === "$ref" && typeof child === "string") out[key] = localRef(child, baseId);
      else if (DATA_KEYWORDS.has(key)) out[key] = child;
      else out[key] = rewrite(child, baseId);
    }
    return out;
  };

  const localRef = (ref: string, baseId: string): string => {
    if (!URL.canParse(ref, baseId)) return ref;
    const url = new URL(ref, baseId);
    const fragment = url.hash.slice(1);
    url.hash = "";
    if (url.href === root.id) return `#${fragment}`;
    const target = side.documents.get(url.href);
    // A reference outside the catalog stays absolute and is compared by name.
    if (target === undefined) return `${url.href}${fragment === "" ? "" : `#${fragment}`}`;
    if (!included.has(target.id)) {
      included.set(target.id, undefined);
      pending.push(target);
    }
    // compareSchemas percent-decodes a fragment, so a literal "%" is encoded once.
    return `#${`${pointerJoin("", "$defs", target.id)}${decodeURIComponent(fragment)}`.replace(/%/g, "%25")}`;
  };

  const result = rewrite(root.schema, root.id) as Record<string, unknown>;
  while (pending.length > 0) {
    const doc = pending.shift() as SideDocument;
    // Its identity is the $defs key; a changed $id or dialect there would only be noise.
    const { $id: _id, $schema: _dialect, ...body } = doc.schema;
    included.set(doc.id, rewrite(body, doc.id));
  }
  if (included.size > 0) {
    const ownDefs = typeof result.$defs === "object" && result.$defs !== null ? result.$defs : {};
    result.$defs = { ...ownDefs, ...Object.fromEntries(included) };
  }
  return result;
}

/**
 * The file and pointer a pointer of `selfContained(root, …)` came from: inside an included document
 * (`/$defs/<$id>/...`), or in the root itself.
 */
export function sourceOf(pointer: string, root: SideDocument, sides: readonly CatalogSide[]): { file: string; pointer: string } {
  const match = /^\/\$defs\/([^/]+)(.*)$/.exec(pointer);
  if (match !== null) {
    const id = (match[1] as string).replace(/~1/g, "/").replace(/~0/g, "~");
    for (const side of sides) {
      const doc = side.documents.get(id);
      if (doc !== undefined && id !== root.id) return { file: doc.file, pointer: match[2] as string };
    }
  }
  return { file: root.file, pointer };
}
