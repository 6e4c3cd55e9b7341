/**
 * Converter modules (issue 13 item 2): what load and the type-check report about them, with file,
 * line and fix, and what `generate` makes of them (the catalog's types.ts, the copies in an output
 * with their import rewritten, the catalog's `converters`).
 */

import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CatalogError, type CatalogIssue, generate, loadCatalog, main, parseConfig, renderOutput } from "../src/index.js";
import { eventSchema, removeTempDirs, tempDir, writeCatalog } from "./support/catalog.js";

afterAll(removeTempDirs);

const V1 = "events/orders/order.created.v1.json";
const V2 = "events/orders/order.created.v2.json";
const CONVERTER = "events/orders/order.created.v2.convert.ts";

/** order.created v1 `{ orderId }` and v2 `{ orderId, note: string | null }`, plus `files`. */
function twoVersions(files: Readonly<Record<string, unknown>> = {}): Promise<string> {
  return writeCatalog({
    [V1]: eventSchema(V1, { title: "OrderCreatedV1", deprecated: true }),
    [V2]: eventSchema(V2, {
      required: ["orderId", "note"],
      properties: {
        orderId: { description: "Order id.", type: "string" },
        note: { description: "Note, or null.", type: ["string", "null"] },
      },
      examples: [{ orderId: "ord_1", note: null }],
    }),
    ...files,
  });
}

const GOOD_CONVERTER = [
  "// v2 → v1 drops the note; v1 → v2 has none to give.",
  'import type { OrderCreatedV1, OrderCreatedV2 } from "../../types.js";',
  "",
  "export function down(payload: OrderCreatedV2): OrderCreatedV1 {",
  "  return { orderId: payload.orderId };",
  "}",
  "",
  "export function up(payload: OrderCreatedV1): OrderCreatedV2 {",
  "  return { orderId: payload.orderId, note: null };",
  "}",
  "",
].join("\n");

async function issuesOf(dir: string): Promise<CatalogIssue[]> {
  try {
    await loadCatalog(dir);
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogError);
    return [...(error as CatalogError).issues];
  }
  throw new Error("expected the catalog to be refused");
}

describe("converter modules at load", () => {
  it("a missing converter is an error naming the file to create and what it exports", async () => {
    const issues = await issuesOf(await twoVersions());
    expect(issues).toEqual([
      {
        file: CONVERTER,
        pointer: "",
        message: "is missing: order.created has versions 1 and 2, and every adjacent pair of versions needs a converter",
        fix: 'create events/orders/order.created.v2.convert.ts with `import type { OrderCreatedV2, OrderCreatedV1 } from "../../types.js";`, exporting `down(payload: OrderCreatedV2): OrderCreatedV1` and, if the conversion can be done without inventing data, `up(payload: OrderCreatedV1): OrderCreatedV2`; then run npm run generate',
      },
    ]);
  });

  it("generate still writes the catalog's types.ts, so the converter the error asks for can be written against it", async () => {
    const catalogDir = await twoVersions();
    const config = parseConfig(
      { catalog: catalogDir, outputs: [{ target: "sender", outDir: "out" }] },
      path.join(await tempDir(), "x.json"),
    );
    await expect(generate(config)).rejects.toThrow(`- ${CONVERTER}: is missing`);
    const types = await readFile(path.join(catalogDir, "types.ts"), "utf8");
    expect(types).toContain("export interface OrderCreatedV2 {");
  });

  it("hookline validate prints the missing converter and exits 1", async () => {
    const dir = await twoVersions();
    const err: string[] = [];
    const code = await main(["node", "hookline", "validate", "--catalog", dir], { out: () => {}, err: (s) => err.push(s) });
    expect(code).toBe(1);
    expect(err.join("")).toContain(`- ${CONVERTER}: is missing: order.created has versions 1 and 2`);
  });

  it("an import of anything but the catalog's types is an error with the line and the fix", async () => {
    const text = GOOD_CONVERTER.replace("// v2 → v1", 'import { z } from "zod";\n// v2 → v1');
    const issues = await issuesOf(await twoVersions({ [CONVERTER]: text }));
    expect(issues).toEqual([
      {
        file: CONVERTER,
        pointer: "",
        line: 1,
        message: 'imports "zod"; a converter may import only types from the catalog\'s generated types module: `import { z } from "zod";`',
        fix: 'write the code inline (converters are pure functions) and import only types: import type { OrderCreatedV2, OrderCreatedV1 } from "../../types.js";',
      },
    ]);
  });

  it("a value import of the types module, a value export other than down/up, require() and a missing down are errors", async () => {
    const text = [
      'import { type OrderCreatedV1, type OrderCreatedV2 } from "../../types.js";',
      "export const VERSION = 2;",
      "export function convert(payload: OrderCreatedV2): OrderCreatedV1 {",
      '  return require("./other.js")(payload);',
      "}",
      "export type Kept = OrderCreatedV1;",
      "",
    ].join("\n");
    const issues = await issuesOf(await twoVersions({ [CONVERTER]: text }));
    expect(issues.map((i) => [i.line, i.message])).toEqual([
      [1, "does not export down()"],
      [
        1,
        'imports the catalog\'s types without `import type`: `import { type OrderCreatedV1, type OrderCreatedV2 } from "../../types.js";`',
      ],
      [2, 'exports the value "VERSION"; a converter module exports only down() and, optionally, up(): `export const VERSION = 2;`'],
      [
        3,
        'exports the value "convert"; a converter module exports only down() and, optionally, up(): `export function convert(payload: OrderCreatedV2): OrderCreatedV1 {`',
      ],
      [4, 'loads another module at run time: `return require("./other.js")(payload);`'],
    ]);
    expect(issues[0]?.fix).toBe(
      'add `export function down(payload: OrderCreatedV2): OrderCreatedV1 { … }` (with import type { OrderCreatedV2, OrderCreatedV1 } from "../../types.js";)',
    );
  });

  it("a converter that does not parse is reported at the syntax error's line, and nothing else is guessed about it", async () => {
    const text = GOOD_CONVERTER.replace("return { orderId: payload.orderId };", "return { orderId: payload.orderId ;");
    const issues = await issuesOf(await twoVersions({ [CONVERTER]: text }));
    expect(issues.map((i) => [i.line, i.message])).toEqual([
      [5, "does not parse: TS1005: ',' expected."],
      [11, "does not parse: TS1005: '}' expected."],
    ]);
  });

  it("a converter that belongs to no pair of versions, or sits in the wrong folder, is an error", async () => {
    const issues = await issuesOf(
      await twoVersions({
        [CONVERTER]: GOOD_CONVERTER,
        "events/orders/order.created.v3.convert.ts": GOOD_CONVERTER,
        "events/billing/order.created.v2.convert.ts": GOOD_CONVERTER,
        "events/orders/helpers.ts": "export {};\n",
      }),
    );
    expect(issues.map((i) => [i.file, i.message])).toEqual([
      [
        "events/billing/order.created.v2.convert.ts",
        "is in the wrong folder: the converter sits next to events/orders/order.created.v2.json",
      ],
      ["events/orders/helpers.ts", "is not a converter module: the only TypeScript files under events/ are <type>.v<n>.convert.ts"],
      [
        "events/orders/order.created.v3.convert.ts",
        "converts to version 3 of order.created, but the catalog has no such version with a version before it",
      ],
    ]);
  });
});

describe("converter type-check", () => {
  it("a type error inside a converter surfaces as the TypeScript diagnostic at file:line", async () => {
    const text = GOOD_CONVERTER.replace("return { orderId: payload.orderId };", "return { orderId: payload.orderId.length };");
    const dir = await twoVersions({ [CONVERTER]: text });
    const issues = await issuesOf(dir);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: CONVERTER, line: 5 });
    expect(issues[0]?.message).toMatch(/^does not type-check: TS2322: Type 'number' is not assignable to type 'string'\./);
    const err: string[] = [];
    expect(await main(["node", "hookline", "validate", "--catalog", dir], { out: () => {}, err: (s) => err.push(s) })).toBe(1);
    expect(err.join("")).toContain(`- ${CONVERTER}:5: does not type-check: TS2322`);
  });

  it("down() declared with the wrong versions is checked against both versions' generated types", async () => {
    const text = GOOD_CONVERTER.replace(
      "export function down(payload: OrderCreatedV2): OrderCreatedV1 {",
      "export function down(payload: { orderId: number }): OrderCreatedV1 {",
    ).replace("return { orderId: payload.orderId };", "return { orderId: String(payload.orderId) };");
    const issues = await issuesOf(await twoVersions({ [CONVERTER]: text }));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: CONVERTER, line: 4 });
    expect(issues[0]?.message).toMatch(/^down\(\) is not a function \(payload: OrderCreatedV2\) => OrderCreatedV1: TS2322: /);
    expect(issues[0]?.fix).toBe(
      "declare it as `export function down(payload: OrderCreatedV2): OrderCreatedV1` and return a complete OrderCreatedV1",
    );
  });

  it("up() that does not return the higher version is reported on up's line", async () => {
    const text = GOOD_CONVERTER.replace(
      "return { orderId: payload.orderId, note: null };",
      "return { orderId: payload.orderId } as OrderCreatedV1 as never as OrderCreatedV1;",
    ).replace(
      "export function up(payload: OrderCreatedV1): OrderCreatedV2 {",
      "export function up(payload: OrderCreatedV1): OrderCreatedV1 {",
    );
    const issues = await issuesOf(await twoVersions({ [CONVERTER]: text }));
    expect(issues.map((i) => i.line)).toEqual([8]);
    expect(issues[0]?.message).toMatch(/^up\(\) is not a function \(payload: OrderCreatedV1\) => OrderCreatedV2: TS2322: /);
  });
});

describe("generate with converters", () => {
  it("writes the catalog's types.ts, copies the converter with its import rewritten, and the catalog carries converters", async () => {
    const catalogDir = await twoVersions({ [CONVERTER]: GOOD_CONVERTER });
    const root = await tempDir();
    const config = parseConfig(
      { catalog: catalogDir, outputs: [{ target: "sender", outDir: "src/generated", tests: "test/generated" }] },
      path.join(root, "hookline.config.json"),
    );
    const result = await generate(config);
    expect(result.tests[0]?.report.written).toEqual(["order.created.v2.convert.test.ts"]);

    const types = await readFile(path.join(catalogDir, "types.ts"), "utf8");
    expect(types.split("\n")[0]).toBe("// @generated by hookline — do not edit.");
    expect(types).toContain("export interface OrderCreatedV1 {");
    expect(types).toContain("export interface OrderCreatedV2 {");
    expect(types).not.toContain("import ");

    const copy = await readFile(path.join(root, "src/generated/converters/order.created.v2.convert.ts"), "utf8");
    expect(copy).toContain('import type { OrderCreatedV1, OrderCreatedV2 } from "../types.js";');
    expect(copy).not.toContain("../../types.js");
    expect(copy).toContain("// v2 → v1 drops the note; v1 → v2 has none to give.");
    expect(copy).toContain(`// Copied from the catalog's ${CONVERTER}, its types import pointed at this SDK's types.ts.`);

    const catalog = await readFile(path.join(root, "src/generated/catalog.ts"), "utf8");
    expect(catalog).toContain('import { converters } from "./converters.js";');
    expect(catalog).toMatch(/converters\n\s*};/);
    const index = await readFile(path.join(root, "src/generated/converters.ts"), "utf8");
    expect(index).toContain('import * as convert_order_created_v2 from "./converters/order.created.v2.convert.js";');
    expect(index).toContain('"order.created": { "2": convert_order_created_v2 }');

    const test = await readFile(path.join(root, "test/generated/order.created.v2.convert.test.ts"), "utf8");
    expect(test).toContain('import * as converter from "../../src/generated/converters/order.created.v2.convert.js";');
    expect(test).toContain('direction: "down"');
    expect(test).toContain('direction: "up"');
  });

  it("hookline generate reports the converter tests it wrote", async () => {
    const catalogDir = await twoVersions({ [CONVERTER]: GOOD_CONVERTER });
    const root = await tempDir();
    const config = path.join(root, "hookline.config.json");
    await writeFile(
      config,
      JSON.stringify({ catalog: catalogDir, outputs: [{ target: "receiver", outDir: "src/generated", tests: "test/generated" }] }),
    );
    let out = "";
    const code = await main(["node", "hookline", "generate", "--config", config], { out: (s) => (out += s), err: () => {} });
    expect(code).toBe(0);
    expect(out).toMatch(/^converter tests → .*test\/generated: 1 written, 0 unchanged, 0 removed$/m);
  });

  it("an SDK's types.ts also has the per-version names the copied converters import", async () => {
    const model = await loadCatalog(await twoVersions({ [CONVERTER]: GOOD_CONVERTER }));
    const files = await renderOutput(model, { target: "receiver", runtime: "@hookline/core" }, "./catalog");
    const types = files.find((f) => f.path === "types.ts")?.text ?? "";
    expect(types).toContain("export interface OrderCreatedV1 {");
    expect(types).toContain("export interface OrderCreatedV2 {");
    expect(files.map((f) => f.path)).toContain("converters/order.created.v2.convert.ts");
  });
});
