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
  const catalog = emitCatalog(model, options);
  return Promise.all([
    render("types.ts", emitTypes(model, options), header),
    render("validators.ts", emitValidators(model, options), [VALIDATORS_PRAGMA, ...header], { prettier: false }),
    render("catalog.ts", catalog.pieces, header, { substitutions: catalog.substitutions }),
    render("index.ts", emitEntry(output.target, options), header),
  ]);
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
