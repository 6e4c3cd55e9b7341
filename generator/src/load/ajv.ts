/** The one ajv configuration used to check the catalog and to compile standalone validators. */

import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { SchemaObject } from "../schema/document.js";
import { HOOKLINE_ANNOTATION } from "../schema/rules.js";
import { isObject, schemaPlacement } from "../schema/walk.js";

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** Standalone mode: the validators compiled to check the catalog are the ones emit prints as code. */
export function createAjv(options: { readonly strict?: boolean } = {}): Ajv2020 {
  const ajv = new Ajv2020({
    // Lenient (`strict: false`) only to check examples of a document strict mode refused.
    strict: options.strict ?? true,
    allErrors: true,
    allowUnionTypes: true,
    // Shared definitions compile to one function each instead of being inlined into every event.
    inlineRefs: false,
    loopRequired: 2,
    // Validators must report every problem so users see all JSON paths at fault at once.
    code: { source: true, esm: true, lines: true, optimize: true },
    // Payload validation never depends on environment-specific regexps.
    unicodeRegExp: true,
  });
  addFormats(ajv);
  ajv.addKeyword({ keyword: HOOKLINE_ANNOTATION, schemaType: "object" });
  return ajv;
}

/** A standalone-mode ajv holding every catalog document (compiles the validators of a model loading did not check). */
export function createStandaloneAjv(documents: Iterable<SchemaObject>): Ajv2020 {
  const ajv = createAjv();
  addDocuments(ajv, documents, { checked: false });
  return ajv;
}

/**
 * Adds catalog documents, annotations left out (validation does not need them). `checked`: this
 * ajv already validated each of them against the meta-schema (`validateSchema`), so adding them
 * does not do it again. The meta-schema is compiled in this ajv either way, before any document:
 * the names in the generated code are numbered in compile order.
 */
export function addDocuments(ajv: Ajv2020, documents: Iterable<SchemaObject>, options: { readonly checked: boolean }): void {
  for (const schema of documents) ajv.addSchema(withoutAnnotations(schema) as SchemaObject, undefined, undefined, !options.checked);
}

/**
 * A copy of a schema without annotation keywords, at every place `walkSchema` visits. Built key by
 * key (not cloned, then deleted from) so ajv compiles plain objects; values that are data, not
 * schemas (`const`, `enum`, `required`, ...), are shared with the document, which nothing mutates.
 */
function withoutAnnotations(schema: unknown): unknown {
  if (!isObject(schema)) return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([keyword]) => !ANNOTATIONS.has(keyword))
      .map(([keyword, value]) => [keyword, withoutAnnotationsIn(keyword, value)]),
  );
}

function withoutAnnotationsIn(keyword: string, value: unknown): unknown {
  switch (schemaPlacement(keyword)) {
    case "single":
      return withoutAnnotations(value);
    case "map":
      return isObject(value) ? Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, withoutAnnotations(sub)])) : value;
    case "list":
      return Array.isArray(value) ? value.map(withoutAnnotations) : value;
    case undefined:
      return value;
  }
}

const ANNOTATIONS = new Set(["title", "description", "examples", "$comment", "deprecated", HOOKLINE_ANNOTATION]);
