/** The generator's public surface, pinned: what `@hookline/generator` exports at run time. */

import { expect, it } from "vitest";
import * as api from "../src/index.js";

it("exports exactly the documented values", () => {
  expect(Object.keys(api).sort()).toEqual([
    "CATALOG_RULES",
    "CatalogError",
    "CheckError",
    "ConfigError",
    "FormatterError",
    "OutputDirectoryError",
    "PackError",
    "RULES",
    "RUNTIME_RANGE",
    "checkCatalog",
    "compareSchemas",
    "formatCheckReport",
    "formatIssue",
    "generate",
    "loadCatalog",
    "loadConfig",
    "main",
    "pack",
    "parseConfig",
    "renderDocuments",
    "renderOutput",
  ]);
});
