/**
 * validators.ts: ajv standalone code, one precompiled validator per version of every event type
 * (exported as `validate<Title>V<n>`, which catalog.ts lists under `versions`) and the `validators`
 * map of the newest ones, so SDKs validate payloads without compiling schemas (or calling
 * `eval`/`new Function`) at run time.
 */

import type { Ajv2020 } from "ajv/dist/2020.js";
import standaloneModule from "ajv/dist/standalone/index.js";
import { ts } from "ts-morph";
import type { CatalogModel } from "../model/catalog-model.js";
import { compareCodeUnits } from "../schema/compare.js";
import { compactValidators } from "./compact-validators.js";
import { discriminatedUnions, functionBases } from "./discriminators.js";
import { type RuntimeRequest, runtimeExpression, VALIDATOR_RUNTIME_MODULE } from "./emit-validator-runtime.js";
import { withJsDoc } from "./jsdoc.js";
import type { RenderPiece } from "./render-piece.js";
import { exportedConst, importFrom } from "./statements.js";
import { propertyName } from "./type-nodes.js";

const f = ts.factory;

// ajv's standalone module is CommonJS; under NodeNext its default import is the module object.
const standaloneCode = (standaloneModule as unknown as { default: (ajv: unknown, refs: Record<string, string>) => string }).default;

/** Leading line of validators.ts: the ajv part is untyped JavaScript; its public export is typed. */
export const VALIDATORS_PRAGMA = "// @ts-nocheck -- ajv standalone output is plain JavaScript; the `validators` export is typed.";

/** The export name of an event version's validator, e.g. `validateOrderShippedV2`. */
export const validatorExportName = (typeName: string) => `validate${typeName}`;
const exportName = validatorExportName;

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
  const code = standaloneCode(validators, Object.fromEntries(model.events.map((e) => [exportName(e.typeName), e.id])));
  const { code: esm, requests } = esmImports(code);
  const bases = functionBases(
    validators,
    model.events.map((e) => e.id),
  );
  return {
    pieces: [
      importFrom(options.runtime, ["CompiledValidator"], { typeOnly: true }),
      { verbatim: compactValidators(esm, { bases }) },
      { verbatim: discriminatorsCode(model) },
      validatorsMap(latest.map((e) => [e.type, exportName(e.typeName)])),
    ],
    runtimeRequests: requests,
  };
}

/**
 * The const-discriminated unions of the catalog, set on each exported validator with the `$id` its
 * own (relative) schema paths are under, so `issuesOf` reports a failed union by the chosen branch.
 */
function discriminatorsCode(model: CatalogModel): string {
  const unions = discriminatedUnions(model.documents);
  if (unions.length === 0) return "";
  const lines = [
    "/** Const-discriminated unions of the catalog (`@hookline/core` reports a failed one by the branch its discriminator picks). */",
    `const unions = ${JSON.stringify(unions)};`,
    ...model.events.map((e) => `${exportName(e.typeName)}.discriminators = {id: ${JSON.stringify(e.id)}, unions};`),
  ];
  return `${lines.join("\n")}\n`;
}

/** `export const validators: Readonly<{ "order.created": CompiledValidator; ... }> = { "order.created": validateOrderCreated, ... };` */
function validatorsMap(entries: ReadonlyArray<readonly [type: string, validator: string]>): ts.Statement {
  const type = f.createTypeReferenceNode("Readonly", [
    f.createTypeLiteralNode(
      entries.map(([key]) =>
        f.createPropertySignature(undefined, propertyName(key), undefined, f.createTypeReferenceNode("CompiledValidator")),
      ),
    ),
  ]);
  const value = f.createObjectLiteralExpression(
    entries.map(([key, validator]) => f.createPropertyAssignment(propertyName(key), f.createIdentifier(validator))),
    true,
  );
  return withJsDoc(exportedConst("validators", type, value), {
    description: "The precompiled validator of the newest version of every event type, keyed by type.",
  });
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
