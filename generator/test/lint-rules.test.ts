/**
 * Configurable catalog rules: defaults, severities from hookline.config.json ("error" fails,
 * "warning" is printed and does not fail, "off" is silent), and the configuration's checks.
 */

import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadCatalogWithWarnings } from "../src/generate.js";
import { CatalogError, ConfigError, main, parseConfig } from "../src/index.js";
import { REAL_CATALOG, eventSchema, removeTempDirs, tempDir, writeCatalog } from "./support/catalog.js";

afterAll(removeTempDirs);

const EVENT = "events/orders/order.created.v1.json";

/** An event breaking the object conventions: no `required`, no `additionalProperties`, a snake_case name without description. */
const unconventional = eventSchema(EVENT, {
  required: undefined,
  additionalProperties: undefined,
  properties: { order_id: { type: "string" } },
  examples: [{ order_id: "ord_1" }],
});

async function catalogProblems(rules: Record<string, string>) {
  const dir = await writeCatalog({ [EVENT]: unconventional });
  const result = await loadCatalogWithWarnings(
    dir,
    parseConfig({ catalog: dir, documents: { outDir: "docs" }, rules }, "hookline.config.json").rules,
  ).then(
    ({ warnings }) => ({ errors: [] as string[], warnings: warnings.map((w) => `${w.pointer} ${w.rule}`) }),
    (error: unknown) => {
      if (!(error instanceof CatalogError)) throw error;
      return { errors: error.issues.map((i) => `${i.pointer} ${i.rule}`), warnings: [] as string[] };
    },
  );
  return result;
}

describe("rule severities", () => {
  it("by default, a missing description fails and the object conventions warn", async () => {
    expect(await catalogProblems({})).toEqual({ errors: ["/properties/order_id property-description"], warnings: [] });
  });

  it("warnings do not fail loading and name their rule", async () => {
    expect(await catalogProblems({ "property-description": "warning" })).toEqual({
      errors: [],
      warnings: [
        "/properties object-additional-properties",
        "/properties object-required",
        "/properties/order_id property-description",
        "/properties/order_id property-camel-case",
      ],
    });
  });

  it('"error" fails, "off" drops the problem', async () => {
    expect(
      await catalogProblems({
        "property-description": "off",
        "object-required": "error",
        "object-additional-properties": "off",
        "property-camel-case": "warning",
      }),
    ).toEqual({ errors: ["/properties object-required"], warnings: [] });
  });

  it("the real catalog has no problem of any rule, at error severity for all", async () => {
    const all = { "object-required": "error", "object-additional-properties": "error", "property-camel-case": "error" } as const;
    const { warnings } = await loadCatalogWithWarnings(REAL_CATALOG, all);
    expect(warnings).toEqual([]);
  });

  it("the configuration refuses an unknown rule or severity", () => {
    expect(() =>
      parseConfig({ catalog: "./c", documents: { outDir: "d" }, rules: { "property-descripton": "warning" } }, "hookline.config.json"),
    ).toThrow(
      new ConfigError(
        'hookline.config.json: rules: unknown rule "property-descripton" (rules: schema-description, property-description, event-examples, object-required, object-additional-properties, property-camel-case)',
      ),
    );
    expect(() =>
      parseConfig({ catalog: "./c", documents: { outDir: "d" }, rules: { "property-description": "warn" } }, "hookline.config.json"),
    ).toThrow(new ConfigError('hookline.config.json: rules.property-description must be "error", "warning" or "off" (got "warn")'));
  });
});

describe("hookline validate with rules", () => {
  it("prints warnings on stderr and exits 0", async () => {
    const dir = await tempDir();
    await writeCatalog({ [EVENT]: unconventional }, path.join(dir, "catalog"));
    const config = path.join(dir, "hookline.config.json");
    await writeFile(
      config,
      JSON.stringify({
        catalog: "./catalog",
        documents: { outDir: "docs" },
        rules: { "property-description": "warning", "object-required": "off", "object-additional-properties": "off" },
      }),
    );
    let out = "";
    let err = "";
    const code = await main(["node", "hookline", "validate", "--config", config], {
      out: (s) => {
        out += s;
      },
      err: (s) => {
        err += s;
      },
    });
    expect({ code, err }).toEqual({
      code: 0,
      err: `2 warnings (rules set to "warning" in hookline.config.json "rules"; they do not fail):
- events/orders/order.created.v1.json#/properties/order_id: has no description [property-description]
  fix: add "description": "..." (next to a "$ref" is fine)
- events/orders/order.created.v1.json#/properties/order_id: property name "order_id" is not camelCase [property-camel-case]
  fix: rename it to camelCase, e.g. "orderId"
`,
    });
    expect(out).toMatch(/^catalog ok: 1 event schemas/);
  });
});
