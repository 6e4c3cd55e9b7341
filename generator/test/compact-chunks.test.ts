/**
 * compactValidators parses ajv's code a run of top-level statements at a time: the runs are cut
 * only between top-level statements, a wrong cut falls back to one parse, and the result is the
 * same code as from one parse of the whole.
 */

import standaloneModule from "ajv/dist/standalone/index.js";
import { describe, expect, it } from "vitest";
import { forEachParsedRun, topLevelRuns } from "../src/emit/compact-chunks.js";
import { compactValidators } from "../src/emit/compact-validators.js";
import { esmImports } from "../src/emit/emit-validators.js";
import { loadCheckedCatalog } from "../src/load/load-catalog.js";
import { REAL_CATALOG } from "./support/catalog.js";

// ajv's standalone module is CommonJS; under NodeNext its default import is the module object.
const standaloneCode = (standaloneModule as unknown as { default: (ajv: unknown, refs: Record<string, string>) => string }).default;

describe("topLevelRuns", () => {
  it("cuts between top-level statements only, past strings, regular expressions, comments and blocks", () => {
    const statements = [
      'const a = "{\\"";',
      'const b = /["{]/u;',
      "function f(x){\n// {\nif(x){\nreturn b.test(x) ? 1 : x / 2;\n}\nelse {\nreturn 2;\n}\n}",
      "f.evaluated = {'c': \"}\", /* { */ d: 1};",
    ];
    const code = statements.join("\n");
    const runs = topLevelRuns(code, 0).map(({ start, end }) => code.slice(start, end));
    expect(runs).toEqual(statements.map((statement, i) => (i === 0 ? statement : `\n${statement}`)));
  });

  it("keeps at least minLength characters in a run, and gives one run for a template literal", () => {
    const code = "const a = 1;\nconst b = 2;\nconst c = 3;";
    expect(topLevelRuns(code, 13)).toEqual([
      { start: 0, end: 25 },
      { start: 25, end: code.length },
    ]);
    expect(topLevelRuns(`const a = \`{\`;\n${code}`, 0)).toEqual([{ start: 0, end: code.length + 15 }]);
  });

  it("reports a cut that is not a statement boundary, so that the caller parses the whole code", () => {
    // After `)`, the lexer takes `/` for a division: the braces in the regular expressions throw its depth off.
    const code = "function f(a, b){\nif (a) /}x/.test(b);\nconst c = 1;\nif (a) /{x/.test(b);\n}";
    expect(topLevelRuns(code, 0)).toHaveLength(2);
    expect(forEachParsedRun(code, () => {}, 0)).toBe(false);
    expect(forEachParsedRun(code, () => {}, Number.POSITIVE_INFINITY)).toBe(true);
  });
});

describe("compactValidators in runs", () => {
  it("gives the real catalog's validators byte for byte as from one parse of the whole code", async () => {
    const { model, validators } = await loadCheckedCatalog(REAL_CATALOG);
    const latest = model.events.filter((e) => e.latest);
    const { code } = esmImports(standaloneCode(validators, Object.fromEntries(latest.map((e) => [`validate${e.typeName}`, e.id]))));
    const whole = compactValidators(code, { runLength: Number.POSITIVE_INFINITY });
    expect(whole.length).toBeLessThan(code.length * 0.8);
    expect(compactValidators(code, { runLength: 0 })).toBe(whole);
    expect(compactValidators(code)).toBe(whole);
  });
});
