/**
 * Generator configuration: where the catalog is and which SDK sources to write where.
 *
 * Read from `hookline.config.json`, or the `"hookline"` field of `package.json`, in the working
 * directory (or the file given with --config). Paths are relative to the file that holds them.
 */

import { readFile } from "node:fs/promises";
import { createRequire, isBuiltin } from "node:module";
import path from "node:path";
import { LINT_RULES, type LintRuleId, type RuleSeverities, SEVERITIES, type Severity, isLintRuleId } from "./schema/lint-rules.js";
import { FORMATS, type Format } from "./write/prettier.js";

export type Target = "sender" | "receiver";
export const TARGETS: readonly Target[] = ["sender", "receiver"];

export interface OutputConfig {
  /** Which SDK to emit: `sender` (producer side) or `receiver` (consumer side). */
  readonly target: Target;
  /** Directory that will hold exactly the generated files (it is cleaned of orphans). */
  readonly outDir: string;
  /** npm name of the hand-written runtime the generated code imports. Default `@hookline/core`. */
  readonly runtime: string;
  /**
   * Directory that receives one generated vitest property test per converter module (the converted
   * payloads of generated valid payloads are valid under the other version); absent: no tests.
   */
  readonly tests?: string;
  /**
   * Only these versions of the named event types, e.g. `{ "order.shipped": [1] }` for a customer
   * pinned to v1: the SDK then has v1's type and validator only for that type, and refuses other
   * versions (422 naming the ones it carries). Types not named keep every version. Default: all.
   */
  readonly versions?: Readonly<Record<string, readonly number[]>>;
}

/** The `package` section: one publishable npm package with `.`, `./sender` and `./receiver` entries. */
export interface PackageConfig {
  /** npm name, e.g. `@acme/webhooks`. */
  readonly name: string;
  /** Semantic version of the package, e.g. `1.0.0`. */
  readonly version: string;
  readonly description: string;
  /** SPDX licence expression, e.g. `MIT`, or `UNLICENSED`. */
  readonly license: string;
  /** Subpath entries to build; the types and catalog entry `.` is always there. */
  readonly targets: readonly Target[];
  /** The runtime dependency: its npm name and the semver range the package declares. */
  readonly runtime: { readonly name: string; readonly range: string };
  /** Directory that receives the publishable package; the generator owns it (see `.hookline-manifest.json`). */
  readonly outDir: string;
}

export interface GeneratorConfig {
  /** Catalog folder: a path, or an npm package name whose folder holds the catalog. */
  readonly catalog: string;
  readonly catalogDir: string;
  readonly outputs: readonly OutputConfig[];
  /** Set when the configuration has a `package` section (`hookline pack`). */
  readonly package?: PackageConfig;
  /** Folder of the configuration file: where the runtime is resolved from when compiling a package. */
  readonly baseDir: string;
  /**
   * Layout of the generated files. `"none"` (default): the TypeScript printer's, stable for a
   * generator version and fast on large catalogs. `"prettier"`: that text formatted by prettier,
   * which must then be installed; the bytes then also depend on its version.
   */
  readonly format?: Format;
  /** Set when the configuration has a `documents` section: AsyncAPI and OpenAPI webhooks documents. */
  readonly documents?: DocumentsConfig;
  /**
   * Severity of the catalog's style rules, e.g. `{ "property-description": "warning" }`; rules not
   * named keep their default (generator README, "Catalog rules"). Warnings are printed and do not fail.
   */
  readonly rules?: RuleSeverities;
}

/** `documents`: where `hookline generate` writes `asyncapi.json` and `openapi.json`, and their `info`. */
export interface DocumentsConfig {
  readonly outDir: string;
  /** `info.title`; default `Webhooks`. */
  readonly title: string;
  /** `info.version`; default the catalog package's version (its package.json), else `0.0.0`. */
  readonly version: string | undefined;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

const CONFIG_FILE = "hookline.config.json";
/** The runtime the generated code imports unless a configuration names another. */
export const DEFAULT_RUNTIME = "@hookline/core";
/**
 * The versions of `@hookline/core` this generator's output is compatible with: the dependency range a
 * packed SDK declares. `test/core-api.test.ts` fails when core's public API changes without a
 * version bump, and asks for this range to be updated with it.
 */
export const RUNTIME_RANGE = "^0.4.0";

export async function loadConfig(cwd: string, configPath?: string): Promise<GeneratorConfig> {
  if (configPath !== undefined) {
    const file = path.resolve(cwd, configPath);
    const raw = await readJson(file).catch((error: NodeJS.ErrnoException) =>
      Promise.reject(
        error.code === "ENOENT"
          ? new ConfigError(
              `${file} does not exist: pass the path of a hookline.config.json with --config, or omit --config to use ./${CONFIG_FILE}.`,
            )
          : error,
      ),
    );
    return parseConfig(raw, file);
  }
  const own = path.join(cwd, CONFIG_FILE);
  const direct = await readJson(own).catch((error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? undefined : Promise.reject(error)));
  if (direct !== undefined) return parseConfig(direct, own);
  const pkgFile = path.join(cwd, "package.json");
  const pkg = await readJson(pkgFile).catch(() => undefined);
  if (isRecord(pkg) && pkg.hookline !== undefined) return parseConfig(pkg.hookline, `${pkgFile}#hookline`);
  throw new ConfigError(
    `No generator configuration in ${cwd}: add ${CONFIG_FILE} (or a "hookline" field in package.json), e.g. {"catalog": "./catalog", "outputs": [{"target": "receiver", "outDir": "src/generated"}]}, or pass --config <file>.`,
  );
}

/** Validates a configuration object; `where` names the file (and field) for messages. */
export function parseConfig(raw: unknown, where: string): GeneratorConfig {
  const fail = (message: string): never => {
    throw new ConfigError(`${where}: ${message}`);
  };
  if (!isRecord(raw)) return fail("the configuration must be a JSON object");
  const base = path.dirname(where.replace(/#hookline$/, ""));
  for (const key of Object.keys(raw))
    if (!["$schema", "catalog", "outputs", "package", "format", "documents", "rules"].includes(key))
      fail(`unknown field "${key}" (allowed: catalog, outputs, package, format, documents, rules)`);
  if (typeof raw.catalog !== "string" || raw.catalog === "")
    return fail('"catalog" must be a folder path or a package name, e.g. "./catalog"');
  if (raw.outputs === undefined && raw.package === undefined && raw.documents === undefined)
    return fail(
      'give "outputs" (SDK sources for a workspace), "package" (a publishable npm package) or "documents" (AsyncAPI and OpenAPI files)',
    );
  if (raw.outputs !== undefined && (!Array.isArray(raw.outputs) || raw.outputs.length === 0))
    return fail('"outputs" must list at least one {"target", "outDir"}');
  const outputs = ((raw.outputs ?? []) as unknown[]).map((output: unknown, i: number): OutputConfig => {
    const at = `outputs[${i}]`;
    if (!isRecord(output)) return fail(`${at} must be an object`);
    for (const key of Object.keys(output))
      if (!["target", "outDir", "runtime", "tests", "versions"].includes(key))
        fail(`${at}: unknown field "${key}" (allowed: target, outDir, runtime, tests, versions)`);
    if (!TARGETS.includes(output.target as Target)) fail(`${at}.target must be one of ${TARGETS.map((t) => `"${t}"`).join(", ")}`);
    if (typeof output.outDir !== "string" || output.outDir === "") fail(`${at}.outDir must be a directory path, e.g. "src/generated"`);
    if (output.runtime !== undefined && (typeof output.runtime !== "string" || output.runtime === ""))
      fail(`${at}.runtime must be an npm package name`);
    if (output.tests !== undefined && (typeof output.tests !== "string" || output.tests === ""))
      fail(`${at}.tests must be a directory path for the generated converter tests, e.g. "test/generated"`);
    const versions = output.versions === undefined ? undefined : parseVersions(output.versions, `${at}.versions`, fail);
    return {
      target: output.target as Target,
      outDir: path.resolve(base, output.outDir as string),
      runtime: (output.runtime as string | undefined) ?? DEFAULT_RUNTIME,
      ...(typeof output.tests === "string" ? { tests: path.resolve(base, output.tests) } : {}),
      ...(versions === undefined ? {} : { versions }),
    };
  });
  if (raw.format !== undefined && !FORMATS.includes(raw.format as Format))
    fail(
      `"format" must be ${FORMATS.map((f) => `"${f}"`).join(" or ")} (default "none": no formatter; "prettier" needs prettier installed)`,
    );
  // Each output directory is cleaned of files it did not render, so two outputs must never overlap.
  outputs.forEach((output, i) => {
    const clash = outputs.findIndex(
      (other, j) => j < i && (isSameOrInside(output.outDir, other.outDir) || isSameOrInside(other.outDir, output.outDir)),
    );
    if (clash !== -1) fail(`outputs[${i}].outDir overlaps outputs[${clash}].outDir; give every output its own directory`);
  });
  // The tests directory is cleaned of files it did not render too: it may overlap no output directory.
  outputs.forEach((output, i) => {
    if (output.tests === undefined) return;
    const clash = outputs.findIndex(
      (other, j) =>
        isSameOrInside(output.tests as string, other.outDir) ||
        isSameOrInside(other.outDir, output.tests as string) ||
        (j !== i && other.tests !== undefined && isSameOrInside(output.tests as string, other.tests)),
    );
    if (clash !== -1)
      fail(
        `outputs[${i}].tests overlaps an outDir or the tests directory of outputs[${clash}]; give the tests a directory of their own, e.g. "test/generated"`,
      );
  });
  const pkg = raw.package === undefined ? undefined : parsePackage(raw.package, base, fail);
  const documents = raw.documents === undefined ? undefined : parseDocuments(raw.documents, base, fail);
  if (documents !== undefined) {
    const clash = outputs.findIndex((o) => isSameOrInside(o.outDir, documents.outDir) || isSameOrInside(documents.outDir, o.outDir));
    if (clash !== -1)
      fail(`documents.outDir overlaps outputs[${clash}].outDir; give the documents a directory of their own, e.g. "docs/webhooks"`);
  }
  const catalogDir = resolveCatalogDir(raw.catalog, base, fail);
  const rules = raw.rules === undefined ? undefined : parseRules(raw.rules, fail);
  if (pkg !== undefined) {
    // pack replaces package.outDir whole: it must hold nothing but the package.
    const clash = outputs.findIndex((o) => isSameOrInside(o.outDir, pkg.outDir) || isSameOrInside(pkg.outDir, o.outDir));
    if (clash !== -1) fail(`package.outDir overlaps outputs[${clash}].outDir; give the package a directory of its own, e.g. "dist/sdk"`);
    if (isSameOrInside(base, pkg.outDir))
      fail(
        `package.outDir ${JSON.stringify(pkg.outDir)} is the configuration's folder${pkg.outDir === base ? "" : " or one above it"}, which pack would replace; use a folder of its own inside it, e.g. "dist/sdk"`,
      );
    if (isSameOrInside(pkg.outDir, catalogDir) || isSameOrInside(catalogDir, pkg.outDir))
      fail(`package.outDir overlaps the catalog folder ${catalogDir}; put the package outside it, e.g. "dist/sdk"`);
  }
  return {
    catalog: raw.catalog,
    catalogDir,
    outputs,
    format: (raw.format as Format | undefined) ?? "none",
    ...(pkg === undefined ? {} : { package: pkg }),
    ...(documents === undefined ? {} : { documents }),
    ...(rules === undefined ? {} : { rules }),
    baseDir: base,
  };
}

/** `"rules"`: rule id → "error" | "warning" | "off". */
function parseRules(raw: unknown, fail: (message: string) => never): RuleSeverities {
  const ids = Object.keys(LINT_RULES).join(", ");
  if (!isRecord(raw))
    return fail(`"rules" must be an object of rule id → "error", "warning" or "off", e.g. {"property-description": "warning"}`);
  const rules: Partial<Record<LintRuleId, Severity>> = {};
  for (const [id, severity] of Object.entries(raw)) {
    if (!isLintRuleId(id)) return fail(`rules: unknown rule "${id}" (rules: ${ids})`);
    if (!SEVERITIES.includes(severity as Severity))
      fail(`rules.${id} must be "error", "warning" or "off" (got ${JSON.stringify(severity)})`);
    rules[id] = severity as Severity;
  }
  return rules;
}

function parseDocuments(raw: unknown, base: string, fail: (message: string) => never): DocumentsConfig {
  if (!isRecord(raw)) return fail('"documents" must be an object, e.g. {"outDir": "docs/webhooks"}');
  for (const key of Object.keys(raw))
    if (!["outDir", "title", "version"].includes(key)) fail(`documents: unknown field "${key}" (allowed: outDir, title, version)`);
  if (typeof raw.outDir !== "string" || raw.outDir === "") fail('documents.outDir must be a directory path, e.g. "docs/webhooks"');
  for (const key of ["title", "version"])
    if (raw[key] !== undefined && (typeof raw[key] !== "string" || raw[key] === "")) fail(`documents.${key} must be a non-empty string`);
  return {
    outDir: path.resolve(base, raw.outDir as string),
    title: (raw.title as string | undefined) ?? "Webhooks",
    version: raw.version as string | undefined,
  };
}

const PACKAGE_FIELDS = ["name", "version", "description", "license", "targets", "runtime", "outDir"];

function parsePackage(raw: unknown, base: string, fail: (m: string) => never): PackageConfig {
  if (!isRecord(raw)) return fail('"package" must be an object, e.g. {"name": "@acme/webhooks", "version": "1.0.0", "outDir": "dist/sdk"}');
  for (const key of Object.keys(raw))
    if (!PACKAGE_FIELDS.includes(key)) fail(`package: unknown field "${key}" (allowed: ${PACKAGE_FIELDS.join(", ")})`);
  const name = raw.name;
  if (typeof name !== "string") return fail('package.name must be an npm package name under your own scope, e.g. "@acme/webhooks"');
  const nameProblem = npmNameProblem(name);
  if (nameProblem !== undefined) fail(`package.name ${JSON.stringify(name)} is not a valid npm package name: ${nameProblem}`);
  const versionProblem = semverProblem(raw.version);
  if (versionProblem !== undefined) fail(`package.version ${JSON.stringify(raw.version)} ${versionProblem}`);
  for (const field of ["description", "license"] as const) {
    const value = raw[field];
    if (value === undefined) continue;
    if (typeof value !== "string" || value.trim() === "")
      fail(`package.${field} must be a non-empty string${field === "license" ? ', an SPDX expression such as "MIT" or "UNLICENSED"' : ""}`);
    // npm and the README show it as one paragraph; a line break would end it (and start README markdown).
    if (/[\p{Cc}\u2028\u2029]/u.test(value as string))
      fail(`package.${field} must be one line: remove its line breaks and control characters`);
  }
  const targets = raw.targets ?? TARGETS;
  if (!Array.isArray(targets) || targets.length === 0) return fail(`package.targets must list one or more of ${quoted(TARGETS)}`);
  targets.forEach((target: unknown, i) => {
    if (!TARGETS.includes(target as Target)) fail(`package.targets: unknown target ${JSON.stringify(target)}; use ${quoted(TARGETS)}`);
    if (targets.indexOf(target) !== i) fail(`package.targets lists "${target}" twice; list each target once`);
  });
  if (typeof raw.outDir !== "string" || raw.outDir === "")
    return fail('package.outDir must be a directory for the publishable package, e.g. "dist/sdk"');
  const runtime = raw.runtime ?? {};
  if (!isRecord(runtime))
    return fail(
      'package.runtime must be an object, e.g. {"name": "@acme/hookline-core", "range": "^0.4.0"}, or be left out for @hookline/core',
    );
  for (const key of Object.keys(runtime))
    if (!["name", "range"].includes(key)) fail(`package.runtime: unknown field "${key}" (allowed: name, range)`);
  const runtimeName = runtime.name ?? DEFAULT_RUNTIME;
  if (typeof runtimeName !== "string" || npmNameProblem(runtimeName) !== undefined)
    fail(`package.runtime.name ${JSON.stringify(runtimeName)} is not a valid npm package name, e.g. "@acme/hookline-core"`);
  if (runtimeName === name)
    fail(`package.runtime.name is the package's own name "${name}"; name the runtime it depends on, e.g. "${DEFAULT_RUNTIME}"`);
  const range = runtime.range ?? RUNTIME_RANGE;
  if (typeof range !== "string" || !isSemverRange(range))
    fail(
      `package.runtime.range ${JSON.stringify(range)} is not a semver range; use e.g. "${RUNTIME_RANGE}" (what this generator is compatible with)`,
    );
  return {
    name,
    version: raw.version as string,
    description: (raw.description as string | undefined) ?? `Typed webhooks for ${name}: sender and receiver SDKs generated by Hookline.`,
    license: (raw.license as string | undefined) ?? "UNLICENSED",
    targets: TARGETS.filter((t) => (targets as unknown[]).includes(t)),
    runtime: { name: runtimeName as string, range: range as string },
    outDir: path.resolve(base, raw.outDir),
  };
}

/** semver.org's grammar: MAJOR.MINOR.PATCH, optional pre-release and build metadata. */
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
/** The longest version npm's semver parses. */
const SEMVER_MAX_LENGTH = 256;

/** Why npm would not publish `version` as written (the rest of the message, naming the fix), or undefined. */
function semverProblem(version: unknown): string | undefined {
  const match = typeof version === "string" ? SEMVER.exec(version) : null;
  if (typeof version !== "string" || match === null)
    return 'is not a semantic version: write MAJOR.MINOR.PATCH, e.g. "1.0.0" or "1.1.0-beta.1"';
  if (version.length > SEMVER_MAX_LENGTH)
    return `is longer than npm accepts (${SEMVER_MAX_LENGTH} characters): shorten its pre-release part`;
  if (match.slice(1, 4).some((n) => !Number.isSafeInteger(Number(n))))
    return `has a number larger than npm accepts (${Number.MAX_SAFE_INTEGER}): use smaller MAJOR.MINOR.PATCH numbers`;
  const build = match[5];
  if (build !== undefined) {
    const release = version.slice(0, version.length - build.length - 1);
    return `has build metadata "+${build}", which npm drops when publishing (it would publish ${release}): remove it, or use a pre-release such as "${release}-${build}"`;
  }
  return undefined;
}

/** npm's range grammar for the forms a dependency range uses: comparators joined by spaces and `||`. */
function isSemverRange(range: string): boolean {
  const partial = /^(?:\^|~|>=|<=|>|<|=)?v?(?:\d+|[xX*])(?:\.(?:\d+|[xX*])(?:\.(?:\d+|[xX*])(?:-[0-9A-Za-z.-]+)?)?)?$/;
  return range.split("||").every(
    (set) =>
      set.trim() !== "" &&
      set
        .trim()
        .split(/\s+/)
        .every((comparator) => partial.test(comparator)),
  );
}

/** Names npm refuses whatever their form (validate-npm-package-name's blocklist). */
const BLOCKED_NAMES = ["node_modules", "favicon.ico"];

/** The rules npm applies to new package names (validate-npm-package-name), as one reason naming the fix, or undefined. */
export function npmNameProblem(name: string): string | undefined {
  if (name.length > 214) return "it is longer than 214 characters, npm's limit; shorten it";
  if (name !== name.toLowerCase()) return "npm names are lower case";
  if (name.trim() !== name) return "it has leading or trailing spaces";
  const match = /^(?:@([^/]+)\/)?([^/]+)$/.exec(name);
  if (match === null) return 'write "name" or "@scope/name"';
  for (const part of [match[1], match[2]]) {
    if (part === undefined) continue;
    if (part.startsWith(".") || part.startsWith("_")) return "a name or scope cannot start with . or _";
    // npm no longer accepts ~ ' ! ( ) * in new names, nor anything a URL would have to escape.
    if (!/^[a-z0-9._-]+$/.test(part)) return "use only a-z, 0-9, and - . _";
  }
  if (match[1] === undefined && BLOCKED_NAMES.includes(name))
    return `npm does not allow "${name}"; use a scoped name, e.g. "@acme/webhooks"`;
  if (match[1] === undefined && isBuiltin(name))
    return `"${name}" is a Node.js core module, which require("${name}") loads instead; use a scoped name, e.g. "@acme/${name}"`;
  return undefined;
}

function quoted(values: readonly string[]): string {
  return values.map((v) => `"${v}"`).join(", ");
}

/** `./catalog` is a path; `@acme/catalog` is a package resolved from the config's folder. */
function resolveCatalogDir(catalog: string, base: string, fail: (m: string) => never): string {
  if (catalog.startsWith(".") || path.isAbsolute(catalog)) return path.resolve(base, catalog);
  try {
    const require = createRequire(path.join(base, "noop.js"));
    return path.dirname(require.resolve(`${catalog}/package.json`));
  } catch {
    return fail(`"catalog": package "${catalog}" is not installed here; install it, or give a path starting with "./"`);
  }
}

async function readJson(file: string): Promise<unknown> {
  const text = await readFile(file, "utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

function isSameOrInside(dir: string, other: string): boolean {
  const relative = path.relative(other, dir);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

/** `{ "order.shipped": [1] }`: event type → a non-empty list of distinct positive integers. */
function parseVersions(raw: unknown, at: string, fail: (message: string) => never): Record<string, number[]> {
  const example = 'e.g. {"order.shipped": [1]}';
  if (!isRecord(raw)) return fail(`${at} must be an object of event type → versions to carry, ${example}`);
  const versions: Record<string, number[]> = {};
  for (const [type, list] of Object.entries(raw)) {
    if (!Array.isArray(list) || list.length === 0 || !list.every((v) => Number.isSafeInteger(v) && (v as number) >= 1))
      fail(`${at}.${type} must list the versions to carry as positive integers, ${example}`);
    versions[type] = [...new Set(list as number[])].sort((a, b) => a - b);
  }
  return versions;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
