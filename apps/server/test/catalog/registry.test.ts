/**
 * The catalog registry on real module directories (copies of the compiled sender catalog, changed
 * as `npm run generate` would): what a reload loads, what it refuses and why, and that a refusal
 * leaves the serving catalog in place.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CatalogLoadError, CatalogRegistry } from "../../src/catalog/registry.js";
import type { PinnedVersionCount } from "../../src/domain/catalog-reload.js";
import { createLogger } from "../../src/logger.js";
import { Metrics } from "../../src/metrics.js";
import type { Store } from "../../src/store/store.js";
import {
  addEventType,
  breakExample,
  copySenderCatalog,
  removeCatalogDir,
  removeEventType,
  wrapModule,
  writeModule,
} from "../support/catalog-dir.js";

const store = { stats: async () => ({ depth: 0, oldestDueAt: null, deadLetters: 0 }) } as unknown as Store;

describe("catalog registry", () => {
  let dir: string;
  let logs: Record<string, unknown>[];
  let metrics: Metrics;
  let pins: PinnedVersionCount[];
  let tmp: string;
  let savedTmpdir: string | undefined;

  const open = () =>
    CatalogRegistry.open(dir, {
      logger: createLogger(
        "info",
        new Writable({
          write(chunk: Buffer, _enc, done) {
            logs.push(JSON.parse(chunk.toString("utf8")) as Record<string, unknown>);
            done();
          },
        }),
        "json",
      ),
      metrics,
      now: Date.now,
      pinnedVersionCounts: async () => pins,
    });

  beforeEach(() => {
    // A private temporary directory, so the test can see that every load's copy is removed.
    savedTmpdir = process.env["TMPDIR"];
    tmp = mkdtempSync(join(tmpdir(), "hookline-registry-"));
    process.env["TMPDIR"] = tmp;
    dir = copySenderCatalog();
    logs = [];
    metrics = new Metrics(store, Date.now);
    pins = [];
  });
  afterEach(() => {
    if (savedTmpdir === undefined) delete process.env["TMPDIR"];
    else process.env["TMPDIR"] = savedTmpdir;
    removeCatalogDir(dir);
    rmSync(tmp, { recursive: true, force: true });
  });

  const metric = async (name: string): Promise<string[]> =>
    (await metrics.registry.metrics()).split("\n").filter((line) => line.startsWith(name));

  it("reloads a catalog with a new type, reports what changed, counts it and removes every temporary copy", async () => {
    const registry = await open();
    const before = registry.loaded();
    const view = registry.current();
    expect(view.has("refund.issued")).toBe(false);
    const applied: string[] = [];
    registry.onApplied((loaded) => applied.push(loaded.fingerprint));

    addEventType(dir, "refund.issued", "order.paid");
    const result = await registry.reload("api");
    expect(result).toMatchObject({
      applied: true,
      unchanged: false,
      previousFingerprint: before.fingerprint,
      added: [{ type: "refund.issued", version: 1 }],
      removed: [],
    });
    expect(registry.current().has("refund.issued")).toBe(true);
    expect(registry.loaded().fingerprint).not.toBe(before.fingerprint);
    // A view read before the reload is untouched: work that started with it finishes with it.
    expect(view.has("refund.issued")).toBe(false);
    expect(await metric("hookline_catalog_reloads_total")).toEqual(['hookline_catalog_reloads_total{result="applied"} 1']);
    expect(await metric("hookline_catalog_info")).toEqual([`hookline_catalog_info{fingerprint="${registry.loaded().fingerprint}"} 1`]);
    expect(logs.find((l) => l["msg"] === "event catalog reloaded")).toMatchObject({ trigger: "api", added: ["refund.issued v1"] });

    const again = await registry.reload("SIGHUP");
    expect(again).toMatchObject({ applied: true, unchanged: true, added: [], removed: [] });
    expect(applied).toEqual([registry.loaded().fingerprint]);
    expect(readdirSync(tmp).filter((name) => name.startsWith("hookline-catalog-") && !dir.endsWith(name))).toEqual([]);
  });

  it("refuses a catalog whose example fails its own validator, lists it, and keeps serving the previous one", async () => {
    const registry = await open();
    const serving = registry.loaded();
    addEventType(dir, "refund.issued", "order.paid");
    breakExample(dir, "order.created");
    breakExample(dir, "user.logged_in");
    const result = await registry.reload("api");
    expect(result.applied).toBe(false);
    if (result.applied) return;
    expect(result.reason).toBe("invalid");
    expect(result.problems.map((p) => [p.code, p.type])).toEqual([
      ["invalid_example", "order.created"],
      ["invalid_example", "user.logged_in"],
    ]);
    expect(result.problems[0]?.message).toMatch(
      /^Example 1 of order\.created v1 does not match its own schema: \/billingAddress is required; /,
    );
    expect(registry.loaded()).toBe(serving);
    expect(registry.current().has("refund.issued")).toBe(false);
    expect(await metric("hookline_catalog_reloads_total")).toEqual(['hookline_catalog_reloads_total{result="refused"} 1']);
    const warning = logs.find((l) => l["msg"] === "event catalog reload refused; the previous catalog keeps serving");
    expect(warning).toMatchObject({ level: 40, reason: "invalid", serving: serving.fingerprint });
    expect(warning?.["problems"]).toHaveLength(2);
    expect(readdirSync(tmp).filter((name) => name.startsWith("hookline-catalog-") && !dir.endsWith(name))).toEqual([]);
  });

  it("refuses modules that do not load or export the wrong thing, naming the original file", async () => {
    const registry = await open();
    writeModule(dir, "schemas.js", "export const schemas = {\n  broken: ,\n};\n");
    const syntax = await registry.reload("api");
    expect(syntax).toMatchObject({ applied: false, reason: "invalid", problems: [{ code: "module_failed", file: "schemas.js" }] });
    const message = syntax.applied ? "" : (syntax.problems[0]?.message ?? "");
    expect(message).toBe(
      `${join(dir, "schemas.js")} failed to load: SyntaxError: Unexpected token ',' (${join(dir, "schemas.js")}:2: broken: ,)`,
    );

    writeModule(dir, "schemas.js", "export const documents = {};\n");
    writeModule(dir, "catalog.js", 'import { createSenderFor } from "@hookline/core";\nexport const catalog = { createSenderFor };\n');
    const exports = await registry.reload("api");
    expect(exports.applied ? [] : exports.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(
        /catalog\.js imports the package "@hookline\/core", which a catalog module cannot use: .* only relative imports/,
      ),
    ]);

    writeModule(dir, "catalog.js", "export const catalog = { eventTypes: {} };\n");
    const shape = await registry.reload("api");
    expect(shape.applied ? [] : shape.problems.map((p) => p.message)).toEqual([
      "schemas.js: does not export `schemas` (an object keyed by event type).",
    ]);
    writeModule(dir, "schemas.js", "export const schemas = {};\n");
    const shape2 = await registry.reload("api");
    expect(shape2.applied ? [] : shape2.problems.map((p) => p.message)).toEqual([
      "catalog.js: `catalog` must have the objects `eventTypes` and `validators`.",
    ]);
    expect(registry.current().types).toContain("order.created");
    expect(readdirSync(tmp).filter((name) => name.startsWith("hookline-catalog-") && !dir.endsWith(name))).toEqual([]);
  });

  it("refuses a catalog that drops a type or version endpoints are pinned to, naming the pins", async () => {
    const registry = await open();
    pins = [
      { type: "order.created", version: 1, endpoints: 3 },
      { type: "order.paid", version: 1, endpoints: 0 },
      { type: "user.logged_in", version: 1, endpoints: 1 },
    ];
    removeEventType(dir, "order.created");
    removeEventType(dir, "order.paid");
    const result = await registry.reload("SIGHUP");
    expect(result).toMatchObject({
      applied: false,
      reason: "pinned",
      problems: [{ code: "pinned_version_removed", type: "order.created", version: 1 }],
    });
    expect(result.applied ? "" : result.problems[0]?.message).toMatch(
      /^3 endpoints are pinned to order\.created v1, but the new catalog has no event type order\.created\./,
    );
    expect(registry.current().has("order.created")).toBe(true);

    pins = [{ type: "user.logged_in", version: 1, endpoints: 1 }];
    expect(await registry.reload("SIGHUP")).toMatchObject({
      applied: true,
      removed: [
        { type: "order.created", version: 1 },
        { type: "order.paid", version: 1 },
      ],
    });
  });

  it("a catalog carrying several versions of a type needs a converter between each adjacent pair", async () => {
    const registry = await open();
    // The repository's catalog carries order.shipped v1 and v2 side by side, with the converter between them.
    expect(registry.current().versions("order.shipped")).toEqual([1, 2]);
    wrapModule(dir, "catalog.js", "catalog", "{ ...base, converters: {} }");
    const missing = await registry.reload("api");
    expect(missing.applied ? [] : missing.problems.map((p) => [p.code, p.message])).toEqual([
      [
        "missing_converter",
        "order.shipped carries v1 and v2 but no converter between them: create catalog/events/orders/order.shipped.v2.convert.ts exporting down(payload: V2): V1, then npm run generate.",
      ],
    ]);
    // A converter supplied (the identity: the registry checks that one exists, conversions check results).
    writeModule(
      dir,
      "catalog.js",
      `import { catalog as base } from "./catalog.base1.js";
      export const catalog = { ...base, converters: { "order.shipped": { 2: { down: (payload) => payload } } } };\n`,
    );
    expect(await registry.reload("api")).toMatchObject({ applied: true });
    expect(registry.current().versions("order.shipped")).toEqual([1, 2]);
    // A v1 that disappears takes its converter with it: nothing is missing, v1 is reported removed.
    writeModule(
      dir,
      "catalog.js",
      `import { catalog as base } from "./catalog.base1.js";
      const versions = { ...base.versions, "order.shipped": { 2: base.versions["order.shipped"][2] } };
      export const catalog = { ...base, versions, converters: {} };\n`,
    );
    expect(await registry.reload("api")).toMatchObject({ applied: true, removed: [{ type: "order.shipped", version: 1 }] });
    expect(registry.current().versions("order.shipped")).toEqual([2]);
  });

  it("cannot start on a directory that is not a catalog, and says what to point at", async () => {
    const empty = mkdtempSync(join(tmp, "empty-"));
    const error = await CatalogRegistry.open(empty, { logger: createLogger("silent"), metrics, now: Date.now }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CatalogLoadError);
    expect((error as Error).message).toContain(
      `The catalog directory ${empty} has no catalog.js. Run npm run generate (or npm run build); HOOKLINE_CATALOG_DIR must name`,
    );
    const gone = await CatalogRegistry.open(join(tmp, "nowhere"), { logger: createLogger("silent"), metrics, now: Date.now }).catch(
      (e: unknown) => e,
    );
    expect((gone as Error).message).toContain("does not exist");
  });
});
