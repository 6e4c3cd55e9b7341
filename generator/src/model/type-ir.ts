/**
 * A small, closed description of TypeScript types derived from JSON Schema.
 *
 * Schemas are translated into these nodes first (model/schema-to-type.ts), and the types emitter
 * turns nodes into TypeScript syntax. Keeping the two apart means unsupported schema features fail
 * while building the model, with a file and JSON pointer, instead of half-way through printing.
 */

export type TypeNode =
  | { readonly kind: "unknown" }
  | { readonly kind: "never" }
  | { readonly kind: "primitive"; readonly name: "string" | "number" | "boolean" | "null" | "undefined" }
  | { readonly kind: "literal"; readonly value: string | number | boolean | null }
  | { readonly kind: "ref"; readonly typeName: string }
  | { readonly kind: "array"; readonly items: TypeNode }
  | { readonly kind: "tuple"; readonly items: readonly TypeNode[]; readonly rest: TypeNode | undefined }
  | { readonly kind: "union"; readonly members: readonly TypeNode[] }
  | { readonly kind: "intersection"; readonly members: readonly TypeNode[] }
  | ObjectTypeNode;

export interface PropertyNode {
  readonly name: string;
  readonly required: boolean;
  readonly type: TypeNode;
  readonly docs: DocInfo;
}

export interface ObjectTypeNode {
  readonly kind: "object";
  readonly properties: readonly PropertyNode[];
  /** Type of keys not listed in `properties`; undefined when the object is closed. */
  readonly indexType: TypeNode | undefined;
}

/** What becomes a JSDoc comment. */
export interface DocInfo {
  readonly description?: string | undefined;
  readonly format?: string | undefined;
  readonly deprecated?: boolean | undefined;
  readonly source?: string | undefined;
}

export const unknownType: TypeNode = { kind: "unknown" };
