/**
 * Another toolchain gets the same payload types: openapi-typescript (7.x) turns the generated
 * OpenAPI webhooks document of the real catalog into TypeScript, and the TypeScript compiler API
 * checks that each event's payload type from it and the generator's own payload type are
 * assignable both ways (and that the envelope's `data` is that payload too).
 *
 * The program exists only in memory, in a folder inside this package so that `@hookline/core`
 * (imported by the generated types) resolves through node_modules; nothing is written there.
 */

import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import { Project, ts } from "ts-morph";
import { expect, it } from "vitest";
import { loadCatalog, renderDocuments, renderOutput } from "../src/index.js";
import { REAL_CATALOG } from "./support/catalog.js";

const ROOT = fileURLToPath(new URL("./.documents-types-program", import.meta.url));

it("openapi-typescript's payload types equal the generated SDK's, both ways, for every event type", async () => {
  const model = await loadCatalog(REAL_CATALOG);
  const openapi = renderDocuments(model, { title: "Catalog", version: "1.0.0" }, "catalog").find((f) => f.path === "openapi.json");
  const fromOpenApi = astToString(await openapiTS(JSON.parse(openapi?.text as string)));
  const types = (await renderOutput(model, { target: "sender", runtime: "@hookline/core" }, "catalog")).find((f) => f.path === "types.ts");

  const latest = model.events.filter((event) => event.latest);
  const checks = latest.flatMap((event) => {
    // The component is the SDK's per-version name `<Title>V<n>` (a title already ending in `V<n>` is kept).
    const name = event.typeName.endsWith(`V${event.version}`) ? event.typeName : `${event.typeName}V${event.version}`;
    return [
      `export const ${event.typeName}Payload: Same<Schemas["${name}"], Catalog.${event.typeName}> = true;`,
      `export const ${event.typeName}Data: Same<Schemas["${name}Envelope"]["data"], Catalog.${event.typeName}> = true;`,
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
    'export const different: Same<Schemas["OrderCreatedV1"], Catalog.OrderPaid> = true;',
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
  expect(latest.length).toBeGreaterThan(10);
  expect(checkFile.getText()).toContain('OrderCreatedPayload: Same<Schemas["OrderCreatedV1"], Catalog.OrderCreated>');
}, 120_000);
