/** `esmImports`: ajv's `require` lines become imports from the generated validator-runtime.ts, anything else is refused. */

import { describe, expect, it } from "vitest";
import { esmImports } from "../src/emit/emit-validators.js";

describe("esmImports", () => {
  it("turns each require line into a reference to the copied helper, with one import of them all", () => {
    const code = [
      '"use strict";',
      'const func1 = require("ajv/dist/runtime/ucs2length").default;',
      "function validate0(data) { return func1(data) > 1; }",
      'const formats0 = require("ajv-formats/dist/formats").fullFormats["date-time"];',
      'const func2 = require("ajv/dist/runtime/ucs2length").default;',
      "",
    ].join("\n");
    const { code: esm, requests } = esmImports(code);
    expect(esm.split("\n")).toEqual([
      'import { fullFormats, ucs2length } from "./validator-runtime.js";',
      "const func1 = ucs2length;",
      "function validate0(data) { return func1(data) > 1; }",
      'const formats0 = fullFormats["date-time"];',
      "const func2 = ucs2length;",
      "",
    ]);
    expect(requests).toEqual([
      { specifier: "ajv/dist/runtime/ucs2length", path: ".default" },
      { specifier: "ajv-formats/dist/formats", path: '.fullFormats["date-time"]' },
      { specifier: "ajv/dist/runtime/ucs2length", path: ".default" },
    ]);
  });

  it("leaves code without require untouched, apart from the use-strict line", () => {
    expect(esmImports('"use strict";\nfunction validate0(data) { return true; }')).toEqual({
      code: "function validate0(data) { return true; }",
      requests: [],
    });
  });

  it("refuses a require it cannot convert, wherever it is", () => {
    for (const code of [
      "const x = require(name);",
      'function f() { return require("m"); }',
      'const a = 1;\nconst b = require("m").c; // note',
    ]) {
      expect(() => esmImports(code), code).toThrow(/cannot turn into an ESM import/);
    }
  });

  it("refuses a helper it cannot copy, naming it", () => {
    expect(() => esmImports('const func0 = require("ajv/dist/runtime/timestamp").default;')).toThrow(
      /require\("ajv\/dist\/runtime\/timestamp"\)\.default, which this generator cannot copy/,
    );
  });
});
