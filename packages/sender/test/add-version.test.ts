/**
 * The add-a-version workflow of catalog/README.md ("Adding a version"), as a user follows it on a
 * copy of the real catalog: a breaking change as a new version file is refused until its converter
 * exists (the error names the file); with the converter, generate copies it into the SDK, which
 * compiles under strict settings and converts, and the property test generate emits for it passes
 * when vitest runs it.
 */

import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify, stripVTControlCharacters } from "node:util";
import { CatalogError, generate, parseConfig } from "@hookline/generator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const packageDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const catalogDir = path.dirname(require.resolve("@hookline/catalog/package.json"));
const tsc = path.join(path.dirname(require.resolve("typescript/package.json")), "bin", "tsc");
const vitest = path.join(path.dirname(require.resolve("vitest/package.json")), "vitest.mjs");

const CONVERTER = `// order.cancelled v2 → v1 drops the channel. No up: v1 does not say where the order was cancelled.
import type { OrderCancelledV1, OrderCancelledV2 } from "../../types.js";

export function down(payload: OrderCancelledV2): OrderCancelledV1 {
  const { channel: _channel, ...v1 } = payload;
  return v1;
}
`;

const usage = `
import { down } from "./generated/converters/order.cancelled.v2.convert.js";
import { schemas } from "./generated/schemas.js";

const v2 = schemas["order.cancelled"].examples[0] as Parameters<typeof down>[0];
console.log(JSON.stringify(down(v2)));
`;

describe("adding a version to the catalog", () => {
  let work: string;
  let events: string;

  beforeAll(async () => {
    await mkdir(path.join(packageDir, ".tmp"), { recursive: true });
    work = await mkdtemp(path.join(packageDir, ".tmp", "add-version-"));
    await cp(catalogDir, path.join(work, "catalog"), { recursive: true, filter: (src) => !src.includes("node_modules") });
    events = path.join(work, "catalog", "events", "orders");
    // Step 1: the new version file (a required property added), the old one deprecated with a versioned title.
    const v1 = JSON.parse(await readFile(path.join(events, "order.cancelled.v1.json"), "utf8")) as Record<string, unknown> & {
      required: string[];
      properties: Record<string, unknown>;
      examples: Record<string, unknown>[];
    };
    const v2 = {
      ...v1,
      $id: v1.$id === undefined ? undefined : String(v1.$id).replace(".v1.json", ".v2.json"),
      "x-hookline": { type: "order.cancelled", version: 2 },
      required: [...v1.required, "channel"],
      properties: { ...v1.properties, channel: { description: "Where the order was cancelled.", enum: ["web", "store", "phone"] } },
      examples: v1.examples.map((example) => ({ ...example, channel: "web" })),
    };
    await writeFile(path.join(events, "order.cancelled.v2.json"), JSON.stringify(v2, null, 2));
    await writeFile(
      path.join(events, "order.cancelled.v1.json"),
      JSON.stringify({ ...v1, title: "OrderCancelledV1", deprecated: true }, null, 2),
    );
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  const config = () =>
    parseConfig(
      { catalog: "./catalog", outputs: [{ target: "sender", outDir: "src/generated", tests: "test/generated" }] },
      path.join(work, "hookline.config.json"),
    );

  it("refuses the new version until its converter exists, naming the file to create", async () => {
    const error = await generate(config()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CatalogError);
    expect((error as CatalogError).issues).toEqual([
      expect.objectContaining({
        file: "events/orders/order.cancelled.v2.convert.ts",
        message: "is missing: order.cancelled has versions 1 and 2, and every adjacent pair of versions needs a converter",
      }),
    ]);
    // The types the converter is written against are there already.
    expect(await readFile(path.join(work, "catalog", "types.ts"), "utf8")).toContain("export interface OrderCancelledV2 {");
  });

  it("with the converter: generates, compiles, converts, and the emitted property test passes", async () => {
    // Step 2: the converter. Step 3: npm run generate.
    await writeFile(path.join(events, "order.cancelled.v2.convert.ts"), CONVERTER);
    const result = await generate(config());
    expect(result.tests[0]?.report.written).toEqual(["order.cancelled.v2.convert.test.ts", "order.shipped.v2.convert.test.ts"]);

    await writeFile(path.join(work, "src", "use.ts"), usage);
    await writeFile(
      path.join(work, "tsconfig.json"),
      JSON.stringify({
        extends: path.join(packageDir, "..", "..", "tsconfig.base.json"),
        compilerOptions: { rootDir: "src", outDir: "dist", declaration: false, declarationMap: false, sourceMap: false },
        include: ["src"],
      }),
    );
    await writeFile(path.join(work, "package.json"), JSON.stringify({ type: "module", private: true }));
    await run(process.execPath, [tsc, "-p", path.join(work, "tsconfig.json")], { cwd: work });
    const { stdout } = await run(process.execPath, [path.join(work, "dist", "use.js")], { cwd: work });
    const converted = JSON.parse(stdout) as Record<string, unknown>;
    expect(converted).not.toHaveProperty("channel");
    expect(converted).toMatchObject({ orderId: expect.stringMatching(/^ord_/) });

    // The emitted tests run as the user's `npm test` would run them.
    await writeFile(path.join(work, "vitest.config.mjs"), 'export default { test: { include: ["test/generated/*.test.ts"] } };\n');
    const tests = await run(process.execPath, [vitest, "run", "--root", work], { cwd: work, env: { ...process.env, CI: "1" } });
    expect(stripVTControlCharacters(tests.stdout)).toMatch(/Tests\s+2 passed \(2\)/);
  }, 180_000);
});
