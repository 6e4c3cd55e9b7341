/**
 * load → model: reads the catalog, runs every check, and builds the intermediate model.
 * Throws one CatalogError listing every problem found, never just the first.
 */

import type { Ajv2020 } from "ajv/dist/2020.js";
import type { CatalogModel, DefinitionModel, EventModel } from "../model/catalog-model.js";
import { bundleSchema } from "../model/bundle.js";
import { type NamedTarget, collectNamedTargets, targetKey } from "../model/named-targets.js";
import { type ConvertContext, schemaToType } from "../model/schema-to-type.js";
import type { TypeNode } from "../model/type-ir.js";
import { addDocuments, createAjv, rememberCompiledValidators } from "./ajv.js";
import { type CheckedDocument, checkDocument } from "./check-documents.js";
import { CatalogError, type CatalogIssue, sortIssues } from "./issues.js";
import { pointerJoin } from "./json-pointer.js";
import { readCatalog } from "./read-catalog.js";
import { resolveRef } from "./resolve-ref.js";
import { RESERVED_TYPE_NAMES } from "./rules.js";
import { walkSchema } from "./walk.js";

export async function loadCatalog(catalogDir: string): Promise<CatalogModel> {
  const read = await readCatalog(catalogDir);
  const issues: CatalogIssue[] = [...read.issues];
  // One ajv checks every file against the meta-schema, then compiles the validators emit prints.
  const ajv = createAjv();

  const checked = read.files
    .map((file) => checkDocument(ajv, file, issues))
    .filter((doc): doc is CheckedDocument => doc !== undefined);
  const documents = uniqueDocuments(checked, issues);
  const documentsById = new Map(documents.map((doc) => [doc.id, doc.schema as unknown]));
  // Files that failed their own checks already have issues; references to them are not reported again.
  const failedIds = new Set(read.files.map((f) => (f.json as { $id?: unknown } | null)?.$id).filter((id): id is string => typeof id === "string" && !documentsById.has(id)));
  const targets = collectNamedTargets(documents);
  checkUniqueTypeNames(targets, issues);
  checkUniqueEvents(documents, issues);

  const types = new Map<NamedTarget, TypeNode>();
  for (const target of targets.values()) {
    types.set(target, convertTarget(target, targets, documentsById, failedIds, issues));
  }
  checkNestedIds(documents, issues);
  if (issues.length === 0) {
    addDocuments(ajv, documents.map((doc) => doc.schema), { checked: true });
    checkWithAjv(ajv, documents, issues);
  }
  if (issues.length > 0) throw new CatalogError(catalogDir, sortIssues(issues));

  const model = buildModel(documents, targets, types, documentsById);
  rememberCompiledValidators(model, ajv);
  return model;
}

function uniqueDocuments(documents: readonly CheckedDocument[], issues: CatalogIssue[]): CheckedDocument[] {
  const byId = new Map<string, CheckedDocument>();
  for (const doc of documents) {
    const first = byId.get(doc.id);
    if (first === undefined) byId.set(doc.id, doc);
    else issues.push({ file: doc.file, pointer: "/$id", message: `repeats the $id of ${first.file}`, fix: "give every file its own $id (base URI + its path)" });
  }
  return [...byId.values()];
}

function checkUniqueTypeNames(targets: ReadonlyMap<string, NamedTarget>, issues: CatalogIssue[]): void {
  const byName = new Map<string, NamedTarget>();
  for (const target of targets.values()) {
    const pointer = target.pointer === "" ? "/title" : target.pointer;
    if (RESERVED_TYPE_NAMES.has(target.typeName)) {
      issues.push({ file: target.document.file, pointer, message: `type name "${target.typeName}" is reserved for the generated modules`, fix: "choose another title" });
    }
    const first = byName.get(target.typeName);
    if (first === undefined) byName.set(target.typeName, target);
    else {
      issues.push({
        file: target.document.file,
        pointer,
        message: `type name "${target.typeName}" is already used by ${first.document.file}#${first.pointer}`,
        fix: "give one of them a different title; titles become TypeScript type names and must be unique across the catalog",
      });
    }
  }
}

function checkUniqueEvents(documents: readonly CheckedDocument[], issues: CatalogIssue[]): void {
  const seen = new Map<string, string>();
  for (const doc of documents) {
    if (doc.event === undefined) continue;
    const key = `${doc.event.type}@${doc.event.version}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, doc.file);
    else issues.push({ file: doc.file, pointer: "/x-hookline", message: `event ${doc.event.type} version ${doc.event.version} is also defined by ${first}`, fix: "bump the version or remove the duplicate file" });
  }
}

/** `$ref`s resolve against the document `$id`; a nested `$id` would silently change that base. */
function checkNestedIds(documents: readonly CheckedDocument[], issues: CatalogIssue[]): void {
  for (const doc of documents) {
    walkSchema(doc.schema, "", (schema, pointer) => {
      if (pointer !== "" && "$id" in schema) {
        issues.push({ file: doc.file, pointer: pointerJoin(pointer, "$id"), message: "nested $id is not supported", fix: "move the subschema into its own file under defs/ and $ref it" });
      }
    });
  }
}

function convertTarget(
  target: NamedTarget,
  targets: ReadonlyMap<string, NamedTarget>,
  documentsById: ReadonlyMap<string, unknown>,
  failedIds: ReadonlySet<string>,
  issues: CatalogIssue[],
): TypeNode {
  const file = target.document.file;
  const ctx: ConvertContext = {
    issue: (pointer, message, fix) => issues.push({ file, pointer, message, fix }),
    refType(ref, pointer) {
      const resolved = resolveRef(ref, target.document.id, documentsById);
      if (failedIds.has(resolved.documentId)) return { kind: "unknown" };
      if (resolved.schema === undefined) {
        const what = documentsById.has(resolved.documentId) ? `has no ${resolved.pointer || "root"}` : "is not a catalog file";
        issues.push({ file, pointer, message: `$ref "${ref}" does not resolve (${resolved.documentId} ${what})`, fix: "point it at an existing file under defs/ or events/ (relative to this file), optionally with #/$defs/<name>" });
        return { kind: "unknown" };
      }
      const named = targets.get(targetKey(resolved.documentId, resolved.pointer));
      if (named === undefined) {
        issues.push({ file, pointer, message: `$ref "${ref}" points inside a schema (${resolved.pointer})`, fix: "reference a whole file or a top-level #/$defs/<name> entry so the shape gets one type name" });
        return { kind: "unknown" };
      }
      return { kind: "ref", typeName: named.typeName };
    },
  };
  return schemaToType(target.schema, target.pointer, ctx);
}

/** ajv strict mode catches what the meta-schema allows but is almost certainly a mistake; examples must validate. */
function checkWithAjv(ajv: Ajv2020, documents: readonly CheckedDocument[], issues: CatalogIssue[]): void {
  for (const doc of documents) {
    let validate;
    try {
      validate = ajv.getSchema(doc.id);
    } catch (error) {
      issues.push({ file: doc.file, pointer: "", message: `does not compile in strict mode: ${(error as Error).message}`, fix: "remove unknown keywords and fix the reported construct (see https://ajv.js.org/strict-mode.html)" });
      continue;
    }
    if (validate === undefined || doc.event === undefined) continue;
    const examples = doc.schema.examples;
    if (!Array.isArray(examples)) continue;
    examples.forEach((example, i) => {
      if (validate(example)) return;
      for (const error of validate.errors ?? []) {
        issues.push({
          file: doc.file,
          pointer: pointerJoin("", "examples", i) + error.instancePath,
          message: `example ${i} is invalid: ${error.message ?? error.keyword}${describeParams(error.params)}`,
          fix: "correct the example so it matches the schema (examples ship in the SDK metadata and documentation)",
        });
      }
    });
  }
}

function describeParams(params: Record<string, unknown>): string {
  const detail = params.missingProperty ?? params.additionalProperty ?? params.allowedValues;
  return detail === undefined ? "" : ` (${JSON.stringify(detail)})`;
}

function buildModel(
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
    const description = typeof (target.schema as { description?: unknown }).description === "string" ? ((target.schema as { description: string }).description) : undefined;
    if (event === undefined) {
      definitions.push({ typeName: target.typeName, description, file: target.document.file, uri: targetKey(target.document.id, target.pointer), type });
      continue;
    }
    const schema = target.document.schema;
    events.push({
      type: event.type,
      version: event.version,
      domain: event.domain,
      typeName: target.typeName,
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
  events.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : a.version - b.version));
  definitions.sort((a, b) => (a.typeName < b.typeName ? -1 : a.typeName > b.typeName ? 1 : 0));
  const docs = new Map(documents.map((doc) => [doc.id, doc.schema]));
  return { events, definitions, documents: docs };
}
