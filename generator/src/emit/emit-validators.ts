/**
 * validators.ts: ajv standalone code, one precompiled validator per event type, so SDKs validate
 * payloads without compiling schemas (or calling `eval`/`new Function`) at run time.
 */

import type { Ajv2020 } from "ajv/dist/2020.js";
import standaloneModule from "ajv/dist/standalone/index.js";
import { StructureKind } from "ts-morph";
import type { CatalogModel } from "../model/catalog-model.js";
import { compareCodeUnits } from "../schema/compare.js";
import { compactValidators } from "./compact-validators.js";
import { type RuntimeRequest, runtimeExpression, VALIDATOR_RUNTIME_MODULE } from "./emit-validator-runtime.js";
import { formattedJsDoc } from "./jsdoc.js";
import { propertyNameText } from "./print-type.js";
import type { RenderPiece } from "./render-piece.js";

// ajv's standalone module is CommonJS; under NodeNext its default import is the module object.
const standaloneCode = (standaloneModule as unknown as { default: (ajv: unknown, refs: Record<string, string>) => string }).default;

/** Leading line of validators.ts: the ajv part is untyped JavaScript; its public export is typed. */
export const VALIDATORS_PRAGMA = "// @ts-nocheck -- ajv standalone output is plain JavaScript; the `validators` export is typed.";

const exportName = (typeName: string) => `validate${typeName}`;

/**
 * `validators` is an ajv instance holding every document of `model` in standalone mode (the one that
 * checked the catalog, so no schema is compiled twice); the code of each latest event's validator
 * is taken from it, made smaller (`compactValidators`) and made to import ajv's run-time helpers
 * from the generated validator-runtime.ts. `runtimeRequests` lists those helpers (empty: no
 * validator-runtime.ts).
 */
export function emitValidators(
  model: CatalogModel,
  validators: Ajv2020,
  options: { readonly runtime: string },
): { readonly pieces: RenderPiece[]; readonly runtimeRequests: readonly RuntimeRequest[] } {
  const latest = model.events.filter((e) => e.latest);
  const code = standaloneCode(validators, Object.fromEntries(latest.map((e) => [exportName(e.typeName), e.id])));
  const { code: esm, requests } = esmImports(code);
  return {
    pieces: [
      { kind: StructureKind.ImportDeclaration, moduleSpecifier: options.runtime, isTypeOnly: true, namedImports: ["CompiledValidator"] },
      { verbatim: compactValidators(esm) },
      { verbatim: validatorsMap(latest.map((e) => [propertyNameText(e.type), exportName(e.typeName)])) },
    ],
    runtimeRequests: requests,
  };
}

/**
 * `export const validators: Readonly<{ ... }> = { ... };`, written as text: a line per event type
 * twice over is too much for ts-morph's code writer in a large catalog. The indentation is the one
 * that writer produced (this file is not formatted), kept so that output does not change.
 */
function validatorsMap(entries: ReadonlyArray<readonly [key: string, validator: string]>): string {
  const docs = formattedJsDoc({ description: "The precompiled validator of every event type, keyed by type." }, "structure") ?? [];
  return [
    ...docs,
    "export const validators: Readonly<{",
    ...entries.map(([key]) => `    ${key}: CompiledValidator;`),
    "  }> = {",
    ...entries.map(([key, validator]) => `    ${key}: ${validator},`),
    "  };",
  ].join("\n");
}

/**
 * ajv's `esm` output still loads its run-time helpers (string length, deep equality, format
 * checkers) with `require`. Each `const x = require("m").path;` becomes `const x = <copy>.path;`
 * with one static import from validator-runtime.ts, the generated module holding copies of those
 * helpers, so the generated code depends on no package but the runtime.
 */
export function esmImports(code: string): { readonly code: string; readonly requests: readonly RuntimeRequest[] } {
  const requests: RuntimeRequest[] = [];
  const names = new Set<string>();
  const source = code.replace(/^"use strict";\s*/, "");
  // Only the lines that mention require( are looked at: the code can be tens of megabytes.
  const parts: string[] = [];
  let copied = 0;
  for (let at = source.indexOf("require("); at !== -1; at = source.indexOf("require(", copied)) {
    const lineStart = source.lastIndexOf("\n", at) + 1;
    const newline = source.indexOf("\n", at);
    const lineEnd = newline === -1 ? source.length : newline;
    const match = REQUIRE_LINE.exec(source.slice(lineStart, lineEnd));
    if (match === null) {
      throw new Error(
        "ajv standalone output contains a require() this generator cannot turn into an ESM import; please report it with the schema that caused it",
      );
    }
    const [, name, specifier = "", path = ""] = match;
    const request = { specifier, path };
    const { exportName, expression } = runtimeExpression(request);
    requests.push(request);
    names.add(exportName);
    parts.push(source.slice(copied, lineStart), `const ${name} = ${expression};`);
    copied = lineEnd;
  }
  parts.push(source.slice(copied));
  const body = parts.join("");
  if (names.size === 0) return { code: body, requests };
  const imported = [...names].sort(compareCodeUnits).join(", ");
  return { code: `import { ${imported} } from ${JSON.stringify(VALIDATOR_RUNTIME_MODULE)};\n${body}`, requests };
}

/** The one shape of line ajv gives a runtime helper: `const name = require("module").path;`. */
const REQUIRE_LINE = /^const (\w+) = require\("([^"]+)"\)((?:\.\w+|\["[^"]+"\])*);$/;
