/** The generator's public types, pinned (vitest typecheck: these run under tsc, not at run time). */

import { expectTypeOf, test } from "vitest";
import type {
  CatalogError,
  CompareOptions,
  ModeVerdicts,
  SchemaChange,
  Verdict,
  CatalogIssue,
  LintRuleId,
  CatalogModel,
  Format,
  GenerateOptions,
  GenerateResult,
  GeneratorConfig,
  OutputConfig,
  RenderOptions,
  RenderedFile,
  Target,
} from "../src/index.js";
import { compareSchemas, generate, loadCatalog, main, parseConfig, renderOutput } from "../src/index.js";

test("catalog problems are plain readonly data", () => {
  expectTypeOf<CatalogIssue>().toEqualTypeOf<{
    readonly file: string;
    readonly pointer: string;
    readonly line?: number | undefined;
    readonly message: string;
    readonly fix: string;
    readonly rule?: LintRuleId | undefined;
  }>();
  expectTypeOf<CatalogError["issues"]>().toEqualTypeOf<readonly CatalogIssue[]>();
});

test("the pipeline functions", () => {
  expectTypeOf(loadCatalog).toEqualTypeOf<(catalogDir: string) => Promise<CatalogModel>>();
  expectTypeOf(renderOutput).parameters.toEqualTypeOf<
    [
      model: CatalogModel,
      output: Pick<OutputConfig, "target" | "runtime" | "versions">,
      source: string,
      options?: RenderOptions | undefined,
    ]
  >();
  expectTypeOf(renderOutput).returns.resolves.toEqualTypeOf<RenderedFile[]>();
  expectTypeOf(generate).toEqualTypeOf<(config: GeneratorConfig, options?: GenerateOptions) => Promise<GenerateResult>>();
  expectTypeOf<GenerateOptions>().toEqualTypeOf<{ readonly onProgress?: (phase: string) => void }>();
  expectTypeOf(parseConfig).returns.toEqualTypeOf<GeneratorConfig>();
  expectTypeOf(main).returns.resolves.toBeNumber();
  expectTypeOf<Target>().toEqualTypeOf<"sender" | "receiver">();
  expectTypeOf<RenderOptions>().toEqualTypeOf<{ readonly format?: Format }>();
  expectTypeOf<Format>().toEqualTypeOf<"none" | "prettier">();
  expectTypeOf<GeneratorConfig["format"]>().toEqualTypeOf<Format | undefined>();
});

test("a rendered file is a path and its text", () => {
  expectTypeOf<RenderedFile>().toEqualTypeOf<{ readonly path: string; readonly text: string }>();
  // @ts-expect-error the model is read-only for emitters
  expectTypeOf<CatalogModel>().toEqualTypeOf<{
    events: CatalogModel["events"];
    definitions: CatalogModel["definitions"];
    documents: CatalogModel["documents"];
  }>();
});

test("the schema compatibility library", () => {
  expectTypeOf(compareSchemas).toEqualTypeOf<(oldSchema: unknown, newSchema: unknown, options?: CompareOptions) => SchemaChange[]>();
  expectTypeOf<SchemaChange["verdict"]>().toEqualTypeOf<ModeVerdicts>();
  expectTypeOf<ModeVerdicts["forward"]>().toEqualTypeOf<"compatible" | "breaking">();
  expectTypeOf<Verdict>().toEqualTypeOf<"compatible" | "breaking">();
  expectTypeOf<CompareOptions>().toEqualTypeOf<{ readonly ignoreAnnotations?: boolean }>();
});
