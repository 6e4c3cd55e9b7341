/** The one ajv configuration used to check the catalog and to compile standalone validators. */

import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { SchemaObject } from "../model/catalog-model.js";
import { HOOKLINE_ANNOTATION } from "./rules.js";
import { walkSchema } from "./walk.js";

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export function createAjv(options: { readonly standalone: boolean }): Ajv2020 {
  const ajv = new Ajv2020({
    strict: true,
    allErrors: true,
    allowUnionTypes: true,
    // Shared definitions compile to one function each instead of being inlined into every event.
    inlineRefs: !options.standalone,
    // Validators must report every problem so users see all JSON paths at fault at once.
    code: options.standalone ? { source: true, esm: true, lines: true, optimize: true } : { optimize: false },
    // Payload validation never depends on environment-specific regexps.
    unicodeRegExp: true,
  });
  addFormats(ajv);
  ajv.addKeyword({ keyword: HOOKLINE_ANNOTATION, schemaType: "object" });
  return ajv;
}

/**
 * The ajv instance that checked a catalog, kept per model so `emit` turns the same compiled
 * validators into standalone code instead of compiling every schema a second time.
 */
const compiledByModel = new WeakMap<object, Ajv2020>();

export function rememberCompiledValidators(model: object, ajv: Ajv2020): void {
  compiledByModel.set(model, ajv);
}

export function compiledValidatorsOf(model: object): Ajv2020 | undefined {
  return compiledByModel.get(model);
}

/** A standalone-mode ajv holding every catalog document, annotations left out (validation does not need them). */
export function createStandaloneAjv(documents: Iterable<SchemaObject>): Ajv2020 {
  const ajv = createAjv({ standalone: true });
  for (const schema of documents) ajv.addSchema(withoutAnnotations(schema));
  return ajv;
}

function withoutAnnotations(schema: SchemaObject): SchemaObject {
  const copy = structuredClone(schema) as Record<string, unknown>;
  walkSchema(copy, "", (sub) => {
    for (const keyword of ANNOTATIONS) delete sub[keyword];
  });
  return copy;
}

const ANNOTATIONS = ["title", "description", "examples", "$comment", "deprecated", HOOKLINE_ANNOTATION];
