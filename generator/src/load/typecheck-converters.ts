/**
 * Type-checks the converter modules against both versions' generated types, with the TypeScript
 * API and standard library that ts-morph bundles, in memory: the freshly emitted `types.ts` of the
 * catalog (never the copy on disk, which may be stale), the converter modules as read, and per
 * converter one probe module that assigns `down` (and `up`) to the function type it must have.
 * Every diagnostic becomes a catalog issue with the converter's file and line.
 */

import path from "node:path";
import { getLibFiles, ts } from "@ts-morph/common";
import type { CatalogModel, ConverterModel } from "../model/catalog-model.js";
import { CATALOG_TYPES_FILE, versionedTypeName } from "../schema/converters.js";
import type { CatalogIssue } from "../schema/issues.js";

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowImportingTsExtensions: true,
  lib: ["lib.es2023.d.ts"],
  types: [],
  strict: true,
  noEmit: true,
  skipLibCheck: true,
};

/** Probe modules sit here, beside `types.ts`; their problems are reported on the converter they probe. */
const PROBES = ".hookline-probes";

export function typecheckConverters(catalogDir: string, model: CatalogModel, typesText: string): CatalogIssue[] {
  const converters = model.converters ?? [];
  if (converters.length === 0) return [];
  const root = path.resolve(catalogDir);
  const virtual = new Map<string, string>([[path.join(root, CATALOG_TYPES_FILE), typesText]]);
  const probes = new Map<string, ConverterModel>();
  for (const converter of converters) {
    virtual.set(path.join(root, converter.file), converter.text);
    const probe = path.join(root, PROBES, `${converter.type}.v${converter.version}.ts`);
    virtual.set(probe, probeModule(model, converter));
    probes.set(probe, converter);
  }
  const libDir = path.join(root, PROBES, ".lib");
  for (const lib of getLibFiles()) virtual.set(path.join(libDir, lib.fileName), lib.text);
  const host = ts.createCompilerHost(COMPILER_OPTIONS);
  host.getDefaultLibLocation = () => libDir;
  host.getDefaultLibFileName = (o) => path.join(libDir, ts.getDefaultLibFileName(o));
  // Only the virtual files exist: a converter cannot reach anything else (load already refused other imports).
  host.fileExists = (file) => virtual.has(file);
  host.readFile = (file) => virtual.get(file);
  host.directoryExists = (dir) => [...virtual.keys()].some((file) => file.startsWith(`${dir}${path.sep}`));
  host.getSourceFile = (file, language) => {
    const text = virtual.get(file);
    return text === undefined ? undefined : ts.createSourceFile(file, text, language, true);
  };
  const program = ts.createProgram({
    rootNames: [...virtual.keys()].filter((file) => !file.startsWith(libDir)),
    options: COMPILER_OPTIONS,
    host,
  });
  const issues: CatalogIssue[] = [];
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const message = `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`;
    const file = diagnostic.file;
    if (file === undefined) {
      issues.push({ file: "", pointer: "", message: `converters do not type-check: ${message}`, fix: FIX });
      continue;
    }
    const line = diagnostic.start === undefined ? 1 : file.getLineAndCharacterOfPosition(diagnostic.start).line + 1;
    const probed = probes.get(file.fileName);
    if (probed !== undefined) {
      issues.push(probeIssue(model, probed, file, diagnostic, message));
      continue;
    }
    const relative = path.relative(root, file.fileName).split(path.sep).join("/");
    issues.push({ file: relative, pointer: "", line, message: `does not type-check: ${message}`, fix: FIX });
  }
  return issues;
}

const FIX =
  "make down() (and up()) type-check against the generated types in the catalog's types.ts (npm run generate refreshes that file for your editor)";

/** The names of the two versions' payload types, `OrderShippedV1` / `OrderShippedV2`. */
function typeNames(model: CatalogModel, converter: ConverterModel): { lower: string; higher: string } {
  const name = (version: number) => {
    const event = model.events.find((e) => e.type === converter.type && e.version === version);
    return versionedTypeName(event?.typeName ?? "Unknown", version);
  };
  return { lower: name(converter.from), higher: name(converter.version) };
}

/** The 0-based line of the probe's `up` assignment (after the two imports and `down`). */
const UP_PROBE_LINE = 3;

/** One line per function the converter must have, so a diagnostic's line says which one is wrong. */
function probeModule(model: CatalogModel, converter: ConverterModel): string {
  const { lower, higher } = typeNames(model, converter);
  const lines = [
    `import type { ${higher}, ${lower} } from "../types.ts";`,
    `import * as converter from "../${converter.file}";`,
    `export const down: (payload: ${higher}) => ${lower} = converter.down;`,
  ];
  if (converter.hasUp) lines.push(`export const up: (payload: ${lower}) => ${higher} = converter.up;`);
  return `${lines.join("\n")}\n`;
}

function probeIssue(
  model: CatalogModel,
  converter: ConverterModel,
  probe: ts.SourceFile,
  diagnostic: ts.Diagnostic,
  message: string,
): CatalogIssue {
  const { lower, higher } = typeNames(model, converter);
  const probeLine = diagnostic.start === undefined ? 0 : probe.getLineAndCharacterOfPosition(diagnostic.start).line;
  const fn = probeLine === UP_PROBE_LINE ? "up" : "down";
  const signature = fn === "down" ? `(payload: ${higher}) => ${lower}` : `(payload: ${lower}) => ${higher}`;
  return {
    file: converter.file,
    pointer: "",
    line: declarationLine(converter, fn),
    message: `${fn}() is not a function ${signature}: ${message}`,
    fix: `declare it as \`export function ${fn}${signature.replace(" =>", ":")}\` and return a complete ${fn === "down" ? lower : higher}`,
  };
}

/** The line of the statement that exports `name` from the converter (1 when there is none). */
function declarationLine(converter: ConverterModel, name: string): number {
  const source = ts.createSourceFile(converter.file, converter.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const declares = (statement: ts.Statement): boolean =>
    (ts.isFunctionDeclaration(statement) && statement.name?.text === name) ||
    (ts.isVariableStatement(statement) &&
      statement.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name)) ||
    (ts.isExportDeclaration(statement) &&
      statement.exportClause !== undefined &&
      ts.isNamedExports(statement.exportClause) &&
      statement.exportClause.elements.some((e) => e.name.text === name));
  const statement = source.statements.find(declares);
  return statement === undefined ? 1 : source.getLineAndCharacterOfPosition(statement.getStart(source)).line + 1;
}
