/**
 * The layering ARCHITECTURE.md describes, checked on the import statements of src/: the domain
 * rules import nothing but each other (and util/), the stores never reach into the worker's or the
 * API's layer, and no module imports itself back through others.
 */

import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../../src/", import.meta.url));

/** Folder → the folders of src/ it must never import from (domain/ is checked more strictly below). */
const FORBIDDEN: Readonly<Record<string, readonly string[]>> = {
  store: ["delivery", "http"],
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

const folderOf = (file: string): string => (file.includes("/") ? (file.split("/")[0] as string) : "(top level)");

describe("source layering", () => {
  it("reads the imports it checks", async () => {
    const graph = await importGraph();
    expect(graph.get("store/postgres/pg-store.ts")).toContain("store/store.ts");
    expect(graph.get("delivery/worker.ts")).toContain("domain/attempt-outcome.ts");
  });

  it("store/ never imports delivery/ or http/", async () => {
    const violations: string[] = [];
    for (const [file, targets] of await importGraph()) {
      const forbidden = FORBIDDEN[folderOf(file)] ?? [];
      for (const target of targets) if (forbidden.includes(folderOf(target))) violations.push(`${file} → ${target}`);
    }
    expect(violations).toEqual([]);
  });

  it("domain/ imports nothing but itself and util/ (no store, http, delivery, egress or config)", async () => {
    const outside: string[] = [];
    for (const [file, targets] of await importGraph()) {
      if (folderOf(file) !== "domain") continue;
      for (const target of targets) if (!["domain", "util"].includes(folderOf(target))) outside.push(`${file} → ${target}`);
    }
    expect(outside).toEqual([]);
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
