/**
 * The `hookline` command line through `main(argv, io)`, and the configuration it reads. Every
 * catalog and output folder is a temp dir; nothing depends on the working directory.
 */

import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CatalogError, ConfigError, type GeneratorConfig, loadCatalog, loadConfig, main, parseConfig } from "../src/index.js";
import { FIXTURES, REAL_CATALOG, eventSchema, readTree, removeTempDirs, tempDir, writeCatalog } from "./support/catalog.js";

afterAll(removeTempDirs);

const FEATURES = path.join(FIXTURES, "features", "catalog");
const MINIMAL = path.join(FIXTURES, "minimal", "catalog");

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

/** A project folder with the minimal catalog and a config file; returns the config path. */
async function project(
  config: unknown = {
    catalog: "./catalog",
    outputs: [
      { target: "sender", outDir: "out/sender" },
      { target: "receiver", outDir: "out/receiver" },
    ],
  },
): Promise<string> {
  const dir = await tempDir();
  await writeCatalog(await readTree(MINIMAL), path.join(dir, "catalog"));
  const file = path.join(dir, "hookline.config.json");
  await writeFile(file, typeof config === "string" ? config : JSON.stringify(config));
  return file;
}

describe("hookline validate", () => {
  it("exits 0 with a one-line summary for a valid catalog", async () => {
    const { code, out, err } = await run("validate", "--catalog", FEATURES);
    expect(code).toBe(0);
    // The features catalog breaks conventions on purpose (odd property names, an open object): default-severity warnings.
    expect(err).toMatch(/^3 warnings \(rules set to "warning"/);
    expect(out).toMatch(
      new RegExp(
        `^catalog ok: 3 event schemas \\(2 event types\\), 6 shared definitions, 1 converter — ${escapeRegExp(FEATURES)} \\(\\d+ ms\\)\\n$`,
      ),
    );
  });

  it("exits 1 and prints every problem for an invalid catalog", async () => {
    const dir = await writeCatalog({
      "events/orders/order.created.v1.json": eventSchema("events/orders/order.created.v1.json", { title: "order" }),
      "events/orders/order.paid.v1.json": eventSchema("events/orders/order.paid.v1.json", { examples: [] }),
    });
    const { code, out, err } = await run("validate", "--catalog", dir);
    const expected = await loadCatalog(dir).catch((e: unknown) => e);
    expect(expected).toBeInstanceOf(CatalogError);
    expect({ code, out }).toEqual({ code: 1, out: "" });
    expect(err).toBe(`${(expected as CatalogError).message}\n`);
    expect(err).toContain("- events/orders/order.created.v1.json#/title: must be a PascalCase name");
    expect(err).toContain("- events/orders/order.paid.v1.json#/examples: must list at least one example payload");
  });

  it("exits 2 (bad input) for a mistyped option, suggesting the right one", async () => {
    expect(await run("validate", "--catalgo", FEATURES)).toEqual({
      code: 2,
      out: "",
      err: "error: unknown option '--catalgo'\n(Did you mean --catalog?)\n",
    });
  });

  it("exits 2 (bad input) for an unknown command", async () => {
    expect(await run("frobnicate")).toEqual({ code: 2, out: "", err: "error: unknown command 'frobnicate'\n" });
  });
});

describe("hookline generate", () => {
  it("writes the output dirs, then reports 0 written on a second run, then removes an orphan", async () => {
    const config = await project();
    const dir = path.dirname(config);
    const report = (target: string, counts: string) => new RegExp(`^${target} → .*out/${target}: ${counts}$`, "m");

    const first = await run("generate", "--config", config);
    expect({ code: first.code, err: first.err }).toEqual({ code: 0, err: "" });
    expect(first.out).toMatch(report("sender", "5 written, 0 unchanged, 0 removed"));
    expect(first.out).toMatch(report("receiver", "5 written, 0 unchanged, 0 removed"));
    expect(first.out).toMatch(/^generated from 1 event schemas in \d+ ms$/m);
    const written = await readTree(path.join(dir, "out"));
    expect(Object.keys(written)).toEqual([
      ...["catalog.ts", "index.ts", "schemas.ts", "types.ts", "validators.ts"].map((f) => `receiver/${f}`),
      ...["catalog.ts", "index.ts", "schemas.ts", "types.ts", "validators.ts"].map((f) => `sender/${f}`),
    ]);

    const second = await run("generate", "--config", config);
    expect(second.code).toBe(0);
    expect(second.out).toMatch(report("sender", "0 written, 5 unchanged, 0 removed"));
    expect(second.out).toMatch(report("receiver", "0 written, 5 unchanged, 0 removed"));

    // A file an earlier run generated (say, for a type since removed) is an orphan.
    const generated = "// @generated by hookline — do not edit.\nexport {};\n";
    await writeCatalog({ "out/sender/old.ts": generated, "out/sender/nested/older.ts": generated }, dir);
    const third = await run("generate", "--config", config);
    expect(third.code).toBe(0);
    expect(third.out).toMatch(report("sender", "0 written, 5 unchanged, 2 removed"));
    expect(third.out).toMatch(report("receiver", "0 written, 5 unchanged, 0 removed"));
    expect(await readTree(path.join(dir, "out"))).toEqual(written);
  });

  it('formats with prettier when the config says "format": "prettier", or --format overrides it', async () => {
    const outputs = [{ target: "sender", outDir: "out" }];
    const config = await project({ catalog: "./catalog", outputs, format: "prettier" });
    const index = path.join(path.dirname(config), "out", "index.ts");
    const body = async () => (await readTree(path.dirname(index)))["index.ts"];

    expect((await run("generate", "--config", config)).code).toBe(0);
    // prettier's layout (2-space indentation), not the TypeScript printer's (4 spaces).
    expect(await body()).toContain("\n  return createSenderFor(catalog, options);\n");
    expect((await run("generate", "--config", config, "--format", "none")).code).toBe(0);
    expect(await body()).toContain("\n    return createSenderFor(catalog, options);\n");
  });

  it("exits 2 (bad input) for an unknown --format, listing the choices", async () => {
    const config = await project();
    const { code, err } = await run("generate", "--config", config, "--format", "biome");
    expect(code).toBe(2);
    expect(err).toContain("error: option '--format <format>' argument 'biome' is invalid. Allowed choices are none, prettier.");
  });

  it("exits 1 with every catalog problem and writes nothing when the catalog is invalid", async () => {
    const config = await project();
    const dir = path.dirname(config);
    await writeCatalog(
      { "catalog/events/orders/order.created.v1.json": eventSchema("events/orders/order.created.v1.json", { description: undefined }) },
      dir,
    );
    const { code, out, err } = await run("generate", "--config", config);
    expect({ code, out }).toEqual({ code: 1, out: "" });
    expect(err).toContain("has 1 problem:\n- events/orders/order.created.v1.json#/description: is missing [schema-description]\n");
    expect(Object.keys(await readTree(dir)).filter((f) => f.startsWith("out/"))).toEqual([]);
  });

  it.each([
    {
      name: "unknown top-level field",
      config: { catalog: "./catalog", output: [] },
      message: 'unknown field "output" (allowed: catalog, outputs, package, format, documents, rules)',
    },
    {
      name: "missing outputs",
      config: { catalog: "./catalog" },
      message:
        'give "outputs" (SDK sources for a workspace), "package" (a publishable npm package) or "documents" (AsyncAPI and OpenAPI files)',
    },
    {
      name: "bad target",
      config: { catalog: "./catalog", outputs: [{ target: "server", outDir: "out" }] },
      message: 'outputs[0].target must be one of "sender", "receiver"',
    },
    {
      name: "unknown output field",
      config: { catalog: "./catalog", outputs: [{ target: "sender", outdir: "out" }] },
      message: 'outputs[0]: unknown field "outdir" (allowed: target, outDir, runtime, tests, versions)',
    },
  ])("exits 1 for a bad config ($name), naming the field", async ({ config, message }) => {
    const file = await project(config);
    expect(await run("generate", "--config", file)).toEqual({ code: 1, out: "", err: `${file}: ${message}\n` });
  });

  it("exits 1 for a config file that is not JSON", async () => {
    const file = await project("{ catalog: ");
    const { code, err } = await run("generate", "--config", file);
    expect(code).toBe(1);
    expect(err).toMatch(new RegExp(`^${escapeRegExp(file)} is not valid JSON: .+\\n$`));
  });

  // BUG: loadConfig reads an explicit --config path without catching ENOENT, so a mistyped path
  // ends as "hookline: unexpected error: Error: ENOENT ..." with a stack trace and exit code 2.
  it("exits 1 with a plain message when --config names a missing file", async () => {
    const dir = await tempDir();
    const missing = path.join(dir, "hookline.config.jsn");
    const { code, err } = await run("generate", "--config", missing);
    expect(code).toBe(1);
    expect(err).toContain(missing);
    expect(err).not.toContain("unexpected error");
  });
});

describe("regressions: generator bugs found by this suite", () => {
  // BUG: writeOutput removes every file in outDir that this run did not render, generated or not
  // (its doc says "orphans from an earlier run"). A config with "outDir": "src" deletes the
  // project's sources. Proposed fix: remove only files whose first lines carry the
  // "@generated by hookline" banner, and fail (naming the files) if outDir holds anything else.
  it("never deletes a hand-written file that sits in outDir", async () => {
    const config = await project({ catalog: "./catalog", outputs: [{ target: "sender", outDir: "src" }] });
    const dir = path.dirname(config);
    await writeCatalog({ "src/app.ts": "export const handWritten = true;\n" }, dir);
    await run("generate", "--config", config);
    expect(await readTree(path.join(dir, "src"))).toHaveProperty(["app.ts"], "export const handWritten = true;\n");
  });

  // BUG: parseConfig accepts two outputs with the same outDir; the second overwrites the first's
  // index.ts on every run (so "0 written" never happens and the sender SDK exports a receiver).
  // Proposed fix: reject an outDir equal to, or nested in, another output's outDir.
  it("parseConfig rejects two outputs sharing an outDir", () => {
    const raw = {
      catalog: "./c",
      outputs: [
        { target: "sender", outDir: "gen" },
        { target: "receiver", outDir: "./gen/" },
      ],
    };
    expect(() => parseConfig(raw, path.join(path.sep, "work", "app", "hookline.config.json"))).toThrow(/outputs\[1\]\.outDir/);
  });
});

describe("parseConfig", () => {
  const where = path.join(path.sep, "work", "app", "hookline.config.json");

  it("resolves paths against the config file's folder and defaults the runtime", () => {
    const config: GeneratorConfig = parseConfig(
      { $schema: "./schema.json", catalog: "./catalog", outputs: [{ target: "receiver", outDir: "src/generated" }] },
      where,
    );
    expect(config).toEqual({
      catalog: "./catalog",
      catalogDir: path.join(path.sep, "work", "app", "catalog"),
      outputs: [{ target: "receiver", outDir: path.join(path.sep, "work", "app", "src", "generated"), runtime: "@hookline/core" }],
      baseDir: path.join(path.sep, "work", "app"),
      format: "none",
    });
  });

  it("reads package.json#hookline relative to the package folder, with a custom runtime", () => {
    const config = parseConfig(
      { catalog: "../catalog", outputs: [{ target: "sender", outDir: "gen", runtime: "@acme/runtime" }] },
      `${path.join(path.sep, "work", "app", "package.json")}#hookline`,
    );
    expect(config.catalogDir).toBe(path.join(path.sep, "work", "catalog"));
    expect(config.outputs).toEqual([{ target: "sender", outDir: path.join(path.sep, "work", "app", "gen"), runtime: "@acme/runtime" }]);
  });

  it("resolves a catalog given as an installed package name to its folder", () => {
    const config = parseConfig(
      { catalog: "@hookline/catalog", outputs: [{ target: "sender", outDir: "gen" }] },
      path.join(FIXTURES, "hookline.config.json"),
    );
    expect(config.catalogDir).toBe(path.resolve(REAL_CATALOG));
  });

  it.each([
    { name: "not an object", raw: [], message: "the configuration must be a JSON object" },
    {
      name: "unknown top-level field",
      raw: { catalog: "./c", outputs: [], extra: 1 },
      message: 'unknown field "extra" (allowed: catalog, outputs, package, format, documents, rules)',
    },
    {
      name: "unknown format",
      raw: { catalog: "./c", outputs: [{ target: "sender", outDir: "o" }], format: "biome" },
      message: '"format" must be "none" or "prettier" (default "none": no formatter; "prettier" needs prettier installed)',
    },
    {
      name: "missing catalog",
      raw: { outputs: [{ target: "sender", outDir: "o" }] },
      message: '"catalog" must be a folder path or a package name, e.g. "./catalog"',
    },
    {
      name: "empty catalog",
      raw: { catalog: "", outputs: [{ target: "sender", outDir: "o" }] },
      message: '"catalog" must be a folder path or a package name, e.g. "./catalog"',
    },
    {
      name: "missing outputs",
      raw: { catalog: "./c" },
      message:
        'give "outputs" (SDK sources for a workspace), "package" (a publishable npm package) or "documents" (AsyncAPI and OpenAPI files)',
    },
    { name: "empty outputs", raw: { catalog: "./c", outputs: [] }, message: '"outputs" must list at least one {"target", "outDir"}' },
    { name: "output not an object", raw: { catalog: "./c", outputs: ["sender"] }, message: "outputs[0] must be an object" },
    {
      name: "unknown output field",
      raw: { catalog: "./c", outputs: [{ target: "sender", outDir: "o", format: "cjs" }] },
      message: 'outputs[0]: unknown field "format" (allowed: target, outDir, runtime, tests, versions)',
    },
    {
      name: "bad target in the second output",
      raw: {
        catalog: "./c",
        outputs: [
          { target: "sender", outDir: "o" },
          { target: "Receiver", outDir: "p" },
        ],
      },
      message: 'outputs[1].target must be one of "sender", "receiver"',
    },
    {
      name: "missing outDir",
      raw: { catalog: "./c", outputs: [{ target: "sender" }] },
      message: 'outputs[0].outDir must be a directory path, e.g. "src/generated"',
    },
    {
      name: "empty runtime",
      raw: { catalog: "./c", outputs: [{ target: "sender", outDir: "o", runtime: "" }] },
      message: "outputs[0].runtime must be an npm package name",
    },
    {
      name: "catalog package not installed",
      raw: { catalog: "@acme/no-such-catalog", outputs: [{ target: "sender", outDir: "o" }] },
      message: '"catalog": package "@acme/no-such-catalog" is not installed here; install it, or give a path starting with "./"',
    },
  ])("rejects $name", ({ raw, message }) => {
    expect(() => parseConfig(raw, where)).toThrow(new ConfigError(`${where}: ${message}`));
  });
});

describe("loadConfig", () => {
  it("prefers hookline.config.json, then package.json#hookline", async () => {
    const dir = await tempDir();
    await writeFile(
      path.join(dir, "package.json"),
      JSON.stringify({ name: "app", hookline: { catalog: "./from-package", outputs: [{ target: "sender", outDir: "o" }] } }),
    );
    expect((await loadConfig(dir)).catalogDir).toBe(path.join(dir, "from-package"));
    await writeFile(
      path.join(dir, "hookline.config.json"),
      JSON.stringify({ catalog: "./from-file", outputs: [{ target: "sender", outDir: "o" }] }),
    );
    expect((await loadConfig(dir)).catalogDir).toBe(path.join(dir, "from-file"));
  });

  it("names both places to put a configuration when there is none", async () => {
    const dir = await tempDir();
    await expect(loadConfig(dir)).rejects.toThrow(
      new RegExp(
        `^No generator configuration in ${escapeRegExp(dir)}: add hookline\\.config\\.json \\(or a "hookline" field in package\\.json\\)`,
      ),
    );
  });

  it("reports a field error of package.json#hookline with that location", async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, "package.json"), JSON.stringify({ hookline: { catalog: "./c" } }));
    await expect(loadConfig(dir)).rejects.toThrow(
      `${path.join(dir, "package.json")}#hookline: give "outputs" (SDK sources for a workspace), "package" (a publishable npm package) or "documents" (AsyncAPI and OpenAPI files)`,
    );
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
