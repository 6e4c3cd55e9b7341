/**
 * The pipeline: load (read + check the catalog) → model → emit (per output target) → write.
 * This module wires the phases; each of them only receives what the one before produced.
 */

import type { Ajv2020 } from "ajv/dist/2020.js";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { ConfigError, type DocumentsConfig, type GeneratorConfig, type OutputConfig } from "./config.js";
import { renderConverterFiles, renderConverterTests, verifyConverters } from "./converters.js";
import { emitCatalog, emitSchemas } from "./emit/emit-catalog.js";
import { emitEntry } from "./emit/emit-entry.js";
import { emitTypes } from "./emit/emit-types.js";
import { VALIDATOR_RUNTIME_PRAGMA, validatorRuntimeCode } from "./emit/emit-validator-runtime.js";
import { VALIDATORS_PRAGMA, emitValidators } from "./emit/emit-validators.js";
import { createStandaloneAjv } from "./load/ajv.js";
import { loadCheckedCatalog } from "./load/load-catalog.js";
import { renderDocuments } from "./documents/render-documents.js";
import type { CatalogModel } from "./model/catalog-model.js";
import type { CatalogIssue } from "./schema/issues.js";
import type { RuleSeverities } from "./schema/lint-rules.js";
import { selectVersions } from "./model/select-versions.js";
import type { Format } from "./write/prettier.js";
import { type RenderedFile, banner, render } from "./write/render.js";
import { type WriteReport, writeOutput } from "./write/write-output.js";

/** How `renderOutput` lays out the files; `format` defaults to `"none"` (see `GeneratorConfig.format`). */
export interface RenderOptions {
  readonly format?: Format;
}

export interface GenerateResult {
  readonly model: CatalogModel;
  readonly outputs: ReadonlyArray<{ readonly output: OutputConfig; readonly report: WriteReport }>;
  /** What was written to the `tests` directory of each output that has one, in the order of `outputs`. */
  readonly tests: ReadonlyArray<{ readonly output: OutputConfig; readonly report: WriteReport }>;
  /** Problems of catalog rules configured (or defaulting) to `"warning"`: to print; they do not fail. */
  readonly warnings: readonly CatalogIssue[];
  /** Set when the configuration has `documents`: what was written to `documents.outDir`. */
  readonly documents?: { readonly outDir: string; readonly report: WriteReport };
}

export interface GenerateOptions {
  /** Told each phase as it starts, e.g. `rendering sender (1/2) from 40 event schemas`: for a progress line on large catalogs. */
  readonly onProgress?: (phase: string) => void;
}

export async function generate(config: GeneratorConfig, options: GenerateOptions = {}): Promise<GenerateResult> {
  const phase = options.onProgress ?? (() => undefined);
  phase(`loading the catalog ${config.catalog}`);
  const loaded = await loadCheckedCatalog(config.catalogDir, config.rules);
  const schemas = `${loaded.model.events.length} event schemas`;
  phase(`checking the converters of ${schemas}`);
  // The converters' types module goes into the catalog folder, where the converters import it from.
  await verifyConverters(config.catalogDir, loaded, { writeTypes: true });
  const outputs = [];
  const tests = [];
  for (const [i, output] of config.outputs.entries()) {
    const step = `${output.target} (${i + 1}/${config.outputs.length})`;
    phase(`rendering ${step} from ${schemas}`);
    const model = narrowed(loaded.model, output, `outputs[${i}].versions`);
    const files = await renderTarget(model, () => loaded.validators, output, config.catalog, config.format ?? "none");
    phase(`writing ${step}: ${files.length} files`);
    outputs.push({ output, report: await writeOutput(output.outDir, files) });
    if (output.tests !== undefined) {
      phase(`writing the converter tests of ${step}`);
      const testFiles = await renderConverterTests(model, { outDir: output.outDir, tests: output.tests }, config.catalog);
      tests.push({ output, report: await writeOutput(output.tests, testFiles) });
    }
  }
  const warnings = loaded.warnings;
  if (config.documents === undefined) return { model: loaded.model, outputs, tests, warnings };
  phase(`writing the AsyncAPI and OpenAPI documents of ${schemas}`);
  const info = { title: config.documents.title, version: await documentsVersion(config.documents, config.catalogDir) };
  const report = await writeOutput(config.documents.outDir, renderDocuments(loaded.model, info, config.catalog));
  return { model: loaded.model, outputs, tests, warnings, documents: { outDir: config.documents.outDir, report } };
}

/** The configured version, else the catalog package's, else `0.0.0`. */
async function documentsVersion(documents: DocumentsConfig, catalogDir: string): Promise<string> {
  if (documents.version !== undefined) return documents.version;
  const manifest = await readFile(path.join(catalogDir, "package.json"), "utf8").catch(() => undefined);
  const version: unknown = manifest === undefined ? undefined : (JSON.parse(manifest) as { version?: unknown }).version;
  return typeof version === "string" && version !== "" ? version : "0.0.0";
}

/**
 * The public two-step API (`loadCatalog`, then `renderOutput` per target) hands over the model
 * alone; its signatures are pinned. So that this path does not compile every schema a second time
 * either, the facade keeps the validators that checked each model it returned. Only these two
 * functions use this map: the phases receive the validators as an argument.
 */
const validatorsOfLoadedModels = new WeakMap<CatalogModel, Ajv2020>();

/**
 * Reads and checks the catalog in `catalogDir`, converters type-checked, and returns its model;
 * throws one CatalogError listing every problem.
 */
export async function loadCatalog(catalogDir: string): Promise<CatalogModel> {
  return (await loadCatalogWithWarnings(catalogDir)).model;
}

/** `loadCatalog` with configured rule severities, also returning the warnings (`hookline validate`). */
export async function loadCatalogWithWarnings(
  catalogDir: string,
  rules: RuleSeverities = {},
): Promise<{ model: CatalogModel; warnings: readonly CatalogIssue[] }> {
  const loaded = await loadCheckedCatalog(catalogDir, rules);
  await verifyConverters(catalogDir, loaded);
  const { model, validators } = loaded;
  validatorsOfLoadedModels.set(model, validators);
  return { model, warnings: loaded.warnings };
}

/**
 * Renders every file of one output target (narrowed to `output.versions` when given). Pure: same
 * model and options, same bytes.
 * @throws ConfigError when `output.versions` names a type or version the model lacks.
 */
export async function renderOutput(
  model: CatalogModel,
  output: Pick<OutputConfig, "target" | "runtime" | "versions">,
  source: string,
  options: RenderOptions = {},
): Promise<RenderedFile[]> {
  // A model built by hand (not by `loadCatalog`) gets its validators compiled when first needed.
  const validators = () => validatorsOfLoadedModels.get(model) ?? createStandaloneAjv(model.documents.values());
  return renderTarget(narrowed(model, output, "versions"), validators, output, source, options.format ?? "none");
}

/** The model an output renders: every version, or only those its `versions` option names. */
function narrowed(model: CatalogModel, output: Pick<OutputConfig, "versions">, where: string): CatalogModel {
  if (output.versions === undefined) return model;
  return selectVersions(model, output.versions, (message) => {
    throw new ConfigError(`${where}: ${message}. Name versions that exist, or leave the type out to carry all of them.`);
  });
}

/** `validators` is called only when the files shared by every target are not rendered yet. */
type ValidatorsSource = () => Ajv2020;

async function renderTarget(
  model: CatalogModel,
  validators: ValidatorsSource,
  output: Pick<OutputConfig, "target" | "runtime">,
  source: string,
  format: Format,
): Promise<RenderedFile[]> {
  const shared = await renderShared(model, validators, output.runtime, source, format);
  return [...shared, await render("index.ts", emitEntry(output.target, { runtime: output.runtime }), [banner(source)], { format })];
}

/**
 * types.ts, validators.ts, validator-runtime.ts, catalog.ts, schemas.ts and the converters are the same for every
 * target: rendered once per model, runtime, source and format. Also what `hookline pack` ships once
 * for every entry of a package.
 */
const sharedByModel = new WeakMap<CatalogModel, Map<string, Promise<readonly RenderedFile[]>>>();

export function renderShared(
  model: CatalogModel,
  validators: ValidatorsSource,
  runtime: string,
  source: string,
  format: Format,
): Promise<readonly RenderedFile[]> {
  let byKey = sharedByModel.get(model);
  if (byKey === undefined) {
    byKey = new Map();
    sharedByModel.set(model, byKey);
  }
  const key = JSON.stringify([runtime, source, format]);
  let files = byKey.get(key);
  if (files === undefined) {
    const header = [banner(source)];
    const options = { runtime };
    const catalog = emitCatalog(model, options);
    const schemas = emitSchemas(model, options);
    const compiled = emitValidators(model, validators(), options);
    // ajv's code is machine output and stays as printed: formatting it would cost seconds per hundred event types.
    const runtimeFiles =
      compiled.runtimeRequests.length === 0
        ? []
        : [
            render(
              "validator-runtime.ts",
              [{ verbatim: validatorRuntimeCode(compiled.runtimeRequests) }],
              [VALIDATOR_RUNTIME_PRAGMA, ...header],
            ),
          ];
    files = Promise.all([
      render("types.ts", emitTypes(model, options), header, { format }),
      render("validators.ts", compiled.pieces, [VALIDATORS_PRAGMA, ...header]),
      ...runtimeFiles,
      render("catalog.ts", catalog.pieces, header, { format, substitutions: catalog.substitutions }),
      render("schemas.ts", schemas.pieces, header, { format, substitutions: schemas.substitutions }),
    ]).then(async (rendered) => [...rendered, ...(await renderConverterFiles(model, runtime, header, format))]);
    byKey.set(key, files);
  }
  return files;
}
