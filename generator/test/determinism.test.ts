/**
 * Same catalog → byte-identical output, whatever the file creation order, the machine, the clock
 * or the temp folder; and rendering never mutates the loaded schemas (json-schema-to-typescript's
 * idempotence test).
 */

import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { type CatalogModel, type RenderedFile, generate, loadCatalog, parseConfig, renderOutput } from "../src/index.js";
import { BASE, FIXTURES, readTree, removeTempDirs, tempDir, writeCatalog } from "./support/catalog.js";
import { GOLDEN_SOURCE, RUNTIME, TARGETS } from "./support/golden.js";

const FEATURES = path.join(FIXTURES, "features", "catalog");

// Most file systems list a folder in an order of their own (hash order on ext4), whatever order the
// files were created in; reversing every listing makes "order does not matter" a real test.
const listing = vi.hoisted(() => ({ reversed: false, calls: 0 }));
vi.mock("node:fs/promises", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs/promises")>();
  const original = fs.readdir as (...args: unknown[]) => Promise<unknown[]>;
  const readdir = (async (...args: unknown[]) => {
    const entries = await original(...args);
    if (!listing.reversed) return entries;
    listing.calls += 1;
    return [...entries].reverse();
  }) as typeof fs.readdir;
  return { ...fs, readdir, default: { ...fs, readdir } };
});

afterAll(removeTempDirs);

async function renderAll(model: CatalogModel): Promise<RenderedFile[]> {
  const out: RenderedFile[] = [];
  for (const target of TARGETS) {
    for (const file of await renderOutput(model, { target, runtime: RUNTIME }, GOLDEN_SOURCE))
      out.push({ path: `${target}/${file.path}`, text: file.text });
  }
  return out;
}

describe("determinism of the features catalog", () => {
  it("renders byte-identical output twice from one model, and from a second load", async () => {
    const model = await loadCatalog(FEATURES);
    const first = await renderAll(model);
    expect(await renderAll(model)).toEqual(first);
    expect(await renderAll(await loadCatalog(FEATURES))).toEqual(first);
  });

  it("does not depend on the order the files were created in or are listed in", async () => {
    const files = await readTree(FEATURES);
    const expected = await renderAll(await loadCatalog(FEATURES));
    const reversed = await writeCatalog(Object.fromEntries(Object.entries(files).reverse()));
    listing.reversed = true;
    try {
      expect(await renderAll(await loadCatalog(reversed))).toEqual(expected);
      expect(listing.calls, "the loader lists folders through the reversing readdir").toBeGreaterThan(0);
    } finally {
      listing.reversed = false;
    }
  });

  it("does not mutate the input schemas or the catalog files", async () => {
    const before = await readTree(FEATURES);
    const model = await loadCatalog(FEATURES);
    // Loading keeps every document exactly as parsed from its file.
    expect(Object.fromEntries([...model.documents].map(([id, schema]) => [id.replace(BASE, ""), schema]))).toEqual(
      Object.fromEntries(
        Object.entries(before)
          .filter(([file]) => file.endsWith(".json"))
          .map(([file, text]) => [file, JSON.parse(text) as unknown]),
      ),
    );
    const documents = structuredClone(new Map(model.documents));
    const events = structuredClone(model.events.map((e) => ({ schema: e.schema, bundledSchema: e.bundledSchema, examples: e.examples })));
    // Frozen, any write during rendering throws (ES modules run in strict mode).
    for (const schema of model.documents.values()) deepFreeze(schema);
    for (const event of model.events) deepFreeze(event);
    await renderAll(model);
    expect(new Map(model.documents)).toEqual(documents);
    expect(model.events.map((e) => ({ schema: e.schema, bundledSchema: e.bundledSchema, examples: e.examples }))).toEqual(events);
    expect(await readTree(FEATURES)).toEqual(before);
  });

  it("keeps the temp path, the date and the host name out of the generated files", async () => {
    const project = await tempDir();
    await writeCatalog(await readTree(FEATURES), path.join(project, "catalog"));
    const config = parseConfig(
      {
        catalog: "./catalog",
        outputs: [
          { target: "sender", outDir: "out/sender" },
          { target: "receiver", outDir: "out/receiver" },
        ],
      },
      path.join(project, "hookline.config.json"),
    );
    await generate(config);
    const written = await readTree(path.join(project, "out"));
    // catalog, index, schemas, types, validators, validator-runtime, converters and one converter copy per target.
    expect(Object.keys(written)).toHaveLength(16);
    const today = new Date().toISOString().slice(0, 10);
    const host = new RegExp(`\\b${os.hostname().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`);
    for (const [file, text] of Object.entries(written)) {
      for (const machinePath of [project, os.tmpdir(), process.cwd(), os.homedir()]) expect(text, file).not.toContain(machinePath);
      expect(text, file).not.toContain(today);
      expect(text, file).not.toMatch(host);
    }
    // The same bytes as rendering the fixture catalog in place, from another folder.
    const inPlace = await renderAll(await loadCatalog(FEATURES));
    expect(Object.entries(written).map(([file, text]) => ({ path: file, text }))).toEqual(
      inPlace.sort((a, b) => (a.path < b.path ? -1 : 1)),
    );
  });
});

function deepFreeze(value: unknown): void {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}
