/**
 * The optional prettier post-step: `format: "prettier"` is prettier run over exactly the text the
 * printer writes with `format: "none"`, for the files of code the generator builds; ajv's code
 * and the catalog's data are left as they are.
 */

import path from "node:path";
import * as prettier from "prettier";
import { describe, expect, it } from "vitest";
import { type RenderedFile, loadCatalog, renderOutput } from "../src/index.js";
import { FIXTURES } from "./support/catalog.js";
import { GOLDEN_SOURCE, RUNTIME } from "./support/golden.js";

const byPath = (files: readonly RenderedFile[]) => new Map(files.map((f) => [f.path, f.text]));

describe('format: "prettier"', () => {
  it("formats types.ts, catalog.ts and index.ts with prettier; the data and ajv's code stay as printed", async () => {
    const model = await loadCatalog(path.join(FIXTURES, "features", "catalog"));
    const output = { target: "receiver", runtime: RUNTIME } as const;
    const none = byPath(await renderOutput(model, output, GOLDEN_SOURCE));
    const pretty = byPath(await renderOutput(model, output, GOLDEN_SOURCE, { format: "prettier" }));
    const options: prettier.Options = { parser: "typescript", printWidth: 100, trailingComma: "all", endOfLine: "lf" };

    for (const file of ["types.ts", "index.ts"]) {
      expect(pretty.get(file)).toBe(await prettier.format(none.get(file) as string, options));
      expect(pretty.get(file)).not.toBe(none.get(file));
    }
    expect(pretty.get("validators.ts")).toBe(none.get("validators.ts"));
    // catalog.ts: the statements are formatted, the event type data is spliced in afterwards as JSON.
    const catalog = pretty.get("catalog.ts") as string;
    expect(catalog).toContain(
      'export const catalog: EventCatalog<EventMap, EventVersions> = {\n  eventTypes: {\n    "feature.showcase": {"type"',
    );
    expect(catalog).toMatch(/\n {2}validators,\n {2}versions: \{\n {4}"feature\.showcase": \{"1": \{"info": \{/);
    expect(catalog).toMatch(/\n {2}\},\n {2}converters,\n\};\n$/);
    // converters.ts is the generator's code too; the copied converter modules are the catalog author's and stay as printed.
    expect(pretty.get("converters.ts")).toBe(await prettier.format(none.get("converters.ts") as string, options));
    expect(pretty.get("converters/widget.renamed.v2.convert.ts")).toBe(none.get("converters/widget.renamed.v2.convert.ts"));
    // The same output on a second run: prettier does not make it less deterministic.
    expect(byPath(await renderOutput(model, output, GOLDEN_SOURCE, { format: "prettier" }))).toEqual(pretty);
  });
});
