/**
 * The generated validators behave exactly like ajv itself: for the real catalog and every golden
 * catalog, every example and many broken variants of it (wrong types, missing and extra
 * properties, out-of-range strings, numbers and arrays, bad formats) give the same verdict and the
 * same errors — every field, in the same order, keys in the same order — from the generated
 * validators.ts (compacted, with validator-runtime.ts instead of ajv and ajv-formats) as from a
 * plain ajv with ajv-formats compiling the same documents. One difference is deliberate: the schema
 * path of an error from a shared definition's validator is absolute (`<document $id>#/…`, so the
 * runtime can tell union branches apart); it is compared with ajv's relative one after checking
 * that its base is a catalog document.
 */

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { ts } from "ts-morph";
import { afterAll, describe, expect, it } from "vitest";
import { compactValidators } from "../src/emit/compact-validators.js";
import { type CatalogModel, loadCatalog, renderOutput } from "../src/index.js";
import { REAL_CATALOG } from "./support/catalog.js";
import { GOLDEN_CASES, RUNTIME } from "./support/golden.js";

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

type Validate = ((data: unknown) => boolean) & { errors?: unknown };

const work = await mkdtemp(path.join(os.tmpdir(), "hookline-compact-"));
afterAll(() => rm(work, { recursive: true, force: true }));

/** The generated validators.ts and validator-runtime.ts, as JavaScript in a folder of their own, imported. */
async function generatedValidators(model: CatalogModel, name: string): Promise<Record<string, Validate>> {
  const dir = path.join(work, name);
  const files = await renderOutput(model, { target: "receiver", runtime: RUNTIME }, "./catalog");
  await import("node:fs/promises").then((fs) => fs.mkdir(dir, { recursive: true }));
  for (const file of files.filter((f) => f.path === "validators.ts" || f.path === "validator-runtime.ts")) {
    const js = ts.transpileModule(file.text, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    await writeFile(path.join(dir, file.path.replace(/\.ts$/, ".js")), js);
  }
  const module = (await import(pathToFileURL(path.join(dir, "validators.js")).href)) as { validators: Record<string, Validate> };
  return module.validators;
}

/** ajv with ajv-formats, set up as the generator was before its output was compacted (shared definitions not inlined). */
function referenceValidators(model: CatalogModel): Record<string, Validate> {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true, inlineRefs: false });
  addFormats(ajv);
  ajv.addKeyword({ keyword: "x-hookline", schemaType: "object" });
  for (const document of model.documents.values()) ajv.addSchema(document);
  const latest = model.events.filter((e) => e.latest);
  return Object.fromEntries(latest.map((e) => [e.type, ajv.getSchema(e.id) as Validate]));
}

/** The example itself, then for every value in it: replaced by each odd value, removed, and its object given an extra key. */
function variants(example: unknown): unknown[] {
  const out: unknown[] = [example, null, [], "x", {}];
  const odd = [null, 0, -1, 1.5, 2 ** 40, "", "x".repeat(300), "not a date", true, [], [1, 1], ["a", "a"], {}, { extra: 1 }];
  const visit = (value: unknown, replace: (next: unknown) => unknown, remove: (() => unknown) | undefined) => {
    for (const next of odd) out.push(replace(next));
    if (remove !== undefined) out.push(remove());
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        visit(
          item,
          (next) => replace(value.map((v, j) => (j === i ? next : v))),
          () => replace(value.filter((_, j) => j !== i)),
        );
      });
      if (value.length > 0) out.push(replace([...value, value[0]]));
    } else if (value !== null && typeof value === "object") {
      const record = value as Record<string, unknown>;
      out.push(replace({ ...record, zzExtra: 1 }));
      for (const key of Object.keys(record)) {
        visit(
          record[key],
          (next) => replace({ ...record, [key]: next }),
          () => replace(Object.fromEntries(Object.entries(record).filter(([k]) => k !== key))),
        );
      }
    }
  };
  visit(example, (next) => next, undefined);
  return out;
}

/** Errors with their key order, which a user who logs them sees. */
const snapshot = (validate: Validate) => JSON.stringify(validate.errors);

/**
 * Ours, each absolute schema path (`<document>#<where the sub-validator's schema is><ajv's path>`)
 * replaced by ajv's relative one once its base is a catalog document and it ends with ajv's path.
 */
function relativeSnapshot(ours: Validate, theirs: Validate, model: CatalogModel): string {
  const mine = (ours.errors ?? []) as Array<{ schemaPath: string }>;
  const reference = (theirs.errors ?? []) as Array<{ schemaPath: string }>;
  const copied = mine.map((error, i) => {
    const expected = reference[i]?.schemaPath;
    const hash = error.schemaPath.indexOf("#");
    if (expected === undefined || error.schemaPath === expected || hash <= 0) return error;
    expect(model.documents.has(error.schemaPath.slice(0, hash)), error.schemaPath).toBe(true);
    expect(error.schemaPath.endsWith(expected.slice(1)), `${error.schemaPath} ends with ${expected}`).toBe(true);
    return { ...error, schemaPath: expected };
  });
  return JSON.stringify(ours.errors === null || ours.errors === undefined ? ours.errors : copied);
}

const CATALOGS: ReadonlyArray<readonly [name: string, dir: string]> = [
  ["real", REAL_CATALOG],
  ...GOLDEN_CASES.map((name) => [name, path.join(import.meta.dirname, "fixtures", name, "catalog")] as const),
];

describe("the generated validators give ajv's verdicts and errors", () => {
  it.each(CATALOGS)("%s catalog", async (name, dir) => {
    const model = await loadCatalog(dir);
    const generated = await generatedValidators(model, name);
    const reference = referenceValidators(model);
    let compared = 0;
    let rejected = 0;
    for (const event of model.events.filter((e) => e.latest)) {
      const ours = generated[event.type];
      const theirs = reference[event.type];
      if (ours === undefined || theirs === undefined) throw new Error(`no validator for ${event.type}`);
      for (const example of event.examples) {
        for (const payload of variants(example)) {
          const verdict = ours(payload);
          expect(verdict, `${event.type} ${JSON.stringify(payload)}`).toBe(theirs(payload));
          expect(relativeSnapshot(ours, theirs, model), `${event.type} ${JSON.stringify(payload)}`).toBe(snapshot(theirs));
          compared++;
          if (!verdict) rejected++;
        }
      }
    }
    expect(compared).toBeGreaterThan(20);
    expect(rejected).toBeGreaterThan(compared / 2);
  });
});

describe("compactValidators", () => {
  it("leaves code it does not recognise as it is", () => {
    const code = "function validate0(data) {\nconst err0 = {instancePath, keyword: 1};\nreturn true;\n}";
    expect(compactValidators(code)).toBe(code);
  });

  it("keeps a message its keyword's template does not rebuild, and a keyword schemaPath does not end with", () => {
    const report = (keyword: string, message: string, schemaPath: string) =>
      [
        `const err0 = {instancePath,schemaPath:${JSON.stringify(schemaPath)},keyword:${JSON.stringify(keyword)},params:{type: "string"},message:${JSON.stringify(message)}};`,
        "if(vErrors === null){\nvErrors = [err0];\n}\nelse {\nvErrors.push(err0);\n}",
        "errors++;",
      ].join("\n");
    const code = (keyword: string, message: string, schemaPath = "#/properties/a/type") =>
      `function validate0(data){\nlet vErrors = null;\nlet errors = 0;\n${report(keyword, message, schemaPath)}\n}`;
    expect(compactValidators(code("type", "must be string"))).toContain(
      'vErrors = addError(vErrors, instancePath, "#/properties/a/type", {type: "string"});',
    );
    expect(compactValidators(code("type", "must be a string"))).toContain(
      'vErrors = addError(vErrors, instancePath, "#/properties/a/type", {type: "string"}, "must be a string");',
    );
    expect(compactValidators(code("type", "must be string", "#/properties/a/anyOf/0"))).toContain(
      'vErrors = addError(vErrors, instancePath, "#/properties/a/anyOf/0", {type: "string"}, undefined, "type");',
    );
    expect(compactValidators(code("custom", "must be string"))).toContain(
      'vErrors = addError(vErrors, instancePath, "#/properties/a/type", {type: "string"}, "must be string", "custom");',
    );
  });
});
