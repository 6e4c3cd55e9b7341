/**
 * `hookline pack`: the configuration's `package` section → one publishable npm package directory.
 * The same load and emit phases as `generate`; the shared modules (types, validators, catalog) are
 * rendered once and imported by every entry, then compiled to JavaScript and `.d.ts` and written
 * together with package.json and the README (see README "Install the SDKs").
 */

import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { ConfigError, type GeneratorConfig, type PackageConfig } from "./config.js";
import {
  type CatalogSource,
  emitPackageCjsTypes,
  emitPackageEntry,
  emitPackageIndex,
  emitPackageJson,
  emitPackageReadme,
  packageEntries,
} from "./emit/emit-package.js";
import { verifyConverters } from "./converters.js";
import { renderShared } from "./generate.js";
import { loadCheckedCatalog } from "./load/load-catalog.js";
import type { CatalogIssue } from "./schema/issues.js";
import { compareCodeUnits } from "./schema/compare.js";
import type { CatalogModel } from "./model/catalog-model.js";
import { compilePackage } from "./write/compile-package.js";
import { type RenderedFile, banner, render } from "./write/render.js";
import { writePackage } from "./write/write-package.js";

export interface PackResult {
  readonly model: CatalogModel;
  readonly package: PackageConfig;
  /** Every file written, relative to `package.outDir`. */
  readonly files: readonly string[];
  readonly dependencies: Readonly<Record<string, string>>;
  /** Problems of catalog rules set to `"warning"`: to print; they do not fail. */
  readonly warnings: readonly CatalogIssue[];
}

export async function pack(config: GeneratorConfig): Promise<PackResult> {
  const pkg = config.package;
  if (pkg === undefined)
    throw new ConfigError(
      'The configuration has no "package" section, which `hookline pack` builds: add e.g. "package": {"name": "@acme/webhooks", "version": "1.0.0", "outDir": "dist/sdk"}.',
    );
  const loaded = await loadCheckedCatalog(config.catalogDir, config.rules);
  await verifyConverters(config.catalogDir, loaded);
  const { model, validators } = loaded;
  const header = [banner(config.catalog)];
  const sources = [
    ...(await renderShared(model, () => validators, pkg.runtime.name, config.catalog, config.format ?? "none")),
    await render("index.ts", emitPackageIndex(), header, { format: config.format ?? "none" }),
    ...(await Promise.all(
      pkg.targets.map((t) => render(`${t}.ts`, emitPackageEntry(t, pkg.runtime.name), header, { format: config.format ?? "none" })),
    )),
  ];
  const dependencies = packageDependencies(sources, pkg.runtime);
  const files = [
    ...compilePackage(sources, config.baseDir, pkg.runtime.name),
    ...packageEntries(pkg).map(({ module }) => ({ path: `dist/${module}.d.cts`, text: emitPackageCjsTypes(module, header) })),
    { path: "package.json", text: emitPackageJson(pkg, dependencies) },
    { path: "README.md", text: emitPackageReadme(pkg, model, await catalogSource(config, model)) },
  ];
  files.sort((a, b) => compareCodeUnits(a.path, b.path));
  await writePackage(pkg.outDir, files);
  return { model, package: pkg, files: files.map((f) => f.path), dependencies, warnings: loaded.warnings };
}

/**
 * The package's run-time dependencies: every package the generated modules import, the runtime at
 * its configured range and any other at the range the generator itself depends on (their code is
 * the generator's, so its range is the one known to work). Derived from the imports, so code that
 * stops importing a package stops depending on it.
 */
export function packageDependencies(sources: readonly RenderedFile[], runtime: PackageConfig["runtime"]): Readonly<Record<string, string>> {
  const own = (createRequire(import.meta.url)("../package.json") as { dependencies: Record<string, string> }).dependencies;
  const dependencies: Record<string, string> = {};
  for (const file of sources) {
    for (const match of file.text.matchAll(/^\s*(?:import|export)\b[^;]*?from\s+"([^"]+)"|^\s*import\s+"([^"]+)"/gm)) {
      const specifier = (match[1] ?? match[2]) as string;
      if (specifier.startsWith(".") || specifier.startsWith("node:")) continue;
      const name = specifier
        .split("/")
        .slice(0, specifier.startsWith("@") ? 2 : 1)
        .join("/");
      if (name === runtime.name) dependencies[name] = runtime.range;
      else if (own[name] !== undefined) dependencies[name] = own[name] as string;
      else
        throw new Error(`hookline pack: generated code imports "${specifier}", which the generator does not depend on (a generator bug)`);
    }
  }
  return Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => compareCodeUnits(a, b)));
}

async function catalogSource(config: GeneratorConfig, model: CatalogModel): Promise<CatalogSource> {
  const manifest = await readFile(path.join(config.catalogDir, "package.json"), "utf8").then(
    (text) => JSON.parse(text) as { version?: unknown },
    () => ({}) as { version?: unknown },
  );
  const hash = createHash("sha256");
  for (const id of [...model.documents.keys()].sort()) hash.update(`${id}\n${JSON.stringify(model.documents.get(id))}\n`);
  return {
    name: config.catalog,
    version: typeof manifest.version === "string" ? manifest.version : undefined,
    digest: hash.digest("hex"),
  };
}
