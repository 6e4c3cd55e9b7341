/** Small builders of the module-level statements every emitter needs, made with the TypeScript factory. */

import { ts } from "ts-morph";

const f = ts.factory;

/** `export` as a modifier list. */
export const exported: readonly ts.ModifierLike[] = [f.createModifier(ts.SyntaxKind.ExportKeyword)];

/**
 * `import { a, type B } from "module";` — a name written `type B` is imported as a type only;
 * `typeOnly` makes the whole import `import type { ... }`.
 */
export function importFrom(module: string, names: readonly string[], options: { readonly typeOnly?: boolean } = {}): ts.ImportDeclaration {
  const specifiers = names.map((name) => {
    const typeName = /^type (.+)$/.exec(name)?.[1];
    return f.createImportSpecifier(typeName !== undefined, undefined, f.createIdentifier(typeName ?? name));
  });
  return f.createImportDeclaration(
    undefined,
    f.createImportClause(options.typeOnly === true ? ts.SyntaxKind.TypeKeyword : undefined, undefined, f.createNamedImports(specifiers)),
    f.createStringLiteral(module),
  );
}

/**
 * `export * from "module";`, or `export { a, type B } from "module";` when names are given (a name
 * written `type B` is re-exported as a type only).
 */
export function exportFrom(module: string, names?: readonly string[]): ts.ExportDeclaration {
  const specifier = (name: string): ts.ExportSpecifier => {
    const typeName = /^type (.+)$/.exec(name)?.[1];
    return f.createExportSpecifier(typeName !== undefined, undefined, typeName ?? name);
  };
  const clause = names === undefined ? undefined : f.createNamedExports(names.map(specifier));
  return f.createExportDeclaration(undefined, false, clause, f.createStringLiteral(module));
}

/** `export const name: type = initializer;` */
export function exportedConst(name: string, type: ts.TypeNode, initializer: ts.Expression): ts.VariableStatement {
  return f.createVariableStatement(
    exported,
    f.createVariableDeclarationList([f.createVariableDeclaration(name, undefined, type, initializer)], ts.NodeFlags.Const),
  );
}
