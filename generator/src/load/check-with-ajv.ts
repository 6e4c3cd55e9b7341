/**
 * The ajv phase of loading: each document is compiled on its own in strict mode, and each event's
 * examples are validated, so a problem in one file never hides another file's. Strict-mode errors
 * point at the keyword at fault.
 */

import type { Ajv2020 } from "ajv/dist/2020.js";
import type { CheckedDocument } from "../schema/document.js";
import type { CatalogIssue } from "../schema/issues.js";
import { pointerJoin } from "../schema/json-pointer.js";
import { walkSchema } from "../schema/walk.js";
import { addDocuments, createAjv } from "./ajv.js";

const FIX_STRICT = "remove unknown keywords and fix the reported construct (see https://ajv.js.org/strict-mode.html)";

/**
 * Compiles every document in `ajv` (which already holds them, in this order: the names in the
 * generated code are numbered in compile order) and checks the examples. A document that does not
 * compile in strict mode (a typo in it, or in a file it references) still has its examples checked
 * by a lenient ajv. `skipFiles`: files whose own references do not resolve (already reported).
 */
export function checkWithAjv(
  ajv: Ajv2020,
  documents: readonly CheckedDocument[],
  skipFiles: ReadonlySet<string>,
  issues: CatalogIssue[],
): void {
  let lenient: Ajv2020 | undefined;
  for (const doc of documents) {
    if (skipFiles.has(doc.file)) continue;
    let validate: ReturnType<Ajv2020["getSchema"]>;
    try {
      validate = ajv.getSchema(doc.id);
    } catch (error) {
      // A reference that does not resolve is the model's to report (or the referenced file's own problem).
      if ("missingRef" in (error as object)) continue;
      issues.push(...strictModeIssues(doc, documents, (error as Error).message));
      lenient ??= createLenientAjv(documents);
      try {
        validate = lenient.getSchema(doc.id);
      } catch {
        continue;
      }
    }
    // Event files (even one whose x-hookline is wrong) ship their examples; definitions' examples are documentation.
    if (validate === undefined || !doc.file.startsWith("events/")) continue;
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

/** A non-strict ajv with every document: validates examples of documents strict mode refused. */
function createLenientAjv(documents: readonly CheckedDocument[]): Ajv2020 {
  const lenient = createAjv({ strict: false });
  addDocuments(
    lenient,
    documents.map((doc) => doc.schema),
    { checked: true },
  );
  return lenient;
}

/**
 * Where a strict-mode error is: ajv names the schema path for some errors (`at "<uri>#/a/b"`); for an
 * unknown keyword it names only the keyword, found here by walking the document. An error that
 * comes from a referenced document is reported there, once, when that document is compiled.
 */
function strictModeIssues(doc: CheckedDocument, documents: readonly CheckedDocument[], raw: string): CatalogIssue[] {
  const message = `does not compile in strict mode: ${raw.replace(/^strict mode: /, "").replace(/ at (path )?"[^"]*"/, "")}`;
  // The keyword at fault, when the message names it: `for keyword "minLength"`, `"prefixItems" is 1-tuple`, `required property`.
  const keywordAtFault =
    /for keyword "([^"]+)"/.exec(raw)?.[1] ??
    /^strict mode: "([^"]+)"/.exec(raw)?.[1] ??
    (/required property/.test(raw) ? "required" : undefined);
  const at = / at (?:path )?"([^"]*)"/.exec(raw)?.[1];
  if (at !== undefined) {
    const hash = at.indexOf("#");
    const base = hash === -1 ? at : at.slice(0, hash);
    const fragment = hash === -1 ? "" : decodeURIComponent(at.slice(hash + 1));
    const owner = base === "" ? doc : documents.find((d) => d.id === base);
    if (owner !== undefined && owner !== doc) return [];
    const pointer = keywordAtFault === undefined ? fragment : pointerJoin(fragment, keywordAtFault);
    return [{ file: doc.file, pointer, message, fix: FIX_STRICT }];
  }
  const keyword = /unknown keyword: "([^"]+)"/.exec(raw)?.[1];
  if (keyword === undefined) return [{ file: doc.file, pointer: "", message, fix: FIX_STRICT }];
  const pointers: string[] = [];
  walkSchema(doc.schema, "", (schema, pointer) => {
    if (keyword in schema) pointers.push(pointerJoin(pointer, keyword));
  });
  // Not in this document: it is in a document this one references, which reports it itself.
  return pointers.map((pointer) => ({
    file: doc.file,
    pointer,
    message: `unknown keyword "${keyword}" (strict mode)`,
    fix: `remove "${keyword}" or correct its spelling (see https://ajv.js.org/strict-mode.html)`,
  }));
}

function describeParams(params: Record<string, unknown>): string {
  const detail = params.missingProperty ?? params.additionalProperty ?? params.allowedValues;
  return detail === undefined ? "" : ` (${JSON.stringify(detail)})`;
}
