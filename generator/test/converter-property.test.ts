/**
 * The property tests `generate` emits (output option `tests`) are real tests: generated for a
 * catalog with a right and a deliberately wrong converter, then run by vitest in a child process,
 * the right one passes and the wrong one fails, naming the converter file and the payload. The files
 * sit in this package's .tmp/ so that `vitest` and `json-schema-faker` resolve from the workspace;
 * `@hookline/generator/testing` is aliased to the source, so no build is needed.
 */

import { execFile } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";
import { generate, parseConfig } from "../src/index.js";
import { findConversionFailures } from "../src/testing.js";
import { eventSchema, writeCatalog } from "./support/catalog.js";

const WORK = fileURLToPath(new URL(`../.tmp/converter-property-${process.pid}/`, import.meta.url));
const TESTING_SOURCE = fileURLToPath(new URL("../src/testing.ts", import.meta.url));
const VITEST = path.join(path.dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");

afterAll(() => rm(WORK, { recursive: true, force: true }));

/** `<type>` v1 `{ orderId: "ord_…" }` and v2 `{ orderId, channel }`, with the converter `down` body given. */
function twoVersions(type: string, title: string, downBody: string): Record<string, unknown> {
  const v1 = `events/orders/${type}.v1.json`;
  const v2 = `events/orders/${type}.v2.json`;
  const orderId = { description: "Order id.", type: "string", pattern: "^ord_[a-z0-9]+$", maxLength: 32 };
  return {
    [v1]: eventSchema(v1, { title: `${title}V1`, properties: { orderId } }),
    [v2]: eventSchema(v2, {
      title,
      required: ["orderId", "channel"],
      properties: { orderId, channel: { description: "Sales channel.", enum: ["web", "store"] } },
      examples: [{ orderId: "ord_1", channel: "web" }],
    }),
    [`events/orders/${type}.v2.convert.ts`]: [
      `import type { ${title}V1, ${title}V2 } from "../../types.js";`,
      "",
      `export function down(payload: ${title}V2): ${title}V1 {`,
      `  ${downBody}`,
      "}",
      "",
    ].join("\n"),
  };
}

interface JsonReport {
  testResults: Array<{ assertionResults: Array<{ fullName: string; status: string; failureMessages: string[] }> }>;
}

it("the emitted property test passes for a right converter and fails for a wrong one", async () => {
  const catalogDir = path.join(WORK, "catalog");
  await writeCatalog(
    {
      ...twoVersions("order.created", "OrderCreated", "return { orderId: payload.orderId };"),
      // Type-correct, but upper-cases the id, which v1's pattern rejects.
      ...twoVersions("order.paid", "OrderPaid", "return { orderId: payload.orderId.toUpperCase() };"),
    },
    catalogDir,
  );
  const config = parseConfig(
    { catalog: "./catalog", outputs: [{ target: "sender", outDir: "sdk/src/generated", tests: "sdk/test/generated" }] },
    path.join(WORK, "hookline.config.json"),
  );
  const result = await generate(config);
  expect(result.tests[0]?.report.written).toEqual(["order.created.v2.convert.test.ts", "order.paid.v2.convert.test.ts"]);

  const vitestConfig = path.join(WORK, "vitest.config.mjs");
  await writeFile(
    vitestConfig,
    `export default { resolve: { alias: { "@hookline/generator/testing": ${JSON.stringify(TESTING_SOURCE)} } }, test: { include: ["sdk/test/generated/*.test.ts"], testTimeout: 60000 } };\n`,
  );
  const reportFile = path.join(WORK, "report.json");
  await mkdir(WORK, { recursive: true });
  const run = await promisify(execFile)(
    process.execPath,
    [VITEST, "run", "--root", WORK, "--config", vitestConfig, "--reporter=json", `--outputFile=${reportFile}`],
    { cwd: WORK, env: { ...process.env, CI: "1" } },
  ).then(
    () => 0,
    (error: { code?: number }) => error.code ?? -1,
  );
  expect(run, "vitest exits 1: one emitted test fails").toBe(1);

  const report = JSON.parse(await readFile(reportFile, "utf8")) as JsonReport;
  const results = report.testResults.flatMap((file) => file.assertionResults).sort((a, b) => a.fullName.localeCompare(b.fullName));
  expect(results.map((r) => [r.fullName, r.status])).toEqual([
    [
      "order.created converter v1/v2 (events/orders/order.created.v2.convert.ts) down: valid v2 payloads convert to valid v1 payloads",
      "passed",
    ],
    ["order.paid converter v1/v2 (events/orders/order.paid.v2.convert.ts) down: valid v2 payloads convert to valid v1 payloads", "failed"],
  ]);
  const failure = results[1]?.failureMessages.join("\n") ?? "";
  expect(failure).toContain("events/orders/order.paid.v2.convert.ts down() (order.paid v2 → v1) fails for");
  expect(failure).toContain('returned an invalid v1 payload: /orderId must match pattern "^ord_[a-z0-9]+$"');
}, 180_000);

it("findConversionFailures reports a throwing converter and checks the schema's examples too", async () => {
  const schema = {
    type: "object",
    additionalProperties: false,
    required: ["n"],
    properties: { n: { type: "integer" } },
    examples: [{ n: 7 }],
  };
  const failures = await findConversionFailures({
    type: "x.happened",
    file: "events/x/x.happened.v2.convert.ts",
    direction: "down",
    from: { version: 2, schema },
    to: { version: 1, schema },
    convert: ((payload: { n: number }) => {
      if (payload.n === 7) throw new Error("seven");
      return payload;
    }) as (payload: never) => unknown,
    runs: 20,
  });
  expect(failures).toEqual([{ input: "example 0", payload: { n: 7 }, problem: "threw: seven" }]);
});
