/**
 * validator-runtime.ts: the helpers ajv's standalone code loads at run time (string length in code
 * points, deep equality, format checkers), copied into the generated code so that it has no
 * run-time dependency on ajv or ajv-formats.
 *
 * The code is copied from the installed packages the validators were compiled with, never written
 * here: `ucs2length` from ajv, `equal` from fast-deep-equal (ajv's own `equal` helper), and from
 * ajv-formats only the entries of `fullFormats` the catalog uses plus the declarations they need
 * (found on the parsed file, transitively). Each copy keeps its package's MIT licence notice.
 */

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { ts } from "ts-morph";

/** One `require("module").path` ajv's standalone code asked for. */
export interface RuntimeRequest {
  /** As ajv wrote it, e.g. `ajv-formats/dist/formats`. */
  readonly specifier: string;
  /** The member path after the call, e.g. `.fullFormats["date-time"]`. */
  readonly path: string;
}

/** Leading line of validator-runtime.ts: the copies are plain JavaScript, as their packages ship them. */
export const VALIDATOR_RUNTIME_PRAGMA =
  "// @ts-nocheck -- JavaScript copied from ajv's helper packages (licences below); validators.ts imports it.";

/** Where the generated validators import their helpers from. */
export const VALIDATOR_RUNTIME_MODULE = "./validator-runtime.js";

interface Helper {
  /** The package whose code and licence are copied. */
  readonly packageName: string;
  /** The expression in validators.ts that replaces `require(specifier)` + the matched prefix. */
  readonly prefix: string;
  readonly exportName: string;
}

/** ajv's helper modules this generator knows how to copy, by specifier. */
const HELPERS: Readonly<Record<string, Helper>> = {
  "ajv/dist/runtime/ucs2length": { packageName: "ajv", prefix: ".default", exportName: "ucs2length" },
  "ajv/dist/runtime/equal": { packageName: "fast-deep-equal", prefix: ".default", exportName: "equal" },
  "ajv-formats/dist/formats": { packageName: "ajv-formats", prefix: ".fullFormats", exportName: "fullFormats" },
};

/**
 * The expression replacing `require(specifier)path` in validators.ts, e.g. `fullFormats["date-time"]`.
 * @throws when ajv asks for a helper this generator cannot copy.
 */
export function runtimeExpression(request: RuntimeRequest): { readonly exportName: string; readonly expression: string } {
  const helper = HELPERS[request.specifier];
  if (helper === undefined || !request.path.startsWith(helper.prefix)) {
    throw new Error(
      `ajv's standalone code needs require("${request.specifier}")${request.path}, which this generator cannot copy into the generated code; please report it with the schema that caused it`,
    );
  }
  return { exportName: helper.exportName, expression: helper.exportName + request.path.slice(helper.prefix.length) };
}

/** The text of validator-runtime.ts (after the banner) for what the validators asked for. */
export function validatorRuntimeCode(requests: readonly RuntimeRequest[]): string {
  const exported = new Set(requests.map((r) => runtimeExpression(r).exportName));
  const sections: string[] = [];
  if (exported.has("ucs2length")) {
    const file = parseModule(resolveIn("ajv", "ajv/dist/runtime/ucs2length.js"));
    sections.push(section("ajv", [...declarationsFor(file, ["ucs2length"])].join("\n"), "export { ucs2length };"));
  }
  if (exported.has("equal")) {
    const fastDeepEqual = createRequire(resolveIn("ajv", "ajv/package.json")).resolve("fast-deep-equal");
    const file = parseModule(fastDeepEqual);
    const assigned = file.statements.map(moduleExportsValue).find((value) => value !== undefined);
    if (assigned === undefined) throw new Error(`${fastDeepEqual} no longer assigns module.exports; update emit-validator-runtime.ts`);
    sections.push(section("fast-deep-equal", "", `export const equal = ${assigned.getText(file)};`));
  }
  if (exported.has("fullFormats")) {
    const formats = new Set<string>();
    let all = false;
    for (const request of requests) {
      if (request.specifier !== "ajv-formats/dist/formats") continue;
      const name = formatName(request.path.slice(".fullFormats".length));
      if (name === undefined) all = true;
      else formats.add(name);
    }
    sections.push(formatsSection(formats, all));
  }
  return sections.join("\n\n");
}

/** `["date-time"]` or `.uri` → the format name; anything else (the whole object) → undefined. */
function formatName(access: string): string | undefined {
  const dotted = /^\.([A-Za-z_$][\w$]*)(?:\.|$)/.exec(access);
  if (dotted !== null) return dotted[1];
  const quoted = /^\[("(?:[^"\\]|\\.)*")\]/.exec(access);
  return quoted?.[1] === undefined ? undefined : (JSON.parse(quoted[1]) as string);
}

function formatsSection(formats: ReadonlySet<string>, all: boolean): string {
  const path = resolveIn("ajv-formats", "ajv-formats/dist/formats.js");
  const file = parseModule(path);
  const literal = file.statements.map((s) => exportsValue(s, "fullFormats")).find((value) => value !== undefined);
  if (literal === undefined || !ts.isObjectLiteralExpression(literal)) {
    throw new Error(`${path} no longer assigns exports.fullFormats an object literal; update emit-validator-runtime.ts`);
  }
  const entries = literal.properties.filter((p) => all || formats.has(propertyName(p, file)));
  const missing = [...formats].filter((name) => !entries.some((p) => propertyName(p, file) === name));
  if (missing.length > 0) throw new Error(`ajv-formats has no format ${missing.join(", ")} in fullFormats`);
  const roots = entries.flatMap((entry) => identifiersIn(entry));
  const body = [...declarationsFor(file, roots)].join("\n");
  const object = ["export const fullFormats = {", ...entries.map((entry) => `    ${entry.getText(file)},`), "};"].join("\n");
  return section("ajv-formats", body, object);
}

function section(packageName: string, declarations: string, exports: string): string {
  return [licence(packageName), declarations, exports].filter((part) => part !== "").join("\n");
}

/** The package's licence file, as a comment: the MIT licence asks for its notice in every copy. */
function licence(packageName: string): string {
  const text = readFileSync(resolveIn(packageName, `${packageName}/LICENSE`), "utf8").trim();
  const { version } = JSON.parse(readFileSync(resolveIn(packageName, `${packageName}/package.json`), "utf8")) as { version: string };
  return [`/* Copied from ${packageName} ${version}:`, "", ...text.split("\n").map((line) => line.replaceAll("*/", "* /")), "*/"].join(
    "\n",
  );
}

const requireHere = createRequire(import.meta.url);

/** Resolves a file of a package the generator depends on directly or through ajv. */
function resolveIn(packageName: string, request: string): string {
  if (packageName === "fast-deep-equal") return createRequire(requireHere.resolve("ajv/package.json")).resolve(request);
  return requireHere.resolve(request);
}

function parseModule(path: string): ts.SourceFile {
  return ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
}

/** The top-level declarations (functions, `const`s) `roots` need, transitively, as text in file order. */
function declarationsFor(file: ts.SourceFile, roots: readonly string[]): string[] {
  const declarations = new Map<string, ts.Statement>();
  for (const statement of file.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name !== undefined) declarations.set(statement.name.text, statement);
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) declarations.set(d.name.text, statement);
    }
  }
  const needed = new Set<ts.Statement>();
  const pending = [...roots];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (name === "exports" || name === "module" || name === "require") {
      throw new Error(`${file.fileName}: the copied code refers to ${name}; update emit-validator-runtime.ts`);
    }
    const statement = declarations.get(name);
    if (statement === undefined || needed.has(statement)) continue;
    needed.add(statement);
    pending.push(...identifiersIn(statement));
  }
  return file.statements.filter((s) => needed.has(s)).map((s) => s.getText(file));
}

/** Every identifier read in `node` (names after a `.` and property keys are not reads). */
function identifiersIn(node: ts.Node): string[] {
  const names: string[] = [];
  const visit = (child: ts.Node): void => {
    if (ts.isIdentifier(child)) {
      const parent = child.parent;
      const isMember = ts.isPropertyAccessExpression(parent) && parent.name === child;
      const isKey = ts.isPropertyAssignment(parent) && parent.name === child;
      if (!isMember && !isKey) names.push(child.text);
    }
    ts.forEachChild(child, visit);
  };
  visit(node);
  return names;
}

function propertyName(property: ts.ObjectLiteralElementLike, file: ts.SourceFile): string {
  const name = property.name;
  if (name === undefined) return "";
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : name.getText(file);
}

/** `exports.<name> = <value>;` → value. */
function exportsValue(statement: ts.Statement, name: string): ts.Expression | undefined {
  if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) return undefined;
  const { left, right, operatorToken } = statement.expression;
  if (operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isPropertyAccessExpression(left)) return undefined;
  return ts.isIdentifier(left.expression) && left.expression.text === "exports" && left.name.text === name ? right : undefined;
}

/** `module.exports = <value>;` → value. */
function moduleExportsValue(statement: ts.Statement): ts.Expression | undefined {
  if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) return undefined;
  const { left, right, operatorToken } = statement.expression;
  if (operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isPropertyAccessExpression(left)) return undefined;
  return left.getText() === "module.exports" ? right : undefined;
}
