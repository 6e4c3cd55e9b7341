/**
 * Wiring of the converter modules (issue 13): after load, the catalog's `types.ts` is emitted and the
 * converters type-checked against it; `generate` writes that file into the catalog folder (for
 * editors), copies the converters into every output and, for outputs with `tests`, emits a
 * property test per converter.
 */

import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { OutputConfig } from "./config.js";
import { emitCatalogTypes } from "./emit/emit-catalog-types.js";
import { converterTestPath, emitConverterTest } from "./emit/emit-converter-tests.js";
import { converterOutputPath, copiedConverterNote, copyConverter, emitConvertersIndex } from "./emit/emit-converters.js";
import type { LoadedCatalog } from "./load/load-catalog.js";
import { typecheckConverters } from "./load/typecheck-converters.js";
import type { CatalogModel } from "./model/catalog-model.js";
import { CATALOG_TYPES_FILE } from "./schema/converters.js";
import { CatalogError, sortIssues } from "./schema/issues.js";
import type { Format } from "./write/prettier.js";
import { GENERATED_MARKER, type RenderedFile, banner, render } from "./write/render.js";

/** The header of the catalog's `types.ts`: the same whichever command or configuration renders it. */
const CATALOG_TYPES_HEADER = [
  `// ${GENERATED_MARKER} — do not edit.`,
  "// The payload type of every version of every event in this catalog (OrderShippedV1, OrderShippedV2, …),",
  "// for the converter modules beside the schemas. `hookline generate` rewrites it; it is not committed.",
];

/** The catalog's `types.ts` for `model`. */
export function renderCatalogTypes(model: CatalogModel): Promise<RenderedFile> {
  return render(CATALOG_TYPES_FILE, emitCatalogTypes(model), CATALOG_TYPES_HEADER);
}

/**
 * Reports the converter problems load found, else type-checks the converters against the freshly
 * emitted types; throws one CatalogError listing every problem. With `writeTypes` (generate), the
 * catalog's types.ts is written first whenever a type has several versions, so that a user about to
 * write the converter a missing-converter error asks for has the types in the editor.
 */
export async function verifyConverters(
  catalogDir: string,
  loaded: Pick<LoadedCatalog, "model" | "converterIssues">,
  options: { readonly writeTypes?: boolean } = {},
): Promise<void> {
  const { model } = loaded;
  const types = await renderCatalogTypes(model);
  if (options.writeTypes === true && hasSeveralVersions(model)) await writeCatalogTypes(catalogDir, types);
  if (loaded.converterIssues.length > 0) throw new CatalogError(catalogDir, sortIssues(loaded.converterIssues));
  const issues = typecheckConverters(catalogDir, model, types.text);
  if (issues.length > 0) throw new CatalogError(catalogDir, sortIssues(issues));
}

/** Some event type has more than one version, so the catalog needs converters and their types. */
function hasSeveralVersions(model: CatalogModel): boolean {
  const types = model.events.map((event) => event.type);
  return new Set(types).size < types.length;
}

/** Writes `<catalog>/types.ts` when its text changed, through a rename so parallel generates never see half a file. */
async function writeCatalogTypes(catalogDir: string, types: RenderedFile): Promise<void> {
  const target = path.join(catalogDir, types.path);
  if ((await readFile(target, "utf8").catch(() => undefined)) === types.text) return;
  const staging = `${target}.${process.pid}.tmp`;
  await writeFile(staging, types.text);
  await rename(staging, target);
}

/**
 * The copied converter modules and `converters.ts` of an output (none when the catalog has no
 * converters). The copies stay as the printer writes them: they are the catalog author's code.
 */
export async function renderConverterFiles(
  model: CatalogModel,
  runtime: string,
  header: readonly string[],
  format: Format,
): Promise<RenderedFile[]> {
  const converters = model.converters ?? [];
  if (converters.length === 0) return [];
  const copies = converters.map((converter) =>
    render(
      converterOutputPath(converter),
      [{ verbatim: copyConverter(converter, "../types.js") }],
      [...header, copiedConverterNote(converter)],
    ),
  );
  return Promise.all([...copies, render("converters.ts", emitConvertersIndex(model, { runtime }), header, { format })]);
}

/** The property tests of an output with a `tests` directory, which import the converters from its `outDir`. */
export async function renderConverterTests(
  model: CatalogModel,
  output: Pick<OutputConfig, "outDir"> & { readonly tests: string },
  source: string,
): Promise<RenderedFile[]> {
  const relative = path.relative(output.tests, output.outDir).split(path.sep).join("/");
  const outputFromTests = relative.startsWith(".") ? relative : `./${relative}`;
  return Promise.all(
    (model.converters ?? []).map((converter) => {
      const { pieces, substitutions } = emitConverterTest(model, converter, outputFromTests);
      return render(converterTestPath(converter), pieces, [banner(source)], { substitutions });
    }),
  );
}
