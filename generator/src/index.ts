/** Public API of the generator: the same pipeline the `hookline` CLI runs, as a library. */

export { main } from "./cli.js";
export { ConfigError, loadConfig, parseConfig, type GeneratorConfig, type OutputConfig, type Target } from "./config.js";
export { generate, loadCatalog, renderOutput, type GenerateResult, type RenderOptions } from "./generate.js";
export { CatalogError, formatIssue, type CatalogIssue } from "./schema/issues.js";
export type { CatalogModel, DefinitionModel, EventModel } from "./model/catalog-model.js";
export { FormatterError, type Format } from "./write/prettier.js";
export type { RenderedFile } from "./write/render.js";
export { OutputDirectoryError } from "./write/write-output.js";
