/**
 * Another toolchain gets the same payload types: openapi-typescript (7.x) turns the generated
 * OpenAPI webhooks document of the real catalog into TypeScript, and the TypeScript compiler API
 * checks that each event's payload type from it and the generator's own payload type are
 * assignable both ways (and that the envelope's `data` is that payload too).
 *
 * The program exists only in memory, in a folder inside this package so that `@hookline/core`
 * (imported by the generated types) resolves through node_modules; nothing is written there.
 */

import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Project, ts } from "ts-morph";
import { expect, it } from "vitest";
import { loadCatalog, renderDocuments, renderOutput } from "../src/index.js";
import path from "node:path";
import { FIXTURES, REAL_CATALOG } from "./support/catalog.js";

const ROOT = fileURLToPath(new URL("./.documents-types-program", import.meta.url));

/**
 * openapi-typescript 7 needs TypeScript 5's compiler API (7 has none), so npm installs a TypeScript 5
 * beside it, with a `tsc` in that workspace's node_modules/.bin. It is a devDependency of
 * @hookline/catalog, which never runs tsc, so the generator's build and type checks keep the
 * repository's TypeScript 7; this test loads it from there.
 */
interface OpenApiTypescript {
  default(schema: object): Promise<unknown>;
  astToString(ast: unknown): string;
}
async function loadOpenApiTypescript(): Promise<OpenApiTypescript> {
  const resolved = createRequire(new URL("../../catalog/package.json", import.meta.url)).resolve("openapi-typescript");
  return (await import(pathToFileURL(resolved).href)) as OpenApiTypescript;
}

/**
 * Properties of the features fixture left out of the comparison, each for a known way
 * openapi-typescript 7 reads the (unchanged) catalog schema differently: `{"const": null}` becomes
 * `unknown` (SDK: `null`); `prefixItems` without `items: false` becomes a closed tuple (SDK:
 * `[boolean, string, ...unknown[]]`, as JSON Schema allows more items); and properties next to
 * `additionalProperties` become an intersection whose index signature conflicts with them (SDK: one
 * object type). Every other property of every event type is compared.
 */
const OPENAPI_TYPESCRIPT_LIMITS: Readonly<Record<string, string>> = {
  FeatureShowcase: '"nullConst" | "tupleWithoutItemsFalse" | "optionalNextToIndexSignature"',
};

it.each([
  ["the real catalog", REAL_CATALOG, 'export const different: Same<Schemas["OrderCreatedV1"], Catalog.OrderPaid> = true;'],
  [
    "the features fixture",
    path.join(FIXTURES, "features/catalog"),
    'export const different: Same<Schemas["WidgetRenamedV2"], Catalog.WidgetRenamedV1> = true;',
  ],
])(
  "openapi-typescript's payload types equal the generated SDK's, both ways, for every event type and version of %s",
  async (_name, catalogDir, different) => {
    const model = await loadCatalog(catalogDir);
    const openapi = renderDocuments(model, { title: "Catalog", version: "1.0.0" }, "catalog").find((f) => f.path === "openapi.json");
    const openapiTS = await loadOpenApiTypescript();
    const fromOpenApi = openapiTS.astToString(await openapiTS.default(JSON.parse(openapi?.text as string)));
    const types = (await renderOutput(model, { target: "sender", runtime: "@hookline/core" }, "catalog")).find(
      (f) => f.path === "types.ts",
    );

    // Every version of every event type: the SDK declares each under its per-version name.
    const checks = model.events.flatMap((event) => {
      // The component is the SDK's per-version name `<Title>V<n>` (a title already ending in `V<n>` is kept).
      const name = event.typeName.endsWith(`V${event.version}`) ? event.typeName : `${event.typeName}V${event.version}`;
      const limits = OPENAPI_TYPESCRIPT_LIMITS[event.plainName];
      const ours = limits === undefined ? `Catalog.${event.typeName}` : `Omit<Catalog.${event.typeName}, ${limits}>`;
      const theirs = (type: string) => (limits === undefined ? type : `Omit<${type}, ${limits}>`);
      return [
        `export const ${event.typeName}Payload: Same<${theirs(`Schemas["${name}"]`)}, ${ours}> = true;`,
        `export const ${event.typeName}Data: Same<${theirs(`Schemas["${name}Envelope"]["data"]`)}, ${ours}> = true;`,
        `export const ${event.typeName}Type: Same<Schemas["${name}Envelope"]["type"], "${event.type}"> = true;`,
      ];
    });
    const check = [
      'import type { components } from "./openapi-types.js";',
      'import type * as Catalog from "./generated/types.js";',
      "type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;",
      'type Schemas = components["schemas"];',
      ...checks,
      "// Proves the check can fail: two different payloads are not the same type.",
      "// @ts-expect-error",
      different,
      "",
    ].join("\n");

    const project = new Project({
      compilerOptions: {
        strict: true,
        noUncheckedIndexedAccess: true,
        exactOptionalPropertyTypes: true,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        target: ts.ScriptTarget.ES2022,
        lib: ["lib.es2023.d.ts"],
        types: ["node"],
        noEmit: true,
      },
    });
    project.createSourceFile(`${ROOT}/openapi-types.ts`, fromOpenApi);
    project.createSourceFile(`${ROOT}/generated/types.ts`, types?.text as string);
    const checkFile = project.createSourceFile(`${ROOT}/check.ts`, check);
    const diagnostics = project.getPreEmitDiagnostics().map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.compilerObject.messageText, "\n");
      return `${d.getSourceFile()?.getBaseName()}:${d.getLineNumber()}: ${message}`;
    });
    expect(diagnostics).toEqual([]);
    // Every newest version was compared (three lines each).
    expect(checkFile.getText().match(/Payload: Same</g)?.length).toBe(model.events.length);
  },
  120_000,
);
