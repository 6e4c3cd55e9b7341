/**
 * The golden files compile under the strictest flags a consumer might use, together, in ONE
 * program with each case's hand-written usage.ts (the json-schema-to-typescript typecheck test,
 * plus `@ts-expect-error` expectations that must fail on their own line).
 *
 * The goldens and usage files exist only in memory, in a folder inside this package that is never
 * written: `@hookline/core` resolves through node_modules to the runtime's real declarations
 * (packages/core/dist, built before this package's tests; the generator itself imports only the
 * document builders of `@hookline/core/internal`). Those declarations import node's modules, hence `types: ["node"]`.
 */

import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Diagnostic, Project, ts } from "ts-morph";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCatalog, renderOutput } from "../src/index.js";
import { FIXTURES, eventSchema, removeTempDirs, writeCatalog } from "./support/catalog.js";
import { GOLDEN_CASES, GOLDEN_SOURCE, RUNTIME, TARGETS, readTargetGoldens } from "./support/golden.js";

/** Where the program's files seem to be: below this package, so node_modules resolution finds `@hookline/core`. Nothing is written there. */
const ROOT = fileURLToPath(new URL("./.typecheck-program", import.meta.url));
const EXPECT_ERROR = /^\s*\/\/ @ts-expect-error\b/;

const STRICTEST: ts.CompilerOptions = {
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noPropertyAccessFromIndexSignature: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  useUnknownInCatchVariables: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  forceConsistentCasingInFileNames: true,
  skipLibCheck: false,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2023.d.ts"],
  types: ["node"],
  noEmit: true,
};

let project: Project;
/** Golden + usage files of every case, by in-memory path. */
const sources = new Map<string, string>();

beforeAll(async () => {
  // The package's own package.json ("type": "module") makes every file of the program ESM.
  project = new Project({ compilerOptions: STRICTEST });
  for (const name of GOLDEN_CASES) {
    for (const target of TARGETS) {
      for (const [file, text] of await readTargetGoldens(path.join(FIXTURES, name, "expected"), target)) {
        sources.set(`${ROOT}/${name}/expected/${target}/${file}`, text);
      }
    }
  }
  for (const name of GOLDEN_CASES) sources.set(`${ROOT}/${name}/usage.ts`, await readFile(path.join(FIXTURES, name, "usage.ts"), "utf8"));
  for (const [file, text] of sources) project.createSourceFile(file, text);
});

afterAll(removeTempDirs);

describe("golden files under the strictest compiler flags", () => {
  it("compile with zero diagnostics, together with every usage.ts", () => {
    expect(format(project.getPreEmitDiagnostics())).toEqual([]);
  });

  it.each(GOLDEN_CASES)("%s/usage.ts: every @ts-expect-error line fails on that very line, and no other line does", (name) => {
    const file = project.getSourceFileOrThrow(`${ROOT}/${name}/usage.ts`);
    const original = file.getFullText();
    const lines = original.split("\n");
    const expected = lines.flatMap((line, i) => (EXPECT_ERROR.test(line) ? [i + 2] : []));
    expect(expected.length).toBeGreaterThan(0);
    // Same line numbers, directives disarmed: the compiler must now report exactly those lines.
    file.replaceWithText(lines.map((line) => line.replace(EXPECT_ERROR, (m) => m.replace("@ts-expect-error", "expect-error"))).join("\n"));
    try {
      const failing = file.getPreEmitDiagnostics().map((d) => d.getLineNumber() ?? 0);
      expect([...new Set(failing)]).toEqual(expected);
    } finally {
      file.replaceWithText(original);
    }
  });

  it("report planted errors, one per strict flag (the harness really type-checks, with those flags on)", () => {
    const planted = [
      'import type { FeatureShowcase, Money } from "./features/expected/receiver/index.js";',
      'declare const map: FeatureShowcase["additionalPropertiesSchemaMap"];',
      'export const strict: Money = { amount: "1", currency: "USD" };',
      "export const noPropertyAccessFromIndexSignature = map.key;",
      'export const noUncheckedIndexedAccess: string = map["key"];',
      'export const exactOptionalPropertyTypes: FeatureShowcase["optionalNextToIndexSignature"] = { id: "1", note: undefined };',
      "export class Base { run(): void {} }",
      "export class NoImplicitOverride extends Base { run(): void {} }",
      "export function noImplicitReturns(x: number): number | undefined { if (x) return 1; }",
    ];
    const canary = project.createSourceFile(`${ROOT}/canary.ts`, `${planted.join("\n")}\n`);
    try {
      expect(canary.getPreEmitDiagnostics().map((d) => `${d.getLineNumber() ?? 0}: TS${d.getCode()}`)).toEqual([
        "3: TS2322", // strict
        "4: TS4111", // noPropertyAccessFromIndexSignature
        "5: TS2322", // noUncheckedIndexedAccess: string | undefined
        "6: TS2375", // exactOptionalPropertyTypes
        "8: TS4114", // noImplicitOverride
        "9: TS7030", // noImplicitReturns
      ]);
    } finally {
      project.removeSourceFile(canary);
    }
  });

  it("validators.ts opts out with its first-line @ts-nocheck, so the untyped ajv runtime imports need no declarations", () => {
    for (const [file, text] of sources) {
      if (!file.endsWith("/validators.ts")) continue;
      expect(text.split("\n", 1)[0], file).toMatch(/^\/\/ @ts-nocheck -- /);
      expect(text, file).toMatch(/^export const validators: Readonly<\{$/m);
    }
  });
});

function relative(diagnostic: Diagnostic): string {
  const file = diagnostic.getSourceFile()?.getFilePath();
  return file === undefined ? "(global)" : path.posix.relative(ROOT, file);
}

function format(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.compilerObject.messageText, "\n");
    return `${relative(d)}:${d.getLineNumber() ?? 0}: TS${d.getCode()} ${message}`;
  });
}

describe("regressions: generator bugs found by this suite", () => {
  // BUG: an object schema with no properties and `additionalProperties: false` (an event without
  // payload fields, or an always-empty nested object) is emitted as `interface Ping {}`, and `{}`
  // in TypeScript accepts every non-null value: `5`, `"x"`, `{ anything: 1 }`. The closed empty
  // object should be `{ [key: string]: never }` (e.g. objectShape sets indexType to never when
  // additionalProperties is false, no patternProperties, and there are no properties).
  it("a closed object without properties rejects non-empty values", async () => {
    const file = "events/health/ping.v1.json";
    const dir = await writeCatalog({ [file]: eventSchema(file, { required: [], properties: {}, examples: [{}] }) });
    const rendered = await renderOutput(await loadCatalog(dir), { target: "receiver", runtime: RUNTIME }, GOLDEN_SOURCE);
    const added = rendered.map((f) => project.createSourceFile(`${ROOT}/empty-object/${f.path}`, f.text));
    const usage = project.createSourceFile(
      `${ROOT}/empty-object/usage.ts`,
      [
        'import type { Ping } from "./index.js";',
        "export const empty: Ping = {};",
        "// @ts-expect-error a number is not an empty payload",
        "export const number: Ping = 5;",
        "// @ts-expect-error no property is allowed",
        "export const extra: Ping = { anything: 1 };",
        "",
      ].join("\n"),
    );
    try {
      expect(format([...added, usage].flatMap((f) => f.getPreEmitDiagnostics()))).toEqual([]);
    } finally {
      for (const f of [...added, usage]) project.removeSourceFile(f);
    }
  });
});
