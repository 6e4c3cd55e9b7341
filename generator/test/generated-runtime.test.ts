/**
 * The golden output runs: importing the features SDK's catalog.ts (and with it the ajv standalone
 * validators.ts and the helpers copied into validator-runtime.ts, as real ESM) gives validators that
 * accept the examples in schemas.ts and reject payloads the types reject too.
 */

import { describe, expect, it } from "vitest";
import { catalog } from "./fixtures/features/expected/catalog.js";
import { schemas } from "./fixtures/features/expected/schemas.js";
import { validators } from "./fixtures/features/expected/validators.js";

const [showcase] = schemas["feature.showcase"].examples as [Record<string, unknown>];

function errorsOf(type: keyof typeof validators, payload: unknown): Array<{ instancePath: string; keyword: string }> {
  const validate = validators[type];
  if (validate(payload)) return [];
  return (validate.errors ?? []).map(({ instancePath, keyword }) => ({ instancePath, keyword }));
}

describe("the features SDK at run time", () => {
  it("carries metadata for the latest version of each event type only", () => {
    expect(Object.keys(catalog.eventTypes)).toEqual(["feature.showcase", "widget.renamed"]);
    expect(catalog.eventTypes["widget.renamed"]).toMatchObject({
      type: "widget.renamed",
      version: 2,
      domain: "features",
      title: "WidgetRenamed",
      deprecated: false,
    });
    expect(catalog.validators).toBe(validators);
  });

  it("accepts every example", () => {
    const { versions, ...newest } = schemas;
    expect(Object.keys(newest)).toEqual(Object.keys(catalog.eventTypes));
    for (const [type, documents] of Object.entries(newest)) {
      expect(documents.examples.length, type).toBeGreaterThan(0);
      for (const example of documents.examples) expect(errorsOf(type as keyof typeof validators, example), type).toEqual([]);
    }
    // Every version's examples pass that version's own validator, listed in the catalog's `versions`.
    for (const [type, byVersion] of Object.entries(versions)) {
      for (const [version, documents] of Object.entries(byVersion)) {
        const validate = catalog.versions[type as keyof typeof catalog.versions][version as "1"]?.validator;
        expect(validate, `${type} v${version}`).toBeDefined();
        for (const example of documents.examples) expect(validate?.(example), `${type} v${version}`).toBe(true);
      }
    }
  });

  it.each([
    {
      name: "wrong const in a discriminated union branch",
      patch: { refToDiscriminatedUnion: { kind: "square", radius: 1, unit: "mm" } },
      path: "/refToDiscriminatedUnion",
    },
    { name: "extra property on a closed object", patch: { crossFileRef: { amount: 1, currency: "USD", extra: 1 } }, path: "/crossFileRef" },
    { name: "closed tuple too long", patch: { closedTuple: ["a", 1, 2] }, path: "/closedTuple" },
    { name: "wrong value type in a map", patch: { additionalPropertiesSchemaMap: { k: 1 } }, path: "/additionalPropertiesSchemaMap/k" },
    { name: "undefined for a nullable (JSON has no undefined: the key is missing)", patch: { nullableRef: undefined }, path: "" },
    {
      name: "bad item deep inside the recursive tree",
      patch: { recursiveRef: { label: "r", children: [{ label: 1, children: [] }] } },
      path: "/recursiveRef/children/0/label",
    },
    { name: "bad date-time format", patch: { dateTimeFormat: "yesterday" }, path: "/dateTimeFormat" },
  ])("rejects a payload with $name, at the right path", ({ patch, path }) => {
    const payload = JSON.parse(JSON.stringify({ ...showcase, ...patch })) as unknown;
    const errors = errorsOf("feature.showcase", payload);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.map((e) => e.instancePath)).toContain(path);
  });
});
