/**
 * Catalog directories for reload tests: a copy of the real compiled catalog (`@hookline/sender`'s
 * dist/generated), changed the way a new `npm run generate` would change it. Each change wraps the
 * current module in a new one (the wrapped module keeps its own relative imports), so what the server
 * loads is always real module code with the real compiled validators.
 */
import { cpSync, existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultCatalogDirectory } from "../../src/catalog/catalog-loader.js";

/** A fresh copy of the sender's compiled catalog in a temporary directory. */
export function copySenderCatalog(): string {
  const dir = mkdtempSync(join(tmpdir(), "hookline-catalog-test-"));
  cpSync(defaultCatalogDirectory(), dir, { recursive: true });
  return dir;
}

export function removeCatalogDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Replaces `name` (catalog.js or schemas.js) by a module that imports the current one as `base`
 * and exports `exportName` = the value of `expression` (JavaScript, may use `base`).
 */
export function wrapModule(dir: string, name: "catalog.js" | "schemas.js", exportName: string, expression: string): void {
  let n = 1;
  while (existsSync(join(dir, name.replace(".js", `.base${n}.js`)))) n++;
  const baseName = name.replace(".js", `.base${n}.js`);
  renameSync(join(dir, name), join(dir, baseName));
  writeFileSync(join(dir, name), `import { ${exportName} as base } from "./${baseName}";\nexport const ${exportName} = ${expression};\n`);
}

/** Adds `type` (version 1) with the schema, examples and compiled validator of the existing type `like`. */
export function addEventType(dir: string, type: string, like: string): void {
  const info = `{ ...base.eventTypes[${JSON.stringify(like)}], type: ${JSON.stringify(type)}, version: 1, title: "Added", deprecated: false }`;
  const validator = `base.validators[${JSON.stringify(like)}]`;
  wrapModule(
    dir,
    "catalog.js",
    "catalog",
    `(() => { const info = ${info}; const validator = ${validator}; return {
      ...base,
      eventTypes: { ...base.eventTypes, ${JSON.stringify(type)}: info },
      validators: { ...base.validators, ${JSON.stringify(type)}: validator },
      ...(base.versions === undefined ? {} : { versions: { ...base.versions, ${JSON.stringify(type)}: { 1: { info, validator } } } }),
    }; })()`,
  );
  wrapModule(
    dir,
    "schemas.js",
    "schemas",
    `(() => { const documents = base[${JSON.stringify(like)}]; return {
      ...base,
      ${JSON.stringify(type)}: documents,
      ...(base.versions === undefined ? {} : { versions: { ...base.versions, ${JSON.stringify(type)}: { 1: documents } } }),
    }; })()`,
  );
}

/** Removes `type` from both modules, as if its schema files were deleted. */
export function removeEventType(dir: string, type: string): void {
  const drop = (path: string): string => `Object.fromEntries(Object.entries(${path}).filter(([key]) => key !== ${JSON.stringify(type)}))`;
  wrapModule(
    dir,
    "catalog.js",
    "catalog",
    `{ ...base, eventTypes: ${drop("base.eventTypes")}, validators: ${drop("base.validators")}, ...(base.versions === undefined ? {} : { versions: ${drop("base.versions")} }) }`,
  );
  wrapModule(
    dir,
    "schemas.js",
    "schemas",
    `{ ...${drop("base")}, ...(base.versions === undefined ? {} : { versions: ${drop("base.versions")} }) }`,
  );
}

/** Gives `type`'s (newest) examples a payload its validator rejects: `{}` lacks every required property. */
export function breakExample(dir: string, type: string): void {
  const key = JSON.stringify(type);
  wrapModule(
    dir,
    "schemas.js",
    "schemas",
    `(() => {
      const bad = (documents) => ({ ...documents, examples: [...documents.examples, {}] });
      const out = { ...base, ${key}: bad(base[${key}]) };
      const carried = base.versions?.[${key}];
      if (carried !== undefined) {
        const newest = Math.max(...Object.keys(carried).map(Number));
        out.versions = { ...base.versions, ${key}: { ...carried, [newest]: bad(carried[newest]) } };
      }
      return out;
    })()`,
  );
}

export function writeModule(dir: string, name: string, text: string): void {
  writeFileSync(join(dir, name), text);
}

/**
 * Adds version `version` of the existing `type`, with the schema, examples and validator of its
 * current newest version, and a converter from it down to that version (the identity: the payloads
 * are the same shape), as a new version file and its `.convert.ts` would after `npm run generate`.
 */
export function addVersion(dir: string, type: string, version: number): void {
  const key = JSON.stringify(type);
  wrapModule(
    dir,
    "catalog.js",
    "catalog",
    `(() => {
      const newest = base.versions[${key}][String(base.eventTypes[${key}].version)];
      const info = { ...newest.info, version: ${version}, deprecated: false };
      const validator = newest.validator;
      return {
        ...base,
        eventTypes: { ...base.eventTypes, ${key}: info },
        validators: { ...base.validators, ${key}: validator },
        versions: { ...base.versions, ${key}: { ...base.versions[${key}], ${version}: { info, validator } } },
        converters: { ...base.converters, ${key}: { ...base.converters?.[${key}], ${version}: { down: (payload) => payload } } },
      };
    })()`,
  );
  wrapModule(
    dir,
    "schemas.js",
    "schemas",
    `(() => { const documents = base[${key}]; return {
      ...base,
      versions: { ...base.versions, ${key}: { ...base.versions[${key}], ${version}: documents } },
    }; })()`,
  );
}
