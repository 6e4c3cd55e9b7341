/**
 * The self-check a loaded catalog passes before it may serve: the modules export `catalog` and
 * `schemas` of the shape the server reads, every example validates under its own version's
 * validator, and every adjacent pair of carried versions has a converter (`down`) when the catalog
 * carries versions. It reports every problem, not the first.
 */
import { issuesOf } from "@hookline/core/internal";
import type { CatalogProblem } from "../domain/catalog-reload.js";
import { type CatalogView, catalogView, type GeneratedCatalog, type GeneratedSchemas } from "./catalog-view.js";

export const CATALOG_MODULE = "catalog.js";
export const SCHEMAS_MODULE = "schemas.js";

export type CheckedCatalog =
  | { readonly ok: true; readonly view: CatalogView }
  | { readonly ok: false; readonly problems: CatalogProblem[] };

type Loose = Readonly<Record<string, unknown>>;
const isObject = (value: unknown): value is Loose => typeof value === "object" && value !== null && !Array.isArray(value);

/** Checks the namespaces of `catalog.js` and `schemas.js` and builds the view when nothing is wrong. */
export function checkCatalogModules(catalogModule: Loose, schemasModule: Loose): CheckedCatalog {
  const problems = checkShape(catalogModule, schemasModule);
  if (problems.length > 0) return { ok: false, problems };
  const catalog = catalogModule["catalog"] as GeneratedCatalog;
  const view = catalogView(catalog, schemasModule["schemas"] as GeneratedSchemas);
  problems.push(...checkExamples(view, catalog.versions !== undefined), ...checkConverters(view, catalog));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, view };
}

function checkShape(catalogModule: Loose, schemasModule: Loose): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const bad = (file: string, message: string, type?: string): void => {
    problems.push({ code: "bad_export", file, message: `${file}: ${message}`, ...(type === undefined ? {} : { type }) });
  };
  const catalog = catalogModule["catalog"];
  const schemas = schemasModule["schemas"];
  if (!isObject(catalog)) bad(CATALOG_MODULE, "does not export `catalog` (an object with eventTypes and validators).");
  if (!isObject(schemas)) bad(SCHEMAS_MODULE, "does not export `schemas` (an object keyed by event type).");
  if (!isObject(catalog) || !isObject(schemas)) return problems;
  const { eventTypes, validators, versions, converters } = catalog;
  if (!isObject(eventTypes) || !isObject(validators)) {
    bad(CATALOG_MODULE, "`catalog` must have the objects `eventTypes` and `validators`.");
    return problems;
  }
  if (versions !== undefined && !isObject(versions)) bad(CATALOG_MODULE, "`catalog.versions` must be an object keyed by event type.");
  if (converters !== undefined && !isObject(converters)) bad(CATALOG_MODULE, "`catalog.converters` must be an object keyed by event type.");
  for (const [type, info] of Object.entries(eventTypes)) {
    if (!isObject(info) || info["type"] !== type || !Number.isSafeInteger(info["version"])) {
      bad(CATALOG_MODULE, `eventTypes["${type}"] must be { type: "${type}", version: <integer>, … }.`, type);
      continue;
    }
    if (typeof validators[type] !== "function") bad(CATALOG_MODULE, `validators["${type}"] is not a validator function.`, type);
    const documents = schemas[type];
    if (!isObject(documents) || !isObject(documents["schema"]) || !Array.isArray(documents["examples"])) {
      bad(SCHEMAS_MODULE, `schemas["${type}"] must be { schema: {…}, examples: […] }.`, type);
    }
    if (isObject(versions)) problems.push(...checkVersionEntries(type, versions[type], info["version"] as number));
  }
  return problems;
}

function checkVersionEntries(type: string, entries: unknown, newest: number): CatalogProblem[] {
  const problem = (message: string): CatalogProblem => ({
    code: "bad_export",
    file: CATALOG_MODULE,
    type,
    message: `${CATALOG_MODULE}: ${message}`,
  });
  if (!isObject(entries)) return [problem(`versions["${type}"] is missing: every event type lists its carried versions.`)];
  const problems: CatalogProblem[] = [];
  for (const [key, entry] of Object.entries(entries)) {
    const valid =
      /^[1-9]\d*$/.test(key) &&
      isObject(entry) &&
      isObject(entry["info"]) &&
      entry["info"]["version"] === Number(key) &&
      typeof entry["validator"] === "function";
    if (!valid) problems.push(problem(`versions["${type}"]["${key}"] must be { info: { version: ${key}, … }, validator: <function> }.`));
  }
  if (!Object.hasOwn(entries, String(newest))) {
    problems.push(problem(`versions["${type}"] lacks v${newest}, the version eventTypes["${type}"] says is the newest.`));
  }
  return problems;
}

/** Every example of every carried version must pass that version's own validator. */
function checkExamples(view: CatalogView, carriesVersions: boolean): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  for (const type of view.types) {
    const newest = view.latest(type);
    for (const version of view.versions(type)) {
      const documents = view.schema(type, version);
      const validator = view.validator(type, version);
      if (documents === undefined) {
        // A catalog from before versions were first-class has documents for the newest version only.
        if (carriesVersions || version === newest) {
          problems.push({
            code: "missing_schema",
            file: SCHEMAS_MODULE,
            type,
            version,
            message: `${SCHEMAS_MODULE}: no schema and examples for ${type} v${version}, a version the catalog carries (schemas.versions["${type}"]["${version}"]).`,
          });
        }
        continue;
      }
      if (validator === undefined) continue;
      documents.examples.forEach((example, index) => {
        if (validator(example)) return;
        const issues = issuesOf(validator, example)
          .slice(0, 5)
          .map((issue) => `${issue.path || "(root)"} ${issue.message}`)
          .join("; ");
        problems.push({
          code: "invalid_example",
          file: SCHEMAS_MODULE,
          type,
          version,
          message:
            `Example ${index} of ${type} v${version} does not match its own schema: ${issues}. ` +
            `Fix the example (or the schema) in the catalog file of ${type} v${version}, then npm run generate.`,
        });
      });
    }
  }
  return problems;
}

/** Conversion steps one version at a time, so each carried version above the lowest needs `down` to the one below. */
function checkConverters(view: CatalogView, catalog: GeneratedCatalog): CatalogProblem[] {
  if (catalog.versions === undefined) return [];
  const problems: CatalogProblem[] = [];
  for (const type of view.types) {
    const carried = view.versions(type);
    const domain = view.info(type)?.domain ?? "<domain>";
    for (let i = 1; i < carried.length; i++) {
      const lower = carried[i - 1] as number;
      const higher = carried[i] as number;
      const file = `catalog/events/${domain}/${type}.v${higher}.convert.ts`;
      if (higher !== lower + 1) {
        problems.push({
          code: "missing_converter",
          type,
          version: lower + 1,
          message: `${type} carries v${lower} and v${higher} but not v${lower + 1}: conversion steps one version at a time, so every version in between must stay in the catalog.`,
        });
        continue;
      }
      if (typeof catalog.converters?.[type]?.[String(higher)]?.down !== "function") {
        problems.push({
          code: "missing_converter",
          type,
          version: higher,
          message: `${type} carries v${lower} and v${higher} but no converter between them: create ${file} exporting down(payload: V${higher}): V${lower}, then npm run generate.`,
        });
      }
    }
  }
  return problems;
}
