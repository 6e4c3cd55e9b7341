import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { loadCatalog } from "@hookline/generator";
import { afterAll, describe, expect, it } from "vitest";
import { syntheticCatalog, writeSyntheticCatalog } from "../src/fixtures/synthetic-catalog.js";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("synthetic catalog", () => {
  // Compiles every schema with ajv: seconds of CPU on a loaded 2-core machine, not a speed check.
  it("is accepted by loadCatalog, examples and strict ajv compile included", { timeout: 60_000 }, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bench-synthetic-"));
    dirs.push(dir);
    const written = await writeSyntheticCatalog(dir, 24);
    const model = await loadCatalog(dir);
    // Every twentieth type also has a version 2 and its converter: 24 types, 25 event files, 1 converter, 6 shared definitions.
    expect(written.files).toBe(6 + 25 + 1);
    expect(model.converters?.map((c) => c.file)).toEqual(["events/identity/parcel0.completed.v2.convert.ts"]);
    expect(new Set(model.events.map((e) => e.type)).size).toBe(24);
    expect(model.events).toHaveLength(25);
    expect(model.events.filter((e) => e.latest)).toHaveLength(24);
    expect(model.definitions.map((d) => d.typeName)).toEqual(["Attributes", "AuditStamp", "Line", "Money", "PartyRef", "PostalAddress"]);
    expect((await readdir(path.join(dir, "events"))).sort()).toEqual(
      ["billing", "identity", "inventory", "marketing", "orders", "shipping", "support", "analytics"].sort(),
    );
  });

  it("is deterministic: the same size gives the same files, another seed different ones", () => {
    const serialise = (files: Map<string, unknown>) => JSON.stringify([...files]);
    expect(serialise(syntheticCatalog(10))).toBe(serialise(syntheticCatalog(10)));
    expect(serialise(syntheticCatalog(10, 1))).not.toBe(serialise(syntheticCatalog(10, 2)));
  });

  it("uses the realistic shapes the benchmark promises", () => {
    const text = JSON.stringify([...syntheticCatalog(40).values()]);
    for (const feature of [
      '"$ref":"../../defs/',
      '"format":"date-time"',
      '"format":"email"',
      '"enum":[',
      '"type":"array","items":{"description"',
      '"additionalProperties":false',
      '"anyOf":[',
    ]) {
      expect(text).toContain(feature);
    }
  });

  it("refuses a size that is not a positive integer", () => {
    expect(() => syntheticCatalog(0)).toThrow(RangeError);
    expect(() => syntheticCatalog(1.5)).toThrow(RangeError);
  });
});
