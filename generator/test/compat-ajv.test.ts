/**
 * Cross-checks the rule verdicts against ajv on generated instances (fast-check, hand-written
 * instance generators; json-schema-faker is not a dependency). For every rule case of
 * compat-rules.test.ts: a `compatible` direction must hold on every sample (old-valid ⇒ new-valid
 * for backward, new-valid ⇒ old-valid for forward), and a `breaking` direction must have a witness
 * among the samples, an instance one schema accepts and the other rejects.
 */

import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareSchemas } from "../src/compat/diff.js";
import { CASES } from "./support/compat-cases.js";

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const ajv = new Ajv2020({ strict: false });
addFormats(ajv);

const unit = fc.constantFrom("a", "b", "@", "x", ".", ":");
const text = fc.oneof(fc.string({ unit, maxLength: 6 }), fc.string({ unit, minLength: 9, maxLength: 24 }));
const leaf = fc.oneof(
  text,
  fc.constantFrom("a", "b", "v1", "v2", "a@b.xy", "x:y"),
  fc.integer({ min: -3, max: 120 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -2, max: 120 }),
  fc.boolean(),
  fc.constant(null),
);
const object = fc.dictionary(fc.constantFrom("a", "b", "c"), leaf, { maxKeys: 3, noNullPrototype: true });
const instance = fc.oneof(leaf, fc.array(leaf, { maxLength: 7 }), object, fc.array(object, { maxLength: 3 }));

/** Rules whose verdict depends on a `$ref` to another document, which ajv cannot resolve here. */
const UNRESOLVABLE = new Set(["ref-target-changed"]);
const SAMPLES = fc.sample(instance, { numRuns: 20_000, seed: 13 });

describe("rule verdicts agree with ajv on sample instances", () => {
  for (const c of CASES.filter((k) => !UNRESOLVABLE.has(k.rule))) {
    it(c.rule, () => {
      const [change] = compareSchemas(c.old, c.new);
      const validOld = ajv.compile(c.old as object);
      const validNew = ajv.compile(c.new as object);
      const directions = [
        ["backward", (x: unknown) => !validOld(x) || validNew(x)],
        ["forward", (x: unknown) => !validNew(x) || validOld(x)],
      ] as const;
      for (const [mode, holds] of directions) {
        if (change?.verdict[mode] === "compatible") fc.assert(fc.property(instance, holds), { numRuns: 2_000, seed: 13 });
        else
          expect(
            SAMPLES.some((x) => !holds(x)),
            `${mode} witness for ${c.rule}`,
          ).toBe(true);
      }
    });
  }
});
