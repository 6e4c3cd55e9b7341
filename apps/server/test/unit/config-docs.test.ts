import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { TABLE_START, withConfigTable } from "../../src/config/docs.js";
import { SETTINGS } from "../../src/config/settings.js";

// The server manual may live in the root README or in apps/server/README.md: whichever has the markers.
const CANDIDATES = ["../../README.md", "../../../../README.md"].map((p) => fileURLToPath(new URL(p, import.meta.url)));

describe("configuration docs", () => {
  it("the README's configuration table is the one generated from the settings table (npm run docs rewrites it)", async () => {
    const readme = CANDIDATES.find((file) => existsSync(file) && readFileSync(file, "utf8").includes(TABLE_START));
    expect(readme, `no README has the marker ${TABLE_START}`).toBeDefined();
    const current = readFileSync(readme ?? "", "utf8");
    await expect(withConfigTable(current)).toMatchFileSnapshot(readme ?? "");
  });

  it("documents every variable, each read by one setting", () => {
    const names = Object.values(SETTINGS).flatMap((s) => (s.env === undefined ? [] : [s.env]));
    expect(new Set(names).size).toBe(names.length);
    for (const s of Object.values(SETTINGS)) expect(s.doc.trim()).not.toBe("");
  });
});
