/**
 * The AsyncAPI 3.0 and OpenAPI 3.1 webhooks documents of the real catalog and of the features
 * fixture: valid for @asyncapi/parser and @readme/openapi-parser with no error and no warning,
 * complete (every type and version, shared definitions once, examples, deprecation, headers), and
 * written by `hookline generate` when the configuration has `documents`.
 */

import { readFile } from "node:fs/promises";
import path from "node:path";
import { Parser } from "@asyncapi/parser";
import { validate } from "@readme/openapi-parser";
import { afterAll, describe, expect, it } from "vitest";
import { writeFile } from "node:fs/promises";
import { type CatalogModel, generate, loadCatalog, main, parseConfig, renderDocuments } from "../src/index.js";
import { FIXTURES, REAL_CATALOG, removeTempDirs, tempDir } from "./support/catalog.js";

afterAll(removeTempDirs);

type Json = Record<string, any>;

async function documentsOf(catalogDir: string): Promise<{ model: CatalogModel; asyncapi: string; openapi: string }> {
  const model = await loadCatalog(catalogDir);
  const files = renderDocuments(model, { title: "Acme webhooks", version: "1.2.3" }, "./catalog");
  const text = (name: string) => files.find((file) => file.path === name)?.text as string;
  return { model, asyncapi: text("asyncapi.json"), openapi: text("openapi.json") };
}

/** The component name of a version's payload: the SDK's `<Title>V<n>` (a title already ending in `V<n>` is kept). */
function componentName(event: { typeName: string; version: number }): string {
  return event.typeName.endsWith(`V${event.version}`) ? event.typeName : `${event.typeName}V${event.version}`;
}

/** Every `$ref` string anywhere in a document. */
function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refs(item, out);
  else if (typeof value === "object" && value !== null)
    for (const [key, child] of Object.entries(value)) {
      if (key === "$ref" && typeof child === "string") out.push(child);
      else if (key !== "examples" && key !== "const" && key !== "enum" && key !== "default") refs(child, out);
    }
  return out;
}

describe.each([
  ["the real catalog", REAL_CATALOG],
  ["the features fixture", path.join(FIXTURES, "features/catalog")],
])("documents of %s", (_name, catalogDir) => {
  it("AsyncAPI 3.0: @asyncapi/parser reports no error and no warning", async () => {
    const { asyncapi } = await documentsOf(catalogDir);
    const { document, diagnostics } = await new Parser().parse(asyncapi);
    // Severity 0 is an error, 1 a warning; 2 (information) only says that AsyncAPI 3.1 exists.
    expect(diagnostics.filter((d) => d.severity <= 1).map((d) => `${d.code} at ${d.path.join("/")}: ${d.message}`)).toEqual([]);
    expect(diagnostics.map((d) => d.code)).toEqual(["asyncapi-latest-version"]);
    expect(document?.version()).toBe("3.0.0");
  }, 60_000);

  it("OpenAPI 3.1 webhooks: @readme/openapi-parser reports no error and no warning", async () => {
    const { openapi } = await documentsOf(catalogDir);
    const result = await validate(JSON.parse(openapi));
    expect(result).toEqual({ valid: true, warnings: [], specification: "OpenAPI" });
  }, 60_000);

  it("describe every type and version with its envelope, headers, examples and deprecation", async () => {
    const { model, asyncapi, openapi } = await documentsOf(catalogDir);
    const async = JSON.parse(asyncapi) as Json;
    const open = JSON.parse(openapi) as Json;
    expect(Object.keys(open.webhooks)).toEqual(model.events.map((e) => `${e.type}.v${e.version}`));
    expect(Object.keys(async.channels)).toEqual([...new Set(model.events.map((e) => e.type))]);
    for (const event of model.events) {
      const name = componentName(event);
      const webhook = open.webhooks[`${event.type}.v${event.version}`].post;
      expect(webhook.deprecated ?? false).toBe(event.deprecated);
      expect(webhook.parameters.map((p: Json) => `${p.in}:${p.name}`)).toEqual([
        "header:webhook-id",
        "header:webhook-timestamp",
        "header:webhook-signature",
      ]);
      const body = webhook.requestBody.content["application/json"];
      expect(body.schema).toEqual({ $ref: `#/components/schemas/${name}Envelope` });
      expect(Object.values(body.examples).map((e: any) => e.value.data)).toEqual(event.examples);
      const envelope = open.components.schemas[`${name}Envelope`];
      expect(envelope.required).toEqual(["type", "version", "timestamp", "data"]);
      expect(envelope.properties.type).toEqual({ const: event.type });
      expect(envelope.properties.version).toEqual({ const: event.version });
      expect(envelope.properties.data).toEqual({ $ref: `#/components/schemas/${name}` });
      expect(open.components.schemas[name].deprecated ?? false).toBe(event.deprecated);
      expect(open.components.schemas[name].description).toBe(event.description);

      const message = async.components.messages[name];
      expect(async.channels[event.type].messages[name]).toEqual({ $ref: `#/components/messages/${name}` });
      expect(message.payload).toEqual({ $ref: `#/components/schemas/${name}Envelope` });
      expect(message.examples.map((e: Json) => e.payload)).toEqual(
        event.examples.map((data) => ({ type: event.type, version: event.version, timestamp: "2026-01-01T00:00:00.000Z", data })),
      );
      expect(async.components.schemas.WebhookHeaders.required).toEqual(["webhook-id", "webhook-timestamp", "webhook-signature"]);
    }
    // Shared definitions are components of their own; every reference points at a component.
    for (const definition of model.definitions) expect(open.components.schemas).toHaveProperty([definition.typeName]);
    for (const doc of [async, open]) {
      const names = new Set(Object.keys(doc.components.schemas));
      for (const ref of refs(doc)) {
        const [, kind, name] =
          /^#\/components\/(schemas|messages)\/([^/]+)$/.exec(ref) ?? /^#\/channels\/([^/]+)(\/messages\/[^/]+)?$/.exec(ref) ?? [];
        expect(ref.startsWith("#/components/") || ref.startsWith("#/channels/"), ref).toBe(true);
        if (kind === "schemas") expect(names.has(name as string), ref).toBe(true);
      }
      expect(JSON.stringify(doc)).not.toContain('"$defs"');
    }
    expect(async.operations[`send-${model.events[0]?.type}`].action).toBe("send");
  }, 60_000);
});

it("the features fixture's deprecated version is deprecated in both documents", async () => {
  const { model, asyncapi, openapi } = await documentsOf(path.join(FIXTURES, "features/catalog"));
  const deprecated = model.events.filter((e) => e.deprecated);
  expect(deprecated.length).toBeGreaterThan(0);
  const open = JSON.parse(openapi) as Json;
  const async = JSON.parse(asyncapi) as Json;
  for (const event of deprecated) {
    expect(open.webhooks[`${event.type}.v${event.version}`].post.deprecated).toBe(true);
    expect(async.components.schemas[`${componentName(event)}Envelope`].deprecated).toBe(true);
  }
});

it("hookline generate writes asyncapi.json and openapi.json into documents.outDir", async () => {
  const dir = await tempDir();
  const config = parseConfig(
    { catalog: path.join(FIXTURES, "features/catalog"), documents: { outDir: "docs/webhooks", title: "Feature hooks" } },
    path.join(dir, "hookline.config.json"),
  );
  const result = await generate(config);
  expect([...(result.documents?.report.written ?? [])].sort()).toEqual(["asyncapi.json", "openapi.json"]);
  const written = JSON.parse(await readFile(path.join(dir, "docs/webhooks/asyncapi.json"), "utf8")) as Json;
  expect(written.info).toEqual({ title: "Feature hooks", version: "0.0.0" });
  expect(written["x-generated"]).toMatch(/^@generated by hookline/);
  // A second run leaves both files as they are.
  expect([...((await generate(config)).documents?.report.unchanged ?? [])].sort()).toEqual(["asyncapi.json", "openapi.json"]);
});

it("the hookline generate command writes the documents of a configuration with only documents, and says where", async () => {
  const dir = await tempDir();
  const config = path.join(dir, "hookline.config.json");
  await writeFile(
    config,
    JSON.stringify({
      catalog: path.join(FIXTURES, "features/catalog"),
      documents: { outDir: "out", version: "2.0.0" },
      // The features catalog breaks these conventions on purpose; "off" keeps stderr empty.
      rules: { "property-camel-case": "off", "object-additional-properties": "off" },
    }),
  );
  let out = "";
  let err = "";
  const code = await main(["node", "hookline", "generate", "--config", config], { out: (s) => (out += s), err: (s) => (err += s) });
  expect({ code, err }).toEqual({ code: 0, err: "" });
  expect(out).toMatch(/^documents → .*out: 2 written, 0 unchanged, 0 removed\n/);
  const openapi = JSON.parse(await readFile(path.join(dir, "out/openapi.json"), "utf8")) as Json;
  expect(openapi.info).toEqual({ title: "Webhooks", version: "2.0.0" });
  expect(Object.keys(openapi.webhooks)).toEqual(["feature.showcase.v1", "widget.renamed.v1", "widget.renamed.v2"]);
});

it("refuses a documents.outDir that overlaps an output", () => {
  expect(() =>
    parseConfig(
      { catalog: "./catalog", outputs: [{ target: "sender", outDir: "gen" }], documents: { outDir: "gen/docs" } },
      "/tmp/project/hookline.config.json",
    ),
  ).toThrow('documents.outDir overlaps outputs[0].outDir; give the documents a directory of their own, e.g. "docs/webhooks"');
});
