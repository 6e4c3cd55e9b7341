/**
 * validators.ts: ajv standalone code, one precompiled validator per event type, so SDKs validate
 * payloads without compiling schemas (or calling `eval`/`new Function`) at run time.
 */

import standaloneModule from "ajv/dist/standalone/index.js";
import { StructureKind, VariableDeclarationKind } from "ts-morph";
import { compiledValidatorsOf, createStandaloneAjv } from "../load/ajv.js";
import type { CatalogModel } from "../model/catalog-model.js";
import { jsDocs } from "./jsdoc.js";
import type { RenderPiece } from "../write/render.js";
import { propertyNameText } from "./print-type.js";

// ajv's standalone module is CommonJS; under NodeNext its default import is the module object.
const standaloneCode = (standaloneModule as unknown as { default: (ajv: unknown, refs: Record<string, string>) => string }).default;

/** Leading line of validators.ts: the ajv part is untyped JavaScript; its public export is typed. */
export const VALIDATORS_PRAGMA = "// @ts-nocheck -- ajv standalone output is plain JavaScript; the `validators` export is typed.";

const exportName = (typeName: string) => `validate${typeName}`;

/** Reuses the validators that checked the catalog (load phase); compiles afresh only for a hand-built model. */
function compileValidators(model: CatalogModel): string {
  const ajv = compiledValidatorsOf(model) ?? createStandaloneAjv(model.documents.values());
  const latest = model.events.filter((e) => e.latest);
  return esmImports(standaloneCode(ajv, Object.fromEntries(latest.map((e) => [exportName(e.typeName), e.id]))));
}

export function emitValidators(model: CatalogModel, options: { readonly runtime: string }): RenderPiece[] {
  const latest = model.events.filter((e) => e.latest);
  return [
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: options.runtime, isTypeOnly: true, namedImports: ["CompiledValidator"] },
    { verbatim: compileValidators(model) },
    {
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: jsDocs({ description: "The precompiled validator of every event type, keyed by type." }),
      declarations: [
        {
          name: "validators",
          type: (w) => w.write("Readonly<").inlineBlock(() => latest.forEach((e) => w.writeLine(`${propertyNameText(e.type)}: CompiledValidator;`))).write(">"),
          initializer: (w) => w.inlineBlock(() => latest.forEach((e) => w.writeLine(`${propertyNameText(e.type)}: ${exportName(e.typeName)},`))),
        },
      ],
    },
  ];
}

/**
 * ajv's `esm` output still loads its runtime helpers (string length, deep equality, format
 * checkers) with `require`. Turn each `const x = require("m").path;` into a static namespace import
 * so the module is real ESM that Node, bundlers and edge runtimes load alike.
 *
 * The helpers are CommonJS modules flagged `__esModule`, which Node and bundlers expose differently:
 * Node puts `module.exports` on the namespace's `default`, bundlers mirror `exports` on the namespace
 * itself. `cjsExports` recovers `module.exports` in both cases.
 */
export function esmImports(code: string): string {
  const modules = new Map<string, string>();
  let unconverted = false;
  // Line by line: ajv puts each require on a line of its own, and the output can be tens of megabytes.
  const lines = code.replace(/^"use strict";\s*/, "").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (!line.includes("require(")) continue;
    const match = /^const (\w+) = require\("([^"]+)"\)((?:\.\w+|\["[^"]+"\])*);$/.exec(line);
    if (match === null) {
      unconverted = true;
      continue;
    }
    const [, name, specifier = "", path] = match;
    let alias = modules.get(specifier);
    if (alias === undefined) {
      alias = `ajvRuntime${modules.size}`;
      modules.set(specifier, alias);
    }
    lines[i] = `const ${name} = cjsExports(${alias})${path};`;
  }
  const body = lines.join("\n");
  if (unconverted) {
    throw new Error("ajv standalone output contains a require() this generator cannot turn into an ESM import; please report it with the schema that caused it");
  }
  if (modules.size === 0) return body;
  const imports = [...modules.entries()].map(([specifier, alias]) => `import * as ${alias} from ${JSON.stringify(withJsExtension(specifier))};`);
  return [...imports, CJS_EXPORTS, body].join("\n");
}

const CJS_EXPORTS = `function cjsExports(ns) {
  const d = ns.default;
  return d !== null && (typeof d === "object" || typeof d === "function") && d.__esModule ? d : ns;
}`;

/** ajv and ajv-formats have no `exports` map, so ESM needs the file extension spelled out. */
function withJsExtension(specifier: string): string {
  return specifier.endsWith(".js") ? specifier : `${specifier}.js`;
}
