/**
 * The `versions` option of an output: a receiver generated for chosen versions (the golden case
 * `pinned-versions` shows its files). Here: the option's validation and its errors.
 */

import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadCatalog, main, parseConfig, renderOutput } from "../src/index.js";
import { FIXTURES, readTree, removeTempDirs, tempDir, writeCatalog } from "./support/catalog.js";
import { GOLDEN_SOURCE, RUNTIME } from "./support/golden.js";

const where = "/project/hookline.config.json";
const config = (versions: unknown) =>
  parseConfig({ catalog: "./catalog", outputs: [{ target: "receiver", outDir: "src/generated", versions }] }, where);

describe("the versions option of an output", () => {
  it("is read as event type → sorted distinct versions", () => {
    expect(config({ "order.shipped": [2, 1, 2] }).outputs[0]?.versions).toEqual({ "order.shipped": [1, 2] });
    expect(config(undefined).outputs[0]).not.toHaveProperty("versions");
  });

  it.each([
    [["order.shipped"], "outputs[0].versions must be an object of event type → versions to carry"],
    [{ "order.shipped": [] }, "outputs[0].versions.order.shipped must list the versions to carry as positive integers"],
    [{ "order.shipped": [0] }, "outputs[0].versions.order.shipped must list the versions to carry as positive integers"],
    [{ "order.shipped": ["1"] }, "outputs[0].versions.order.shipped must list the versions to carry as positive integers"],
  ])("refuses %j with a message naming the field", (versions, message) => {
    expect(() => config(versions)).toThrow(ConfigError);
    expect(() => config(versions)).toThrow(`${where}: ${message}, e.g. {"order.shipped": [1]}`);
  });

  it("refuses a version or type the catalog lacks, naming what exists", async () => {
    const model = await loadCatalog(path.join(FIXTURES, "versions", "catalog"));
    const render = (versions: Record<string, number[]>) =>
      renderOutput(model, { target: "receiver", runtime: RUNTIME, versions }, GOLDEN_SOURCE);
    await expect(render({ "user.signed_up": [1, 4] })).rejects.toThrow(
      'versions: "user.signed_up" has no version 4; the catalog has versions 1, 2, 3. Name versions that exist, or leave the type out to carry all of them.',
    );
    await expect(render({ "user.signed_in": [1] })).rejects.toThrow(
      'versions: event type "user.signed_in" is not in the catalog; known types: user.signed_up.',
    );
  });

  it("keeps every version of the types it does not name, and the full catalog's newest where it is not carried", async () => {
    const model = await loadCatalog(path.join(FIXTURES, "versions", "catalog"));
    const files = await renderOutput(
      model,
      { target: "receiver", runtime: RUNTIME, versions: { "user.signed_up": [1, 2] } },
      GOLDEN_SOURCE,
    );
    const catalog = files.find((f) => f.path === "catalog.ts")?.text ?? "";
    expect(catalog).toContain('catalogNewest: {"user.signed_up":3}');
    expect(catalog).toContain('"version":2');
    expect(catalog).not.toContain("validateUserSignedUpV3");
    const all = await renderOutput(model, { target: "receiver", runtime: RUNTIME }, GOLDEN_SOURCE);
    expect(all.find((f) => f.path === "catalog.ts")?.text).not.toContain("catalogNewest");
  });
});

describe("hookline generate with a versions option", () => {
  async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await main(["node", "hookline", ...args], {
      out: (s) => {
        out += s;
      },
      err: (s) => {
        err += s;
      },
    });
    return { code, out, err };
  }

  async function project(versions: unknown): Promise<{ dir: string; config: string }> {
    const dir = await tempDir();
    await writeCatalog(await readTree(path.join(FIXTURES, "versions", "catalog")), path.join(dir, "catalog"));
    const config = path.join(dir, "hookline.config.json");
    const outputs = [
      { target: "sender", outDir: "out/sender" },
      { target: "receiver", outDir: "out/pinned", versions },
    ];
    await writeFile(config, JSON.stringify({ catalog: "./catalog", outputs }));
    return { dir, config };
  }

  it("writes the chosen versions only to that output; the other output keeps every version", async () => {
    const { dir, config } = await project({ "user.signed_up": [1] });
    expect((await run("generate", "--config", config)).code).toBe(0);
    const pinned = await readFile(path.join(dir, "out/pinned/types.ts"), "utf8");
    const full = await readFile(path.join(dir, "out/sender/types.ts"), "utf8");
    expect(pinned).toContain("export interface UserSignedUpV1 {");
    expect(pinned).not.toContain("UserSignedUpV2");
    expect(pinned).not.toContain("UserSignedUpV3");
    expect(full).toContain("export interface UserSignedUpV3 {");
  });

  it("exits 1 naming the versions that exist when the option names one that does not", async () => {
    const { config } = await project({ "user.signed_up": [4] });
    const { code, err } = await run("generate", "--config", config);
    expect(code).toBe(1);
    expect(err).toContain('outputs[1].versions: "user.signed_up" has no version 4; the catalog has versions 1, 2, 3.');
  });
});

afterAll(removeTempDirs);
