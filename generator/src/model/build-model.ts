/**
 * Checked documents → the intermediate model: every named target's schema translated to a
 * TypeNode, then the sorted event and definition records. Conversion reports what only it can
 * find (unresolvable or inner `$ref`s, object literals in `const`/`enum`) as catalog issues, so
 * loading can list them with all the others.
 */

import { compareCodeUnits } from "../schema/compare.js";
import type { CheckedDocument } from "../schema/document.js";
import type { CatalogIssue } from "../schema/issues.js";
import { resolveRef } from "../schema/resolve-ref.js";
import { bundleSchema } from "./bundle.js";
import type { CatalogModel, DefinitionModel, EventModel } from "./catalog-model.js";
import { type NamedTarget, targetKey } from "./named-targets.js";
import { type ConvertContext, schemaToType } from "./schema-to-type.js";
import type { TypeNode } from "./type-ir.js";
import { plainTypeName } from "./version-names.js";

/** The documents conversion reads, by `$id`, and those whose own checks failed (references to them are not reported again). */
export interface DocumentIndex {
  readonly byId: ReadonlyMap<string, unknown>;
  readonly failedIds: ReadonlySet<string>;
}

/** The TypeNode of every named target; problems go to `issues`. */
export function convertTargets(
  targets: ReadonlyMap<string, NamedTarget>,
  documents: DocumentIndex,
  issues: CatalogIssue[],
): Map<NamedTarget, TypeNode> {
  const types = new Map<NamedTarget, TypeNode>();
  for (const target of targets.values()) types.set(target, convertTarget(target, targets, documents, issues));
  return types;
}

function convertTarget(
  target: NamedTarget,
  targets: ReadonlyMap<string, NamedTarget>,
  documents: DocumentIndex,
  issues: CatalogIssue[],
): TypeNode {
  const file = target.document.file;
  const ctx: ConvertContext = {
    issue: (pointer, message, fix) => issues.push({ file, pointer, message, fix }),
    refType(ref, pointer) {
      const resolved = resolveRef(ref, target.document.id, documents.byId);
      if (documents.failedIds.has(resolved.documentId)) return { kind: "unknown" };
      if (resolved.schema === undefined) {
        const what = documents.byId.has(resolved.documentId) ? `has no ${resolved.pointer || "root"}` : "is not a catalog file";
        issues.push({
          file,
          pointer,
          message: `$ref "${ref}" does not resolve (${resolved.documentId} ${what})`,
          fix: "point it at an existing file under defs/ or events/ (relative to this file), optionally with #/$defs/<name>",
        });
        return { kind: "unknown" };
      }
      const named = targets.get(targetKey(resolved.documentId, resolved.pointer));
      if (named === undefined) {
        issues.push({
          file,
          pointer,
          message: `$ref "${ref}" points inside a schema (${resolved.pointer})`,
          fix: "reference a whole file or a top-level #/$defs/<name> entry so the shape gets one type name",
        });
        return { kind: "unknown" };
      }
      return { kind: "ref", typeName: named.typeName };
    },
  };
  return schemaToType(target.schema, target.pointer, ctx);
}

/** The model of a catalog without issues: events sorted by type then version, definitions by type name. */
export function buildModel(
  documents: readonly CheckedDocument[],
  targets: ReadonlyMap<string, NamedTarget>,
  types: ReadonlyMap<NamedTarget, TypeNode>,
  documentsById: ReadonlyMap<string, unknown>,
): CatalogModel {
  const latest = new Map<string, number>();
  for (const doc of documents) {
    if (doc.event) latest.set(doc.event.type, Math.max(latest.get(doc.event.type) ?? 0, doc.event.version));
  }
  const events: EventModel[] = [];
  const definitions: DefinitionModel[] = [];
  for (const target of targets.values()) {
    const type = types.get(target) ?? { kind: "unknown" };
    const event = target.pointer === "" ? target.document.event : undefined;
    const description =
      typeof (target.schema as { description?: unknown }).description === "string"
        ? (target.schema as { description: string }).description
        : undefined;
    if (event === undefined) {
      definitions.push({
        typeName: target.typeName,
        description,
        file: target.document.file,
        uri: targetKey(target.document.id, target.pointer),
        type,
      });
      continue;
    }
    const schema = target.document.schema;
    events.push({
      type: event.type,
      version: event.version,
      domain: event.domain,
      typeName: target.typeName,
      plainName: plainTypeName(target.document.title, event.version),
      description: description ?? "",
      deprecated: schema.deprecated === true,
      latest: latest.get(event.type) === event.version,
      file: target.document.file,
      id: target.document.id,
      schema,
      bundledSchema: bundleSchema(target, targets, documentsById),
      examples: Array.isArray(schema.examples) ? schema.examples : [],
      payload: type,
    });
  }
  events.sort((a, b) => compareCodeUnits(a.type, b.type) || a.version - b.version);
  definitions.sort((a, b) => compareCodeUnits(a.typeName, b.typeName));
  const docs = new Map(documents.map((doc) => [doc.id, doc.schema]));
  return { events, definitions, documents: docs };
}
