/**
 * The catalog's converter modules in an SDK: each copied to `converters/<type>.v<n>.convert.ts`
 * with its one `import type … from "../../types.js"` pointed at the SDK's own `types.ts` (rewritten
 * on the syntax tree, then printed), and `converters.ts`, which gathers them by type and version
 * into the `converters` value the runtime catalog carries.
 */

import { ts } from "ts-morph";
import type { CatalogModel, ConverterModel } from "../model/catalog-model.js";
import { withJsDoc } from "./jsdoc.js";
import { exportedConst, importFrom } from "./statements.js";

const f = ts.factory;

/** Where a converter goes inside an output directory. */
export function converterOutputPath(converter: ConverterModel): string {
  return `converters/${converter.file.slice(converter.file.lastIndexOf("/") + 1)}`;
}

const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed, removeComments: false });

/**
 * The converter's source with its import of the catalog's types module pointing at `typesModule`
 * instead (load allowed no other import). Comments stay: the printer reads them from the original text.
 */
export function copyConverter(converter: ConverterModel, typesModule: string): string {
  const source = ts.createSourceFile(converter.file, converter.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const pointAtTypes: ts.TransformerFactory<ts.SourceFile> = () => (file) =>
    f.updateSourceFile(
      file,
      file.statements.map((statement) =>
        ts.isImportDeclaration(statement)
          ? f.updateImportDeclaration(
              statement,
              statement.modifiers,
              statement.importClause,
              f.createStringLiteral(typesModule),
              statement.attributes,
            )
          : statement,
      ),
    );
  const result = ts.transform(source, [pointAtTypes]);
  try {
    const file = result.transformed[0] as ts.SourceFile;
    // One statement at a time, so declarations keep a blank line between them (printFile drops it).
    let text = "";
    let previous: ts.Statement | undefined;
    for (const statement of file.statements) {
      if (previous !== undefined) text += ts.isImportDeclaration(previous) && ts.isImportDeclaration(statement) ? "\n" : "\n\n";
      text += printer.printNode(ts.EmitHint.Unspecified, statement, file);
      previous = statement;
    }
    return text;
  } finally {
    result.dispose();
  }
}

/** The comment above a copied converter: where it comes from and what changed. */
export function copiedConverterNote(converter: ConverterModel): string {
  return `// Copied from the catalog's ${converter.file}, its types import pointed at this SDK's types.ts.`;
}

/** `converters.ts`: every converter module, by event type then the higher version of its pair. */
export function emitConvertersIndex(model: CatalogModel, options: { readonly runtime: string }): ts.Statement[] {
  const converters = model.converters ?? [];
  const byType = new Map<string, ConverterModel[]>();
  for (const converter of converters) byType.set(converter.type, [...(byType.get(converter.type) ?? []), converter]);
  const value = f.createObjectLiteralExpression(
    [...byType].map(([type, modules]) =>
      f.createPropertyAssignment(
        f.createStringLiteral(type),
        f.createObjectLiteralExpression(
          modules.map((m) => f.createPropertyAssignment(f.createStringLiteral(String(m.version)), f.createIdentifier(moduleBinding(m)))),
          false,
        ),
      ),
    ),
    true,
  );
  return [
    importFrom(options.runtime, ["CatalogConverters"], { typeOnly: true }),
    ...converters.map((m) =>
      f.createImportDeclaration(
        undefined,
        f.createImportClause(undefined, undefined, f.createNamespaceImport(f.createIdentifier(moduleBinding(m)))),
        f.createStringLiteral(`./${converterOutputPath(m).replace(/\.ts$/, ".js")}`),
      ),
    ),
    withJsDoc(exportedConst("converters", f.createTypeReferenceNode("CatalogConverters"), value), {
      description:
        "The catalog's converter modules by event type, then by the higher version of the pair: `down` converts a payload of that version to the version before, `up` (when there) back.",
    }),
  ];
}

/** `order.shipped` v2 → `order_shipped_v2`: event type segments are `[a-zA-Z0-9_]`, so this is an identifier after the prefix. */
function moduleBinding(converter: ConverterModel): string {
  return `convert_${converter.type.replace(/\./g, "_")}_v${converter.version}`;
}
