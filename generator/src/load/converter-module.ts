/**
 * The rules of one converter module, checked on its syntax tree (TypeScript's parser): it may only
 * `import type` from the catalog's generated types module, and exports `down` (required) and `up`
 * (optional) and no other value. Converters are pure functions that the generated SDKs copy with that
 * one import rewritten, so anything else they imported would not exist there.
 */

import { ts } from "ts-morph";
import { typesImportSpecifier } from "../schema/converters.js";
import type { CatalogIssue } from "../schema/issues.js";

/** The type names a converter converts between: `down(payload: higher): lower`. */
export interface ConverterTypeNames {
  readonly lower: string;
  readonly higher: string;
}

export interface ConverterShape {
  readonly exportsDown: boolean;
  readonly exportsUp: boolean;
}

const EXPORTED_VALUES = new Set(["down", "up"]);

export function checkConverterModule(file: string, text: string, names: ConverterTypeNames, issues: CatalogIssue[]): ConverterShape {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const specifier = typesImportSpecifier(file);
  const allowedImport = `import type { ${names.higher}, ${names.lower} } from "${specifier}";`;
  const problem = (node: ts.Node, message: string, fix: string) => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    const lineText = (text.split("\n")[line] ?? "").trim();
    issues.push({ file, pointer: "", line: line + 1, message: `${message}: \`${lineText}\``, fix });
  };
  // A module that does not parse is reported as such; its half-read syntax tree would only mislead the other rules.
  const syntaxErrors = (source as unknown as { parseDiagnostics?: readonly ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  for (const diagnostic of syntaxErrors) {
    const { line } = source.getLineAndCharacterOfPosition(diagnostic.start);
    issues.push({
      file,
      pointer: "",
      line: line + 1,
      message: `does not parse: TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`,
      fix: "correct the TypeScript syntax at that line",
    });
  }
  if (syntaxErrors.length > 0) return { exportsDown: false, exportsUp: false };
  const exported = new Set<string>();
  const exportValue = (node: ts.Node, name: string) => {
    if (EXPORTED_VALUES.has(name)) exported.add(name);
    else
      problem(
        node,
        `exports the value "${name}"; a converter module exports only down() and, optionally, up()`,
        `remove the export (keep "${name}" as a module-private helper) or move it elsewhere; converters are copied into the SDKs as they are`,
      );
  };
  let typesImports = 0;
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const from = ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : "";
      const typeOnly = statement.importClause?.isTypeOnly === true;
      if (!isTypesModule(file, from))
        problem(
          statement,
          `imports "${from}"; a converter may import only types from the catalog's generated types module`,
          `write the code inline (converters are pure functions) and import only types: ${allowedImport}`,
        );
      else if (!typeOnly) problem(statement, "imports the catalog's types without `import type`", `write it as ${allowedImport}`);
      else if (++typesImports > 1) problem(statement, "imports the catalog's types module a second time", "merge the imports into one");
    } else if (ts.isImportEqualsDeclaration(statement)) {
      problem(statement, "uses `import … =`; a converter may import only types from the catalog's types module", `use ${allowedImport}`);
    } else if (ts.isExportDeclaration(statement)) {
      if (statement.moduleSpecifier !== undefined)
        problem(statement, "re-exports from another module", "export only down() and up(), defined in this file");
      else if (!statement.isTypeOnly && statement.exportClause !== undefined && ts.isNamedExports(statement.exportClause))
        for (const element of statement.exportClause.elements) if (!element.isTypeOnly) exportValue(element, element.name.text);
    } else if (ts.isExportAssignment(statement)) {
      problem(statement, "has a default export", "export named functions: export function down(…) { … }");
    } else if (hasModifier(statement, ts.SyntaxKind.ExportKeyword)) {
      if (hasModifier(statement, ts.SyntaxKind.DefaultKeyword))
        problem(statement, "has a default export", "export named functions: export function down(…) { … }");
      else if (ts.isFunctionDeclaration(statement) && statement.name !== undefined) exportValue(statement, statement.name.text);
      else if (ts.isVariableStatement(statement))
        for (const declaration of statement.declarationList.declarations)
          exportValue(declaration, ts.isIdentifier(declaration.name) ? declaration.name.text : declaration.name.getText(source));
      else if (ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement) || ts.isModuleDeclaration(statement))
        exportValue(statement, statement.name?.getText(source) ?? "(anonymous)");
    }
  }
  // Dynamic imports and require() would load code at run time that the SDKs do not have.
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === "require"))
        problem(node, "loads another module at run time", "write the code inline; converters are pure functions without imports");
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (!exported.has("down")) {
    issues.push({
      file,
      pointer: "",
      line: 1,
      message: "does not export down()",
      fix: `add \`export function down(payload: ${names.higher}): ${names.lower} { … }\` (with ${allowedImport})`,
    });
  }
  return { exportsDown: exported.has("down"), exportsUp: exported.has("up") };
}

/** `../../types.js`, `../../types.ts` or `../../types` from `events/<domain>/…`: the catalog's `types.ts`. */
function isTypesModule(file: string, specifier: string): boolean {
  if (!specifier.startsWith(".")) return false;
  const withoutExtension = specifier.replace(/\.(js|ts)$/, "");
  const resolved = pathJoin(file.split("/").slice(0, -1), withoutExtension);
  return resolved === "types";
}

/** `relative` resolved against the folder `base`; undefined when it climbs above the catalog. */
function pathJoin(base: readonly string[], relative: string): string | undefined {
  const parts = [...base];
  for (const segment of relative.split("/")) {
    if (segment === "..") {
      if (parts.pop() === undefined) return undefined;
    } else if (segment !== ".") parts.push(segment);
  }
  return parts.join("/");
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}
