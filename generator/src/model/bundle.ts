/**
 * Makes an event schema self-contained for the SDK metadata and the server's event-type API:
 * every named schema it reaches is copied under the root `$defs`, keyed by its type name, and
 * every `$ref` is rewritten to `#/$defs/<TypeName>`.
 */

import { compareCodeUnits } from "../schema/compare.js";
import type { SchemaObject } from "../schema/document.js";
import { resolveRef } from "../schema/resolve-ref.js";
import { HOOKLINE_ANNOTATION } from "../schema/rules.js";
import { isObject } from "../schema/walk.js";
import { type NamedTarget, targetKey } from "./named-targets.js";

export function bundleSchema(
  root: NamedTarget,
  targets: ReadonlyMap<string, NamedTarget>,
  documents: ReadonlyMap<string, unknown>,
): SchemaObject {
  const defs = new Map<string, unknown>();
  const pending: NamedTarget[] = [];

  const rewrite = (value: unknown, baseId: string): unknown => {
    if (Array.isArray(value)) return value.map((item) => rewrite(item, baseId));
    if (!isObject(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      if (key === "$ref" && typeof child === "string") {
        const resolved = resolveRef(child, baseId, documents);
        const target = targets.get(targetKey(resolved.documentId, resolved.pointer));
        if (target === undefined) throw new Error(`unresolved $ref ${child} survived the catalog checks`);
        if (target !== root && !defs.has(target.typeName)) {
          defs.set(target.typeName, undefined);
          pending.push(target);
        }
        out[key] = target === root ? "#" : `#/$defs/${target.typeName}`;
      } else if (key === "examples" || key === "const" || key === "enum" || key === "default") {
        out[key] = child; // data, not schema: never rewritten
      } else {
        out[key] = rewrite(child, baseId);
      }
    }
    return out;
  };

  const strip = (schema: unknown): unknown => {
    if (!isObject(schema)) return schema;
    const { $defs: _defs, $id: _id, $schema: _dialect, [HOOKLINE_ANNOTATION]: _annotation, ...rest } = schema;
    return rest;
  };

  const body = rewrite(strip(root.schema), root.document.id) as Record<string, unknown>;
  while (pending.length > 0) {
    const target = pending.shift() as NamedTarget;
    defs.set(target.typeName, rewrite(strip(target.schema), target.document.id));
  }
  const bundled: Record<string, unknown> = { $schema: root.document.schema.$schema, $id: root.document.id, ...body };
  if (defs.size > 0) {
    bundled.$defs = Object.fromEntries([...defs.entries()].sort(([a], [b]) => compareCodeUnits(a, b)));
  }
  return bundled;
}
