/** The public surface and package shape of @hookline/sender, pinned: a change here is an API change. */

import { readFile } from "node:fs/promises";
import { expect, it } from "vitest";
import * as api from "@hookline/sender";

it("exports exactly these runtime values", () => {
  expect(Object.keys(api).sort()).toEqual([
    "HooklineApiError",
    "PayloadValidationError",
    "UnknownEventTypeError",
    "UnknownEventVersionError",
    "WebhookDeliveryError",
    "WebhookSigner",
    "catalog",
    "createClient",
    "createSender",
    "generateKeyPair",
    "generateSecret",
  ]);
});

it("declares an explicit exports map: types first, no wildcard subpaths", async () => {
  const manifest = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as {
    type: string;
    types: string;
    exports: Record<string, unknown>;
    files: string[];
  };
  expect(manifest.type).toBe("module");
  expect(Object.keys(manifest.exports)).toEqual([".", "./schemas", "./package.json"]);
  expect(manifest.exports["."]).toEqual({ types: { require: "./index.d.cts", default: "./dist/index.d.ts" }, default: "./dist/index.js" });
  expect(Object.keys(manifest.exports["./schemas"] as object)).toEqual(["types", "default"]);
  expect(Object.keys(manifest.exports).some((key) => key.includes("*"))).toBe(false);
  expect(manifest.files).toContain("dist");
  expect(manifest.files).toContain("index.d.cts");
  // moduleResolution node10 reads no exports map: the top-level "types" is all it sees.
  expect(manifest.types).toBe("./dist/index.d.ts");
});
