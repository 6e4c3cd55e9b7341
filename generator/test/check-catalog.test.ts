/**
 * `hookline check` against a directory: catalogs before and after an edit in temp dirs, run through
 * the CLI (`main`) and the library (`checkCatalog`). Expected verdicts follow JSON Schema semantics:
 * an optional property added to a closed object is accepted by new readers of old data (backward)
 * but rejected by old readers of new data (forward, the default mode).
 */

import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CATALOG_RULES, type CheckReport, checkCatalog, formatCheckReport } from "../src/index.js";
import { useColour } from "../src/check/run-check.js";
import { defSchema, eventSchema, removeTempDirs, tempDir, writeCatalog } from "./support/catalog.js";
import { CREATED, MONEY, baseCatalog, beforeAfter, createdV1, hookline } from "./support/check.js";

afterAll(removeTempDirs);

const withProperty = (schema: Record<string, unknown>, name: string, property: unknown, required = false) => ({
  ...schema,
  properties: { ...(schema.properties as object), [name]: property },
  ...(required ? { required: [...(schema.required as string[]), name] } : {}),
});

async function check(after: Record<string, unknown>, ...args: string[]) {
  const { old, current } = await beforeAfter(baseCatalog(), after);
  return hookline("check", "--catalog", current, "--against", old, ...args);
}

describe("hookline check against a directory", () => {
  it("exits 0 and says so when nothing changed", async () => {
    const { code, out, err } = await check(baseCatalog());
    expect({ code, err }).toEqual({ code: 0, err: "" });
    expect(out).toMatch(/\nno changes\n$/);
  });

  it("an optional property added to a closed object breaks forward (exit 1, the default mode) but not backward (exit 0)", async () => {
    const after = { ...baseCatalog(), [CREATED]: withProperty(createdV1(), "note", { description: "Note.", type: "string" }) };
    const forward = await check(after);
    expect(forward.code).toBe(1);
    expect(forward.out).toContain(
      `BREAKING  ${CREATED}#/properties/note  property-added-optional-to-closed-object  backward:compatible forward:breaking full:breaking  optional property "note" added`,
    );
    const backward = await check(after, "--mode", "backward");
    expect(backward.code).toBe(0);
    expect(backward.out).toContain(`ok        ${CREATED}#/properties/note  property-added-optional-to-closed-object`);
    expect((await check(after, "--mode", "full")).code).toBe(1);
  });

  it("an error for a breaking edit of a released version names the new version file and converter to add instead", async () => {
    const v2 = "events/orders/order.created.v2.json";
    const after = {
      ...baseCatalog(),
      [CREATED]: withProperty(createdV1(), "note", { description: "Note.", type: "string" }, true),
      [v2]: eventSchema(v2, { title: "OrderCreatedV2" }),
    };
    const { code, out } = await check(after);
    expect(code).toBe(1);
    expect(out).toContain(
      "order.created v2  events/orders/order.created.v2.json\n  ok        events/orders/order.created.v2.json#  version-added",
    );
    expect(out).toContain("  error: order.created v1 is released (it is in ");
    expect(out).toMatch(/and this edit breaks it under forward compatibility \(1 breaking change\)\n/);
    expect(out).toContain(`    fix: keep ${CREATED} as in `);
    expect(out).toContain(
      'put the change in a new version file events/orders/order.created.v3.json ("x-hookline": { "version": 3 }) with a converter events/orders/order.created.v3.convert.ts exporting down(payload) from v3 to v2',
    );
  });

  it("a compatible edit of a released version (a description) is reported without an error", async () => {
    const { code, out } = await check({ ...baseCatalog(), [CREATED]: createdV1({ description: "Reworded." }) });
    expect(code).toBe(0);
    expect(out).toContain(`ok        ${CREATED}#/description  annotation-changed  backward:compatible forward:compatible full:compatible`);
    expect(out).not.toContain("error:");
  });

  it("reports a shared-definition change under every event version that uses it, and under the definition", async () => {
    const money = defSchema(MONEY);
    const after = {
      ...baseCatalog(),
      [MONEY]: {
        ...money,
        required: [...(money.required as string[]), "scale"],
        properties: { ...(money.properties as object), scale: { description: "Scale.", type: "integer" } },
      },
    };
    const { old, current } = await beforeAfter(baseCatalog(), after);
    const report = await checkCatalog({ catalog: current, against: old });
    const where = report.changes.map(
      (c) => `${c.subject.kind === "event" ? `${c.subject.type} v${c.subject.version}` : c.subject.file} ${c.file}#${c.pointer} ${c.rule}`,
    );
    expect(where).toEqual([
      "order.created v1 defs/money.json#/properties/scale property-added-required-to-closed-object",
      "order.paid v1 defs/money.json#/properties/scale property-added-required-to-closed-object",
      "defs/money.json defs/money.json#/properties/scale property-added-required-to-closed-object",
    ]);
    expect(report.errors.map((e) => e.subject.kind === "event" && e.subject.type)).toEqual(["order.created", "order.paid"]);
    expect(report.errors[0]?.fix).toContain(`keep ${CREATED} and defs/money.json as in`);
    expect(report.breaking).toBe(true);
  });

  it("compares a $ref moved to another file by the target's contents", async () => {
    const amount = "defs/amount.json";
    const after = {
      ...baseCatalog(),
      [amount]: defSchema(amount, { title: "Amount" }),
      [CREATED]: createdV1({
        properties: {
          orderId: { description: "Order id.", type: "string" },
          total: { description: "Order total.", $ref: "../../defs/amount.json" },
        },
      }),
    };
    const report = await checkCatalog(await dirs(after));
    expect(report.changes.map((c) => `${c.file}#${c.pointer} ${c.rule}`)).toEqual([
      "defs/amount.json#/description annotation-changed",
      "defs/amount.json#/title annotation-changed",
      "defs/amount.json# definition-added",
    ]);
    expect(report.breaking).toBe(false);
  });

  it("--json prints the documented report shape", async () => {
    const after = { ...baseCatalog(), [CREATED]: withProperty(createdV1(), "note", { description: "Note.", type: "string" }) };
    const { old, current } = await beforeAfter(baseCatalog(), after);
    const { code, out } = await hookline("check", "--catalog", current, "--against", old, "--json");
    expect(code).toBe(1);
    const report = JSON.parse(out) as CheckReport;
    expect(Object.keys(report)).toEqual(["catalog", "against", "mode", "changes", "errors", "warnings", "breaking"]);
    expect(report).toMatchObject({ catalog: current, against: old, mode: "forward", breaking: true, warnings: [] });
    expect(report.changes).toEqual([
      {
        subject: { kind: "event", type: "order.created", version: 1, file: CREATED },
        file: CREATED,
        pointer: "/properties/note",
        rule: "property-added-optional-to-closed-object",
        detail: 'optional property "note" added',
        verdict: { backward: "compatible", forward: "breaking", full: "breaking" },
        breaking: true,
      },
    ]);
    expect(report.errors).toEqual([
      {
        subject: { kind: "event", type: "order.created", version: 1, file: CREATED },
        message: expect.stringContaining("is released"),
        fix: expect.stringContaining("order.created.v2.convert.ts"),
      },
    ]);
  });

  it("finds the catalog through the configuration file, as validate does", async () => {
    const old = await writeCatalog(baseCatalog());
    const project = await tempDir();
    await writeCatalog(baseCatalog(), path.join(project, "catalog"));
    const config = path.join(project, "hookline.config.json");
    await writeFile(config, JSON.stringify({ catalog: "./catalog", outputs: [{ target: "sender", outDir: "out" }] }));
    const { code, out } = await hookline("check", "--config", config, "--against", old);
    expect(code).toBe(0);
    expect(out.startsWith(`catalog ${path.join(project, "catalog")} against ${old} (mode forward)\n`)).toBe(true);
    const missing = await hookline("check", "--config", path.join(project, "nope.json"), "--against", old);
    expect(missing.code).toBe(2);
  });

  it("exits 2 with one line when --against is missing, the mode unknown, or a catalog unreadable", async () => {
    const dir = await writeCatalog(baseCatalog());
    const missing = await hookline("check", "--catalog", dir);
    expect(missing).toMatchObject({ code: 2, err: "error: required option '--against <ref-or-dir>' not specified\n" });
    expect((await hookline("check", "--catalog", dir, "--against", dir, "--mode", "sideways")).code).toBe(2);
    const broken = await writeCatalog({ ...baseCatalog(), [CREATED]: "{ not json" });
    const unreadable = await hookline("check", "--catalog", broken, "--against", dir);
    expect(unreadable.code).toBe(2);
    expect(unreadable.err).toContain(
      `hookline check: The current catalog at ${broken} cannot be compared:\n- ${CREATED}#: is not valid JSON`,
    );
    expect(unreadable.err).toContain(`fix: run hookline validate --catalog ${broken}`);
  });
});

async function dirs(after: Record<string, unknown>, before: Record<string, unknown> = baseCatalog()) {
  const { old, current } = await beforeAfter(before, after);
  return { catalog: current, against: old };
}

/** One named test per catalog-level rule of rules.ts, each producing exactly that rule with its verdicts. */
describe("catalog rules", () => {
  const shipped = "events/orders/order.shipped.v1.json";
  const shippedV2 = "events/orders/order.shipped.v2.json";
  const deprecated = (schema: Record<string, unknown>) => ({ ...schema, deprecated: true });
  const withV2 = () => ({ ...baseCatalog(), [shippedV2]: eventSchema(shippedV2, { title: "OrderShippedV2" }) });
  const cases: Record<keyof typeof CATALOG_RULES, () => Promise<{ catalog: string; against: string }>> = {
    "event-type-added": () =>
      dirs({ ...baseCatalog(), "events/orders/order.refunded.v1.json": eventSchema("events/orders/order.refunded.v1.json") }),
    "event-type-removed": () => dirs({ ...baseCatalog(), [shipped]: null }),
    "version-added": () => dirs(withV2()),
    "version-removed": () => dirs({ ...withV2(), [shipped]: null }, withV2()),
    "deprecated-version-removed": () =>
      dirs({ ...withV2(), [shipped]: null }, { ...withV2(), [shipped]: deprecated(eventSchema(shipped)) }),
    "version-deprecated": () => dirs({ ...withV2(), [shipped]: deprecated(eventSchema(shipped)) }, withV2()),
    "definition-added": () => dirs({ ...baseCatalog(), "defs/unused.json": defSchema("defs/unused.json") }),
    "definition-removed": () => dirs(baseCatalog(), { ...baseCatalog(), "defs/unused.json": defSchema("defs/unused.json") }),
  };
  const expected = {
    "event-type-added": "CCC",
    "event-type-removed": "BBB",
    "version-added": "CCC",
    "version-removed": "BBB",
    "deprecated-version-removed": "CCC",
    "version-deprecated": "CCC",
    "definition-added": "CCC",
    "definition-removed": "CCC",
  } as const;
  const letters = (v: { backward: string; forward: string; full: string }) =>
    [v.backward, v.forward, v.full].map((x) => (x === "compatible" ? "C" : "B")).join("");

  for (const [rule, make] of Object.entries(cases)) {
    it(rule, async () => {
      const report = await checkCatalog(await make());
      const found = report.changes.filter((c) => c.rule === rule);
      expect(found).toHaveLength(1);
      expect(letters(found[0]?.verdict as never)).toBe(expected[rule as keyof typeof expected]);
      expect(report.breaking).toBe(expected[rule as keyof typeof expected][1] === "B");
    });
  }

  it("has a test for every catalog rule", () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(CATALOG_RULES).sort());
  });

  it("warns when a version becomes deprecated, and when a deprecated one is removed without --server to say who is pinned", async () => {
    const deprecating = await checkCatalog(await cases["version-deprecated"]());
    expect(deprecating.warnings.map((w) => [w.message, w.fix])).toEqual([
      [
        "order.shipped v1 is now deprecated",
        'move receivers to v2 (PATCH /v1/endpoints/{id} with "pins": {"order.shipped": 2}) before removing events/orders/order.shipped.v1.json; --server <url> lists who is pinned',
      ],
    ]);
    const removing = await checkCatalog(await cases["deprecated-version-removed"]());
    expect(removing.warnings.map((w) => w.message)).toEqual([
      "deprecated order.shipped v1 is removed; whether endpoints are still pinned to it is not known",
    ]);
    expect(removing.breaking).toBe(false);
  });
});

describe("output", () => {
  it("colours verdicts only when asked, which the CLI does for a terminal without NO_COLOR", async () => {
    const after = { ...baseCatalog(), [CREATED]: withProperty(createdV1(), "note", { description: "Note.", type: "string" }) };
    const report = await checkCatalog(await dirs(after));
    expect(formatCheckReport(report, { color: true })).toContain("\u001b[31mBREAKING\u001b[39m");
    expect(formatCheckReport(report)).not.toContain("\u001b[");
    expect(useColour({ isTTY: true }, {})).toBe(true);
    expect(useColour({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(useColour({ isTTY: false }, {})).toBe(false);
    expect(useColour({}, {})).toBe(false);
  });
});
