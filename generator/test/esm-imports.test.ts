/** `esmImports`: ajv's `require` lines become static namespace imports, anything else is refused. */

import { describe, expect, it } from "vitest";
import { esmImports } from "../src/emit/emit-validators.js";

describe("esmImports", () => {
  it("turns each require line into a namespace import, one per module, in order of first use", () => {
    const code = [
      '"use strict";',
      'const func1 = require("ajv/dist/runtime/ucs2length").default;',
      "function validate0(data) { return func1(data) > 1; }",
      'const formats0 = require("ajv-formats/dist/formats").fullFormats["date-time"];',
      'const func2 = require("ajv/dist/runtime/ucs2length").default;',
      "",
    ].join("\n");
    const lines = esmImports(code).split("\n");
    expect(lines.slice(0, 2)).toEqual([
      'import * as ajvRuntime0 from "ajv/dist/runtime/ucs2length.js";',
      'import * as ajvRuntime1 from "ajv-formats/dist/formats.js";',
    ]);
    expect(lines.slice(-5)).toEqual([
      "const func1 = cjsExports(ajvRuntime0).default;",
      "function validate0(data) { return func1(data) > 1; }",
      'const formats0 = cjsExports(ajvRuntime1).fullFormats["date-time"];',
      "const func2 = cjsExports(ajvRuntime0).default;",
      "",
    ]);
    expect(esmImports(code)).not.toContain("require(");
  });

  it("leaves code without require untouched, apart from the use-strict line", () => {
    expect(esmImports('"use strict";\nfunction validate0(data) { return true; }')).toBe("function validate0(data) { return true; }");
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
});
