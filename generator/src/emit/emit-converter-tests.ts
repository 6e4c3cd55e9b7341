/**
 * One vitest property test per converter module, for outputs with a `tests` directory: the schemas
 * of both versions as data and a call per direction to `checkConversion` of
 * `@hookline/generator/testing`, which holds the logic (generated payloads of the source version,
 * converted, must be valid under the target version).
 */

import { ts } from "ts-morph";
import type { CatalogModel, ConverterModel } from "../model/catalog-model.js";
import { converterOutputPath } from "./emit-converters.js";
import { importFrom } from "./statements.js";

const f = ts.factory;

/** Where the logic of the emitted tests lives. */
export const TESTING_MODULE = "@hookline/generator/testing";

/** Stand in for the two schemas while printing; see `render`'s substitutions. */
export const LOWER_SCHEMA_PLACEHOLDER = "HOOKLINE_LOWER_SCHEMA";
export const HIGHER_SCHEMA_PLACEHOLDER = "HOOKLINE_HIGHER_SCHEMA";

export function converterTestPath(converter: ConverterModel): string {
  return `${converter.type}.v${converter.version}.convert.test.ts`;
}

/**
 * `outputToTests`: the output directory relative to the tests directory, `/`-separated (`../../src/generated`).
 * Seeds are fixed, so every run checks the same payloads.
 */
export function emitConverterTest(
  model: CatalogModel,
  converter: ConverterModel,
  outputToTests: string,
): { pieces: ts.Statement[]; substitutions: Map<string, string> } {
  const schemaOf = (version: number) => model.events.find((e) => e.type === converter.type && e.version === version)?.bundledSchema;
  const modulePath = `${outputToTests}/${converterOutputPath(converter).replace(/\.ts$/, ".js")}`;
  const versions = { lower: converter.from, higher: converter.version };
  const check = (direction: "down" | "up") => {
    const [from, to] = direction === "down" ? (["higher", "lower"] as const) : (["lower", "higher"] as const);
    const side = (which: "lower" | "higher") =>
      f.createObjectLiteralExpression([
        f.createPropertyAssignment("version", f.createNumericLiteral(versions[which])),
        f.createPropertyAssignment("schema", f.createIdentifier(which)),
      ]);
    const args = f.createObjectLiteralExpression(
      [
        f.createPropertyAssignment("type", f.createStringLiteral(converter.type)),
        f.createPropertyAssignment("file", f.createStringLiteral(converter.file)),
        f.createPropertyAssignment("direction", f.createStringLiteral(direction)),
        f.createPropertyAssignment("from", side(from)),
        f.createPropertyAssignment("to", side(to)),
        f.createPropertyAssignment("convert", f.createPropertyAccessExpression(f.createIdentifier("converter"), direction)),
        f.createPropertyAssignment("runs", f.createNumericLiteral(200)),
        f.createPropertyAssignment("seed", f.createNumericLiteral(1)),
      ],
      true,
    );
    const title = `${direction}: valid v${versions[from]} payloads convert to valid v${versions[to]} payloads`;
    const body = f.createArrowFunction(undefined, undefined, [], undefined, undefined, call("checkConversion", [args]));
    return f.createExpressionStatement(call("it", [f.createStringLiteral(title), body]));
  };
  const tests = [check("down"), ...(converter.hasUp ? [check("up")] : [])];
  const suite = f.createExpressionStatement(
    call("describe", [
      f.createStringLiteral(`${converter.type} converter v${converter.from}/v${converter.version} (${converter.file})`),
      f.createArrowFunction(undefined, undefined, [], undefined, undefined, f.createBlock(tests, true)),
    ]),
  );
  const pieces = [
    importFrom("vitest", ["describe", "it"]),
    importFrom(TESTING_MODULE, ["checkConversion"]),
    f.createImportDeclaration(
      undefined,
      f.createImportClause(undefined, undefined, f.createNamespaceImport(f.createIdentifier("converter"))),
      f.createStringLiteral(modulePath),
    ),
    constant("lower", LOWER_SCHEMA_PLACEHOLDER),
    constant("higher", HIGHER_SCHEMA_PLACEHOLDER),
    suite,
  ];
  return {
    pieces,
    substitutions: new Map([
      [LOWER_SCHEMA_PLACEHOLDER, JSON.stringify(schemaOf(converter.from))],
      [HIGHER_SCHEMA_PLACEHOLDER, JSON.stringify(schemaOf(converter.version))],
    ]),
  };
}

function call(name: string, args: readonly ts.Expression[]): ts.CallExpression {
  return f.createCallExpression(f.createIdentifier(name), undefined, args);
}

function constant(name: string, placeholder: string): ts.Statement {
  return f.createVariableStatement(
    undefined,
    f.createVariableDeclarationList(
      [f.createVariableDeclaration(name, undefined, undefined, f.createIdentifier(placeholder))],
      ts.NodeFlags.Const,
    ),
  );
}
