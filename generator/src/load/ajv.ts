/** The one ajv configuration used to check the catalog and to compile standalone validators. */

import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { HOOKLINE_ANNOTATION } from "./rules.js";

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
