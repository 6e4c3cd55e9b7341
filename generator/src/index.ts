/** Public API of the generator: the same pipeline the `hookline` CLI runs, as a library. */

export { main } from "./cli.js";
export {
  ConfigError,
  loadConfig,
  parseConfig,
  RUNTIME_RANGE,
  type GeneratorConfig,
  type OutputConfig,
  type DocumentsConfig,
  type PackageConfig,
  type Target,
} from "./config.js";
export { pack, type PackResult } from "./pack.js";
export { renderDocuments } from "./documents/render-documents.js";
export { generate, loadCatalog, renderOutput, type GenerateOptions, type GenerateResult, type RenderOptions } from "./generate.js";
export { CatalogError, formatIssue, type CatalogIssue } from "./schema/issues.js";
export type { LintRuleId, RuleSeverities, Severity } from "./schema/lint-rules.js";
export type { CatalogModel, ConverterModel, DefinitionModel, EventModel } from "./model/catalog-model.js";
export { FormatterError, type Format } from "./write/prettier.js";
export type { RenderedFile } from "./write/render.js";
export { OutputDirectoryError } from "./write/write-output.js";
export { PackError } from "./write/write-package.js";
export { compareSchemas, type CompareOptions, type SchemaChange } from "./compat/diff.js";
export { RULES, type ModeVerdicts, type RuleName, type Verdict } from "./compat/rules.js";
export { CATALOG_RULES, type CatalogRuleName } from "./compat/rules.js";
export {
  checkCatalog,
  type CheckChange,
  type CheckNotice,
  type CheckOptions,
  type CheckReport,
  type CheckSubject,
  type CompatibilityMode,
} from "./check/check-catalog.js";
export { CheckError } from "./check/check-error.js";
export { formatCheckReport } from "./check/report-text.js";
export type { Subscriber, Subscribers } from "./check/subscribers.js";
