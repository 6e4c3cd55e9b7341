/**
 * The load phase's entry point: reads the catalog, runs every check, hands the checked documents
 * to `model/` (whose conversion reports the reference problems only it can see), then checks the
 * documents with ajv one by one (each file that loads, whatever the others' problems), and reads the converter modules beside the schemas. Throws one
 * CatalogError listing every problem found, never just the first.
 */

import type { Ajv2020 } from "ajv/dist/2020.js";
import { buildModel, convertTargets } from "../model/build-model.js";
import type { CatalogModel } from "../model/catalog-model.js";
import { type NamedTarget, collectNamedTargets } from "../model/named-targets.js";
import { plainTypeName, versionTypeName } from "../model/version-names.js";
import type { CheckedDocument } from "../schema/document.js";
import { CatalogError, type CatalogIssue, sortIssues } from "../schema/issues.js";
import { pointerJoin } from "../schema/json-pointer.js";
import type { RuleSeverities } from "../schema/lint-rules.js";
import { applySeverities } from "./apply-severities.js";
import { RESERVED_TYPE_NAMES } from "../schema/rules.js";
import { walkSchema } from "../schema/walk.js";
import { addDocuments, createAjv } from "./ajv.js";
import { catalogBaseUri, checkDocument } from "./check-documents.js";
import { checkWithAjv } from "./check-with-ajv.js";
import { readCatalog } from "./read-catalog.js";
import { readConverters } from "./read-converters.js";

/** A checked catalog: its model, and the ajv instance that compiled every schema while checking it. */
export interface LoadedCatalog {
  readonly model: CatalogModel;
  /** Emit turns these compiled validators into standalone code instead of compiling every schema again. */
  readonly validators: Ajv2020;
  /**
   * Problems of the converter modules when the schemas have none: the caller still renders the
   * catalog's types.ts (which the converters are written against) before reporting them.
   */
  readonly converterIssues: readonly CatalogIssue[];
  /** Problems of rules configured as `"warning"`: printed, never failing. */
  readonly warnings: readonly CatalogIssue[];
}

export async function loadCheckedCatalog(catalogDir: string, rules: RuleSeverities = {}): Promise<LoadedCatalog> {
  const read = await readCatalog(catalogDir);
  const issues: CatalogIssue[] = [...read.issues];
  // One ajv checks every file against the meta-schema, then compiles the validators emit prints.
  const ajv = createAjv();

  const baseUri = catalogBaseUri(read.files);
  const checked = read.files
    .map((file) => checkDocument(ajv, file, baseUri, issues))
    .filter((doc): doc is CheckedDocument => doc !== undefined);
  const documents = uniqueDocuments(checked, issues);
  const documentsById = new Map(documents.map((doc) => [doc.id, doc.schema as unknown]));
  // Files that failed their own checks already have issues; references to them are not reported again.
  const failedIds = new Set(
    read.files
      .map((f) => (f.json as { $id?: unknown } | null)?.$id)
      .filter((id): id is string => typeof id === "string" && !documentsById.has(id)),
  );
  const targets = collectNamedTargets(documents);
  checkUniqueTypeNames(targets, issues);
  checkUniquePlainNames(documents, targets, issues);
  checkUniqueEvents(documents, issues);

  const beforeRefs = issues.length;
  const types = convertTargets(targets, { byId: documentsById, failedIds }, issues);
  // A file whose own references do not resolve cannot compile; every other file still does.
  const unresolved = new Set(issues.slice(beforeRefs).map((issue) => issue.file));
  const events = documents.flatMap((doc) => (doc.event === undefined ? [] : [{ ...doc.event, title: doc.title, file: doc.file }]));
  const converterIssues: CatalogIssue[] = [];
  const converters = await readConverters(catalogDir, events, converterIssues);
  checkNestedIds(documents, issues);
  addDocuments(
    ajv,
    documents.map((doc) => doc.schema),
    { checked: true },
  );
  checkWithAjv(ajv, documents, unresolved, issues);
  // Problems of rules configured as warnings do not fail loading; those turned off are dropped.
  const { errors, warnings } = applySeverities(issues, rules);
  if (errors.length > 0) throw new CatalogError(catalogDir, sortIssues([...errors, ...converterIssues]));

  return {
    model: { ...buildModel(documents, targets, types, documentsById), converters },
    validators: ajv,
    converterIssues,
    warnings: sortIssues(warnings),
  };
}

function uniqueDocuments(documents: readonly CheckedDocument[], issues: CatalogIssue[]): CheckedDocument[] {
  const byId = new Map<string, CheckedDocument>();
  for (const doc of documents) {
    const first = byId.get(doc.id);
    if (first === undefined) byId.set(doc.id, doc);
    else
      issues.push({
        file: doc.file,
        pointer: "/$id",
        message: `repeats the $id of ${first.file}`,
        fix: "give every file its own $id (base URI + its path)",
      });
  }
  return [...byId.values()];
}

function checkUniqueTypeNames(targets: ReadonlyMap<string, NamedTarget>, issues: CatalogIssue[]): void {
  const byName = new Map<string, NamedTarget>();
  for (const target of targets.values()) {
    const pointer = target.pointer === "" ? "/title" : target.pointer;
    if (RESERVED_TYPE_NAMES.has(target.typeName)) {
      issues.push({
        file: target.document.file,
        pointer,
        message: `type name "${target.typeName}" is reserved for the generated modules`,
        fix: "choose another title",
      });
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

/**
 * The plain name of each event type (its newest version's title without `V<n>`) is declared as an
 * alias, so it must not clash with a declared type, a reserved name, or another type's plain name.
 */
function checkUniquePlainNames(
  documents: readonly CheckedDocument[],
  targets: ReadonlyMap<string, NamedTarget>,
  issues: CatalogIssue[],
): void {
  const newest = new Map<string, CheckedDocument>();
  for (const doc of documents) {
    if (doc.event === undefined) continue;
    const current = newest.get(doc.event.type);
    if (current?.event === undefined || current.event.version < doc.event.version) newest.set(doc.event.type, doc);
  }
  const declared = new Map([...targets.values()].map((target) => [target.typeName, target] as const));
  const plain = new Map<string, CheckedDocument>();
  for (const doc of newest.values()) {
    if (doc.event === undefined) continue;
    const name = plainTypeName(doc.title, doc.event.version);
    const clash = declared.get(name);
    const other = plain.get(name);
    const reserved = RESERVED_TYPE_NAMES.has(name);
    const problem = reserved
      ? "is reserved for the generated modules"
      : clash !== undefined
        ? `is already used by ${clash.document.file}#${clash.pointer}`
        : other !== undefined
          ? `is also the plain name of ${other.file}`
          : undefined;
    plain.set(name, doc);
    if (problem === undefined) continue;
    issues.push({
      file: doc.file,
      pointer: "/title",
      message: `type name "${name}" (the plain name of ${doc.event.type}, an alias of ${versionTypeName(doc.title, doc.event.version)}) ${problem}`,
      fix: reserved
        ? "choose another title"
        : "give one of them a different title; titles become TypeScript type names and must be unique across the catalog",
    });
  }
}

function checkUniqueEvents(documents: readonly CheckedDocument[], issues: CatalogIssue[]): void {
  const seen = new Map<string, string>();
  for (const doc of documents) {
    if (doc.event === undefined) continue;
    const key = `${doc.event.type}@${doc.event.version}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, doc.file);
    else
      issues.push({
        file: doc.file,
        pointer: "/x-hookline",
        message: `event ${doc.event.type} version ${doc.event.version} is also defined by ${first}`,
        fix: "bump the version or remove the duplicate file",
      });
  }
}

/** `$ref`s resolve against the document `$id`; a nested `$id` would silently change that base. */
function checkNestedIds(documents: readonly CheckedDocument[], issues: CatalogIssue[]): void {
  for (const doc of documents) {
    walkSchema(doc.schema, "", (schema, pointer) => {
      if (pointer !== "" && "$id" in schema) {
        issues.push({
          file: doc.file,
          pointer: pointerJoin(pointer, "$id"),
          message: "nested $id is not supported",
          fix: "move the subschema into its own file under defs/ and $ref it",
        });
      }
    });
  }
}
