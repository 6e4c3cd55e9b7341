/**
 * The layering ARCHITECTURE.md describes, checked on the import statements of src/: `schema/` is
 * the floor, each phase imports only from the floor and from phases before it, and no module
 * imports itself back through others.
 */

import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));

/**
 * Folder → the folders (or top-level files) it may import from, besides itself. Top-level files
 * sit in front and wire the phases; emit names the output target declared by the configuration.
 */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  schema: [],
  load: ["schema", "model"],
  model: ["schema"],
  emit: ["schema", "model", "config.ts"],
  write: ["schema", "emit"],
  compat: ["schema"],
  check: ["schema", "load", "compat"],
  commands: ["schema", "load", "model", "config.ts"],
  docs: ["schema", "model", "compat", "generate.ts"],
  documents: ["model", "write"],
};

async function importGraph(): Promise<Map<string, string[]>> {
  const files = (await readdir(SRC, { recursive: true })).filter((f) => f.endsWith(".ts")).map((f) => f.split(path.sep).join("/"));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = await readFile(path.join(SRC, file), "utf8");
    const targets = [...text.matchAll(/^(?:import|export)\b[^;]*?from "(\.{1,2}\/[^"]+)"/gms)].map((m) =>
      path.posix.normalize(path.posix.join(path.posix.dirname(file), (m[1] as string).replace(/\.js$/, ".ts"))),
    );
    graph.set(file, targets);
  }
  return graph;
}

describe("source layering", () => {
  it("phases import only from the schema floor and from earlier phases", async () => {
    const violations: string[] = [];
    for (const [file, targets] of await importGraph()) {
      const folder = file.includes("/") ? (file.split("/")[0] as string) : undefined;
      if (folder === undefined) continue;
      for (const target of targets) {
        const targetFolder = target.includes("/") ? target.split("/")[0] : "(top level)";
        const allowed = ALLOWED[folder] ?? [];
        if (targetFolder !== folder && !allowed.includes(targetFolder as string) && !allowed.includes(target))
          violations.push(`${file} → ${target}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("has no import cycles", async () => {
    const graph = await importGraph();
    const cycles: string[] = [];
    const state = new Map<string, "visiting" | "done">();
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "visiting") {
        cycles.push([...trail.slice(trail.indexOf(file)), file].join(" → "));
        return;
      }
      state.set(file, "visiting");
      for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
      state.set(file, "done");
    };
    for (const file of [...graph.keys()].sort()) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
