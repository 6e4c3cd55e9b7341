/**
 * The repository's own catalog loads, and every example of every latest event validates against
 * its bundled schema compiled by a fresh ajv: the bundle is self-contained (no file $refs left).
 */

import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../src/index.js";
import { REAL_CATALOG } from "./support/catalog.js";

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

describe("the real catalog", () => {
  it("loads with at least 16 latest event types across the 4 domains, and every example validates against its bundled schema", async () => {
    const model = await loadCatalog(REAL_CATALOG);
    const latest = model.events.filter((e) => e.latest);
    expect(latest.length).toBeGreaterThanOrEqual(16);
    expect([...new Set(latest.map((e) => e.domain))].sort()).toEqual(["finance", "healthcare", "orders", "saas"]);
    expect(new Set(latest.map((e) => e.type)).size).toBe(latest.length);

    const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
    addFormats(ajv);
    for (const event of latest) {
      expect(JSON.stringify(event.bundledSchema), event.file).not.toMatch(/"\$ref":"(?!#)/);
      const validate = ajv.compile(event.bundledSchema);
      expect(event.examples.length, event.file).toBeGreaterThan(0);
      for (const example of event.examples)
        expect({ file: event.file, valid: validate(example), errors: validate.errors ?? null }).toEqual({
          file: event.file,
          valid: true,
          errors: null,
        });
    }
  });
});
