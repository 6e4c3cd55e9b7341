/**
 * The pipeline: load (read + check the catalog) → model → emit (per output target) → write.
 */

import type { GeneratorConfig, OutputConfig } from "./config.js";
import { emitCatalog } from "./emit/emit-catalog.js";
import { emitEntry } from "./emit/emit-entry.js";
import { emitTypes } from "./emit/emit-types.js";
import { VALIDATORS_PRAGMA, emitValidators } from "./emit/emit-validators.js";
import { loadCatalog } from "./load/load-catalog.js";
import type { CatalogModel } from "./model/catalog-model.js";
import { type RenderedFile, banner, render } from "./write/render.js";
import { type WriteReport, writeOutput } from "./write/write-output.js";

/** Renders every file of one output target. Pure: same model and options, same bytes. */
export async function renderOutput(model: CatalogModel, output: Pick<OutputConfig, "target" | "runtime">, source: string): Promise<RenderedFile[]> {
  const header = [banner(source)];
  const options = { runtime: output.runtime };
  const shared = await renderShared(model, options.runtime, source);
  return [...shared, await render("index.ts", emitEntry(output.target, options), header)];
}

/** types.ts, validators.ts and catalog.ts are the same for every target: rendered once per model, runtime and source. */
const sharedByModel = new WeakMap<CatalogModel, Map<string, Promise<readonly RenderedFile[]>>>();

function renderShared(model: CatalogModel, runtime: string, source: string): Promise<readonly RenderedFile[]> {
  let byKey = sharedByModel.get(model);
  if (byKey === undefined) sharedByModel.set(model, (byKey = new Map()));
  const key = JSON.stringify([runtime, source]);
  let files = byKey.get(key);
  if (files === undefined) {
    const header = [banner(source)];
    const options = { runtime };
    const catalog = emitCatalog(model, options);
    files = Promise.all([
      render("types.ts", emitTypes(model, options), header),
      render("validators.ts", emitValidators(model, options), [VALIDATORS_PRAGMA, ...header], { prettier: false }),
      render("catalog.ts", catalog.pieces, header, { substitutions: catalog.substitutions }),
    ]);
    byKey.set(key, files);
  }
  return files;
}

export interface GenerateResult {
  readonly model: CatalogModel;
  readonly outputs: ReadonlyArray<{ readonly output: OutputConfig; readonly report: WriteReport }>;
}

export async function generate(config: GeneratorConfig): Promise<GenerateResult> {
  const model = await loadCatalog(config.catalogDir);
  const outputs = [];
  for (const output of config.outputs) {
    const files = await renderOutput(model, output, config.catalog);
    outputs.push({ output, report: await writeOutput(output.outDir, files) });
  }
  return { model, outputs };
}
