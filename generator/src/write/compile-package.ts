/**
 * Compiles a package's generated TypeScript sources to ES2022 JavaScript and `.d.ts` in memory,
 * with the TypeScript API and standard library declarations that ts-morph bundles (@ts-morph/common),
 * so the generator does not depend on the user's compiler. The sources sit in a virtual folder under `resolveFrom`, so that the runtime they import
 * resolves from the user's project, exactly as it will for the published package. No source maps:
 * the package ships no TypeScript sources for them to point at.
 */

import path from "node:path";
import { getLibFiles, ts } from "@ts-morph/common";
import { PackError } from "./write-package.js";
import type { RenderedFile } from "./render.js";
import { compareCodeUnits } from "../schema/compare.js";

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ["lib.es2023.d.ts"],
  types: [],
  strict: true,
  declaration: true,
  skipLibCheck: true,
  noEmitOnError: true,
  newLine: ts.NewLineKind.LineFeed,
};

/**
 * Returns `dist/<name>.js` and `dist/<name>.d.ts` for every source. `runtime` names the package the
 * sources import, for the message when it is not installed.
 */
export function compilePackage(sources: readonly RenderedFile[], resolveFrom: string, runtime: string): RenderedFile[] {
  const root = path.join(resolveFrom, ".hookline-pack-sources");
  const outDir = path.join(root, "dist");
  const virtual = new Map(sources.map((f) => [path.join(root, f.path), f.text]));
  // The folder's own package.json makes the sources ES modules whatever the user's project is.
  virtual.set(path.join(root, "package.json"), '{ "type": "module" }');
  const libDir = path.join(root, ".lib");
  for (const lib of getLibFiles()) virtual.set(path.join(libDir, lib.fileName), lib.text);
  const options = { ...COMPILER_OPTIONS, rootDir: root, outDir };
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile, directoryExists } = host;
  host.getDefaultLibLocation = () => libDir;
  host.getDefaultLibFileName = (o) => path.join(libDir, ts.getDefaultLibFileName(o));
  host.fileExists = (file) => virtual.has(file) || fileExists.call(host, file);
  host.readFile = (file) => virtual.get(file) ?? readFile.call(host, file);
  host.directoryExists = (dir) => dir === root || dir === libDir || (directoryExists?.call(host, dir) ?? true);
  host.getSourceFile = (file, language, onError) => {
    const text = virtual.get(file);
    return text === undefined ? getSourceFile.call(host, file, language, onError) : ts.createSourceFile(file, text, language, true);
  };
  const emitted: RenderedFile[] = [];
  host.writeFile = (file, text) => {
    emitted.push({ path: path.relative(root, file).split(path.sep).join("/"), text });
  };
  const program = ts.createProgram({
    rootNames: sources.filter((f) => f.path.endsWith(".ts")).map((f) => path.join(root, f.path)),
    options,
    host,
  });
  const result = program.emit();
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics];
  if (diagnostics.length > 0) {
    const text = ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => root,
      getNewLine: () => "\n",
    });
    if (diagnostics.some((d) => d.code === 2307 && d.messageText.toString().includes(runtime)))
      throw new PackError(
        `the runtime "${runtime}" is not installed in ${resolveFrom}; the package compiles against it: run \`npm install --save-dev ${runtime}\` there.`,
      );
    throw new Error(`hookline pack: the generated sources do not compile (a generator bug; please report it):\n${text}`);
  }
  return emitted.sort((a, b) => compareCodeUnits(a.path, b.path));
}
