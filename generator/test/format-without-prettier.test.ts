/**
 * prettier is an optional peer dependency: the generator loads it only when `format: "prettier"`
 * asks for it. Here it cannot be imported at all, as in a project that does not install it.
 */

import path from "node:path";
import { expect, it, vi } from "vitest";
import { FormatterError, loadCatalog, renderOutput } from "../src/index.js";
import { FIXTURES } from "./support/catalog.js";
import { GOLDEN_SOURCE, RUNTIME } from "./support/golden.js";

vi.mock("prettier", () => {
  throw new Error("Cannot find package 'prettier'");
});

it('renders without prettier, and names the fix when "format": "prettier" asks for it', async () => {
  const model = await loadCatalog(path.join(FIXTURES, "minimal", "catalog"));
  const output = { target: "sender", runtime: RUNTIME } as const;
  const files = await renderOutput(model, output, GOLDEN_SOURCE, { format: "none" });
  expect(files.map((f) => f.path)).toEqual(["types.ts", "validators.ts", "catalog.ts", "schemas.ts", "index.ts"]);

  const formatted = renderOutput(model, output, GOLDEN_SOURCE, { format: "prettier" });
  await expect(formatted).rejects.toThrow(FormatterError);
  await expect(formatted).rejects.toThrow(/needs the prettier package.*npm install --save-dev prettier\), or set "format": "none"/);
});
