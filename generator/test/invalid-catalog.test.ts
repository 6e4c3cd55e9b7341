/**
 * Catalog problems, pinned: each case is a tiny catalog in a temp dir and the exact text
 * `hookline validate` prints for it (what, where as file#pointer, and how to fix). Case names state
 * the edge case (openapi-typescript's invalid.test.ts).
 */

import { afterAll, describe, expect, it } from "vitest";
import { CatalogError, type CatalogIssue, formatIssue, loadCatalog } from "../src/index.js";
import { BASE, type CatalogFiles, DIALECT, defSchema, eventSchema, removeTempDirs, writeCatalog } from "./support/catalog.js";

afterAll(removeTempDirs);

const EVENT = "events/orders/order.created.v1.json";
const MONEY = "defs/money.json";

const FIX_STRICT = "  fix: remove unknown keywords and fix the reported construct (see https://ajv.js.org/strict-mode.html)";
const FIX_META = "  fix: correct the keyword's value; see https://json-schema.org/draft/2020-12/json-schema-validation";
const FIX_EXAMPLE = "  fix: correct the example so it matches the schema (examples ship in the SDK metadata and documentation)";
const FIX_REF = "  fix: point it at an existing file under defs/ or events/ (relative to this file), optionally with #/$defs/<name>";
const FIX_IF = "  fix: use oneOf with a const discriminator per branch instead of if/then/else";
const FIX_LITERAL = "  fix: use string, number, boolean or null values in const/enum, or describe the shape with properties";

/** The event schema with `orderId` plus `extra` properties (all required). */
function withProperties(extra: Readonly<Record<string, unknown>>, example: Readonly<Record<string, unknown>> = {}, file = EVENT) {
  return eventSchema(file, {
    required: ["orderId", ...Object.keys(extra)],
    properties: { orderId: { description: "Order id.", type: "string" }, ...extra },
    examples: [{ orderId: "ord_1", ...example }],
  });
}

/** `orderId` with extra keywords. */
function orderId(keywords: Readonly<Record<string, unknown>>) {
  return eventSchema(EVENT, { properties: { orderId: { description: "Order id.", ...keywords } } });
}

/** What `hookline validate` prints for the catalog (temp dir shown as `<catalog>`). */
async function problems(files: CatalogFiles): Promise<string[]> {
  const dir = await writeCatalog(files);
  const error = await loadCatalog(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof CatalogError)) throw new Error(`expected a CatalogError, got ${String(error)}`);
  return error.issues.map((issue) => formatIssue(issue).split(dir).join("<catalog>"));
}

function jsonSyntaxError(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("the text parses");
}

interface Case {
  readonly name: string;
  readonly files: CatalogFiles;
  readonly expected: readonly string[];
}

const BROKEN_JSON = '{ "title": }';

const cases: readonly Case[] = [
  {
    name: "invalid JSON",
    files: { [EVENT]: BROKEN_JSON },
    expected: [
      `- events/orders/order.created.v1.json#: is not valid JSON (${jsonSyntaxError(BROKEN_JSON)})
  fix: correct the JSON syntax; every catalog file is one JSON Schema document`,
    ],
  },
  {
    name: "a JSON array instead of a schema object",
    files: { [EVENT]: "[]" },
    expected: [
      `- events/orders/order.created.v1.json#: is not a JSON Schema object
  fix: the file must contain one JSON object (a JSON Schema 2020-12 document)`,
    ],
  },
  {
    name: "missing $schema",
    files: { [EVENT]: eventSchema(EVENT, { $schema: undefined }) },
    expected: [
      `- events/orders/order.created.v1.json#/$schema: must be "https://json-schema.org/draft/2020-12/schema"
  fix: add "$schema": "https://json-schema.org/draft/2020-12/schema" at the top of the file`,
    ],
  },
  {
    name: "$id not matching the file path",
    files: { [EVENT]: eventSchema(EVENT, { $id: `${BASE}events/orders/order.updated.v1.json` }) },
    expected: [
      `- events/orders/order.created.v1.json#/$id: must be an absolute URI ending in "/events/orders/order.created.v1.json" (got "https://hookline.dev/catalog/events/orders/order.updated.v1.json")
  fix: set "$id" to "<catalog base URI>/events/orders/order.created.v1.json" so relative $refs resolve the same way as the files on disk`,
    ],
  },
  {
    name: "relative $id",
    files: { [EVENT]: eventSchema(EVENT, { $id: EVENT }) },
    expected: [
      `- events/orders/order.created.v1.json#/$id: must be an absolute URI ending in "/events/orders/order.created.v1.json" (got "events/orders/order.created.v1.json")
  fix: set "$id" to "<catalog base URI>/events/orders/order.created.v1.json" so relative $refs resolve the same way as the files on disk`,
    ],
  },
  {
    name: "non-PascalCase title",
    files: { [EVENT]: eventSchema(EVENT, { title: "order_created" }) },
    expected: [
      `- events/orders/order.created.v1.json#/title: must be a PascalCase name (got "order_created"); it becomes the TypeScript type name
  fix: set "title" to a name like "OrderCreated"`,
    ],
  },
  {
    name: "title taken by the generated modules (EventMap)",
    files: { [EVENT]: eventSchema(EVENT, { title: "EventMap" }) },
    expected: [
      `- events/orders/order.created.v1.json#/title: type name "EventMap" (the plain name of order.created, an alias of EventMapV1) is reserved for the generated modules
  fix: choose another title`,
    ],
  },
  {
    name: "missing root description",
    files: { [EVENT]: eventSchema(EVENT, { description: undefined }) },
    expected: [
      `- events/orders/order.created.v1.json#/description: is missing [schema-description]
  fix: describe when this is sent (events) or what it represents (definitions)`,
    ],
  },
  {
    name: "missing x-hookline",
    files: { [EVENT]: eventSchema(EVENT, { "x-hookline": undefined }) },
    expected: [
      `- events/orders/order.created.v1.json#/x-hookline: is missing: every event schema declares its event type and version
  fix: add "x-hookline": { "type": "order.created", "version": 1 }`,
    ],
  },
  {
    name: "event type name with a space",
    files: { "events/orders/order created.v1.json": eventSchema("events/orders/order created.v1.json") },
    expected: [
      `- events/orders/order created.v1.json#/x-hookline/type: must be dot-separated segments of [a-zA-Z0-9_] (got "order created")
  fix: use a Standard Webhooks event type such as "order.created"`,
    ],
  },
  {
    name: "version 0",
    files: { "events/orders/order.created.v0.json": eventSchema("events/orders/order.created.v0.json") },
    expected: [
      `- events/orders/order.created.v0.json#/x-hookline/version: must be an integer >= 1 (got 0)
  fix: start at "version": 1 and add a new file for each breaking change`,
    ],
  },
  {
    name: "unknown x-hookline field (deprecated belongs at the root)",
    files: { [EVENT]: eventSchema(EVENT, { "x-hookline": { type: "order.created", version: 1, deprecated: true } }) },
    expected: [
      `- events/orders/order.created.v1.json#/x-hookline/deprecated: is not a known x-hookline field
  fix: keep only "type" and "version" (deprecation is the standard root keyword "deprecated": true)`,
    ],
  },
  {
    name: "file name not matching x-hookline",
    files: { [EVENT]: eventSchema(EVENT, { "x-hookline": { type: "order.created", version: 2 } }) },
    expected: [
      `- events/orders/order.created.v1.json#: file name does not match x-hookline (expected order.created.v2.json)
  fix: rename the file to order.created.v2.json or correct x-hookline`,
    ],
  },
  {
    name: "event file outside a domain folder",
    files: { "events/order.created.v1.json": eventSchema(EVENT, { $id: `${BASE}events/order.created.v1.json` }) },
    expected: [
      `- events/order.created.v1.json#: event files must sit at events/<domain>/<type>.v<version>.json with a lower-case domain folder
  fix: move the file into a domain folder such as events/orders/`,
    ],
  },
  {
    name: "x-hookline in a defs file",
    files: { [MONEY]: defSchema(MONEY, { "x-hookline": { type: "money", version: 1 } }), [EVENT]: eventSchema(EVENT) },
    expected: [
      `- defs/money.json#/x-hookline: is only allowed in event files under events/
  fix: move the file to events/<domain>/ or remove "x-hookline"`,
    ],
  },
  {
    name: "no examples",
    files: { [EVENT]: eventSchema(EVENT, { examples: undefined }) },
    expected: [
      `- events/orders/order.created.v1.json#/examples: must list at least one example payload [event-examples]
  fix: add "examples": [ { ...a realistic payload... } ]; examples are validated and shipped in the SDK metadata`,
    ],
  },
  {
    name: "empty examples array",
    files: { [EVENT]: eventSchema(EVENT, { examples: [] }) },
    expected: [
      `- events/orders/order.created.v1.json#/examples: must list at least one example payload [event-examples]
  fix: add "examples": [ { ...a realistic payload... } ]; examples are validated and shipped in the SDK metadata`,
    ],
  },
  {
    name: "examples failing the schema: wrong type deep inside, missing and extra property",
    files: { [EVENT]: eventSchema(EVENT, { examples: [{ orderId: 1 }, { extra: true }] }) },
    expected: [
      `- events/orders/order.created.v1.json#/examples/0/orderId: example 0 is invalid: must be string
${FIX_EXAMPLE}`,
      `- events/orders/order.created.v1.json#/examples/1: example 1 is invalid: must NOT have additional properties ("extra")
${FIX_EXAMPLE}`,
      `- events/orders/order.created.v1.json#/examples/1: example 1 is invalid: must have required property 'orderId' ("orderId")
${FIX_EXAMPLE}`,
    ],
  },
  {
    name: "unresolved $ref to a missing file",
    files: { [EVENT]: withProperties({ total: { $ref: "../../defs/money.json", description: "Total." } }) },
    expected: [
      `- events/orders/order.created.v1.json#/properties/total/$ref: $ref "../../defs/money.json" does not resolve (https://hookline.dev/catalog/defs/money.json is not a catalog file)
${FIX_REF}`,
    ],
  },
  {
    name: "unresolved $ref to a missing $defs entry",
    files: {
      [MONEY]: defSchema(MONEY),
      [EVENT]: withProperties({ total: { $ref: "../../defs/money.json#/$defs/nope", description: "Total." } }),
    },
    expected: [
      `- events/orders/order.created.v1.json#/properties/total/$ref: $ref "../../defs/money.json#/$defs/nope" does not resolve (https://hookline.dev/catalog/defs/money.json has no /$defs/nope)
${FIX_REF}`,
    ],
  },
  {
    name: "$ref into a schema's interior (#/properties/x)",
    files: {
      [MONEY]: defSchema(MONEY),
      [EVENT]: withProperties({ total: { $ref: "../../defs/money.json#/properties/amount", description: "Total." } }),
    },
    expected: [
      `- events/orders/order.created.v1.json#/properties/total/$ref: $ref "../../defs/money.json#/properties/amount" points inside a schema (/properties/amount)
  fix: reference a whole file or a top-level #/$defs/<name> entry so the shape gets one type name`,
    ],
  },
  {
    name: "duplicate title across two files",
    files: { [MONEY]: defSchema(MONEY), [EVENT]: eventSchema(EVENT, { title: "Money" }) },
    expected: [
      `- events/orders/order.created.v1.json#/title: type name "Money" (the plain name of order.created, an alias of MoneyV1) is already used by defs/money.json#
  fix: give one of them a different title; titles become TypeScript type names and must be unique across the catalog`,
    ],
  },
  {
    name: "a def titled like an event version's type name (title + V<n>)",
    files: { [MONEY]: defSchema(MONEY, { title: "OrderCreatedV1" }), [EVENT]: eventSchema(EVENT) },
    expected: [
      `- events/orders/order.created.v1.json#/title: type name "OrderCreatedV1" is already used by defs/money.json#
  fix: give one of them a different title; titles become TypeScript type names and must be unique across the catalog`,
    ],
  },
  {
    name: "two event types whose newest versions have the same plain name",
    files: {
      [EVENT]: eventSchema(EVENT, { title: "OrderCreatedV1" }),
      "events/orders/order.placed.v2.json": eventSchema("events/orders/order.placed.v2.json", { title: "OrderCreated" }),
    },
    expected: [
      `- events/orders/order.placed.v2.json#/title: type name "OrderCreated" (the plain name of order.placed, an alias of OrderCreatedV2) is also the plain name of events/orders/order.created.v1.json
  fix: give one of them a different title; titles become TypeScript type names and must be unique across the catalog`,
    ],
  },
  {
    name: "duplicate (type, version) in two domain folders",
    files: {
      [EVENT]: eventSchema(EVENT),
      "events/billing/order.created.v1.json": eventSchema("events/billing/order.created.v1.json", { title: "BillingOrderCreated" }),
    },
    expected: [
      `- events/orders/order.created.v1.json#/x-hookline: event order.created version 1 is also defined by events/billing/order.created.v1.json
  fix: bump the version or remove the duplicate file`,
    ],
  },
  {
    name: "unsupported keyword: not",
    files: { [EVENT]: orderId({ type: "string", not: { const: "" } }) },
    expected: [
      `- events/orders/order.created.v1.json#/properties/orderId/not: uses "not", which a TypeScript type cannot express faithfully
  fix: express the allowed shape positively (enum, oneOf of the allowed shapes)`,
    ],
  },
  {
    name: "unsupported keywords: if/then/else (one problem each)",
    files: {
      [EVENT]: eventSchema(EVENT, { if: { required: ["orderId"] }, then: { required: ["orderId"] }, else: { required: ["orderId"] } }),
    },
    expected: [
      `- events/orders/order.created.v1.json#/else: uses "else", which a TypeScript type cannot express faithfully\n${FIX_IF}`,
      `- events/orders/order.created.v1.json#/if: uses "if", which a TypeScript type cannot express faithfully\n${FIX_IF}`,
      `- events/orders/order.created.v1.json#/if/required: does not compile in strict mode: required property "orderId" is not defined (strictRequired)\n${FIX_STRICT}`,
      `- events/orders/order.created.v1.json#/then: uses "then", which a TypeScript type cannot express faithfully\n${FIX_IF}`,
    ],
  },
  {
    name: "unsupported keyword: unevaluatedProperties",
    files: { [EVENT]: eventSchema(EVENT, { additionalProperties: undefined, unevaluatedProperties: false }) },
    expected: [
      `- events/orders/order.created.v1.json#/unevaluatedProperties: uses "unevaluatedProperties", which a TypeScript type cannot express faithfully
  fix: list the properties and use additionalProperties: false`,
    ],
  },
  {
    name: "unsupported keyword: $dynamicRef",
    files: { [EVENT]: orderId({ $dynamicRef: "#node" }) },
    expected: [
      `- events/orders/order.created.v1.json#/examples/0/orderId: example 0 is invalid: must be object\n${FIX_EXAMPLE}`,
      `- events/orders/order.created.v1.json#/properties/orderId/$dynamicRef: uses "$dynamicRef", which a TypeScript type cannot express faithfully
  fix: use a plain $ref`,
    ],
  },
  {
    name: "missing property description, nested inside array items",
    files: {
      [EVENT]: withProperties(
        {
          lines: {
            description: "Lines.",
            type: "array",
            items: { type: "object", additionalProperties: false, required: ["sku"], properties: { sku: { type: "string" } } },
          },
        },
        { lines: [{ sku: "A" }] },
      ),
    },
    expected: [
      `- events/orders/order.created.v1.json#/properties/lines/items/properties/sku: has no description [property-description]
  fix: add "description": "..." (next to a "$ref" is fine)`,
    ],
  },
  {
    name: "object value in const",
    files: { [EVENT]: orderId({ const: { a: 1 } }) },
    expected: [
      `- events/orders/order.created.v1.json#/properties/orderId/const: is an object or array value, which cannot be written as a TypeScript literal type\n${FIX_LITERAL}`,
    ],
  },
  {
    name: "array value in enum",
    files: { [EVENT]: orderId({ enum: ["a", [1]] }) },
    expected: [
      `- events/orders/order.created.v1.json#/properties/orderId/enum/1: is an object or array value, which cannot be written as a TypeScript literal type\n${FIX_LITERAL}`,
    ],
  },
  {
    name: 'meta-schema violation: "type": "strin"',
    files: { [EVENT]: orderId({ type: "strin" }) },
    expected: [
      `- events/orders/order.created.v1.json#/properties/orderId/type: does not match the JSON Schema 2020-12 meta-schema: must be array\n${FIX_META}`,
      `- events/orders/order.created.v1.json#/properties/orderId/type: does not match the JSON Schema 2020-12 meta-schema: must be equal to one of the allowed values\n${FIX_META}`,
      `- events/orders/order.created.v1.json#/properties/orderId/type: does not match the JSON Schema 2020-12 meta-schema: must match a schema in anyOf\n${FIX_META}`,
    ],
  },
  {
    name: 'meta-schema violation: "minimum": "1" (a string)',
    files: { [EVENT]: orderId({ type: "integer", minimum: "1" }) },
    expected: [
      `- events/orders/order.created.v1.json#/properties/orderId/minimum: does not match the JSON Schema 2020-12 meta-schema: must be number\n${FIX_META}`,
    ],
  },
  {
    name: 'strict mode: unknown keyword "foo": 1',
    files: { [EVENT]: orderId({ type: "string", foo: 1 }) },
    expected: [
      `- events/orders/order.created.v1.json#/properties/orderId/foo: unknown keyword "foo" (strict mode)
  fix: remove "foo" or correct its spelling (see https://ajv.js.org/strict-mode.html)`,
    ],
  },
  {
    name: "strict mode: a type-specific keyword without its type",
    files: { [EVENT]: orderId({ minLength: 1 }) },
    expected: [
      `- events/orders/order.created.v1.json#/properties/orderId/minLength: does not compile in strict mode: missing type "string" for keyword "minLength" (strictTypes)\n${FIX_STRICT}`,
    ],
  },
  {
    name: "strict mode: required naming a property absent from properties",
    files: { [EVENT]: eventSchema(EVENT, { required: ["orderId", "ghost"], examples: [{ orderId: "ord_1", ghost: 1 }] }) },
    expected: [
      // The example is still checked (by a lenient compile): all problems of the file at once.
      `- events/orders/order.created.v1.json#/examples/0: example 0 is invalid: must NOT have additional properties ("ghost")\n${FIX_EXAMPLE}`,
      `- events/orders/order.created.v1.json#/required: does not compile in strict mode: required property "ghost" is not defined (strictRequired)\n${FIX_STRICT}`,
    ],
  },
  {
    name: "strict mode: prefixItems tuple with an open items schema",
    files: {
      [EVENT]: withProperties(
        { pair: { description: "Pair.", type: "array", prefixItems: [{ type: "string" }], items: { type: "number" } } },
        { pair: ["a"] },
      ),
    },
    expected: [
      `- events/orders/order.created.v1.json#/properties/pair/prefixItems: does not compile in strict mode: "prefixItems" is 1-tuple, but minItems or maxItems/items are not specified or different\n${FIX_STRICT}`,
    ],
  },
  {
    name: "nested $id",
    files: { [EVENT]: orderId({ $id: "https://example.com/order-id.json", type: "string" }) },
    expected: [
      `- events/orders/order.created.v1.json#/properties/orderId/$id: nested $id is not supported
  fix: move the subschema into its own file under defs/ and $ref it`,
    ],
  },
  {
    name: "empty catalog (no events/ folder)",
    files: {},
    expected: [
      `- (catalog): no event schemas found under <catalog>/events
  fix: point --catalog (or the \`catalog\` config field) at a folder with events/<domain>/<type>.v<N>.json files`,
    ],
  },
  {
    name: "defs but no events",
    files: { [MONEY]: defSchema(MONEY) },
    expected: [
      `- (catalog): no event schemas found under <catalog>/events
  fix: point --catalog (or the \`catalog\` config field) at a folder with events/<domain>/<type>.v<N>.json files`,
    ],
  },
];

describe("catalog problems", () => {
  it.each(cases)("$name", async ({ files, expected }) => {
    expect(await problems(files)).toEqual(expected);
  });

  it("reports every problem of several files at once, sorted by file then pointer", async () => {
    const files: CatalogFiles = {
      "events/orders/order.paid.v1.json": eventSchema("events/orders/order.paid.v1.json", {
        "x-hookline": { type: "order.paid", version: 0 },
        examples: undefined,
      }),
      [EVENT]: eventSchema(EVENT, {
        $schema: undefined,
        properties: { orderId: { description: "Order id.", type: "string", not: { const: "" } } },
      }),
      "events/billing/invoice.sent.v1.json": "{",
      [MONEY]: defSchema(MONEY, {
        description: undefined,
        properties: { amount: { type: "integer" }, currency: { description: "ISO 4217 code.", type: "string" } },
      }),
      "defs/address.json": defSchema("defs/address.json", { title: "address" }),
    };
    const dir = await writeCatalog(files);
    const error = await loadCatalog(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CatalogError);
    const { issues, message } = error as CatalogError;
    expect(issues.map((i) => `${i.file}#${i.pointer}`)).toEqual([
      "defs/address.json#/title",
      "defs/money.json#/description",
      "defs/money.json#/properties/amount",
      "events/billing/invoice.sent.v1.json#",
      "events/orders/order.created.v1.json#/$schema",
      "events/orders/order.created.v1.json#/properties/orderId/not",
      "events/orders/order.paid.v1.json#/examples",
      "events/orders/order.paid.v1.json#/x-hookline/version",
    ]);
    expect(issues).toEqual([...issues].sort(byFileThenPointer));
    expect(message).toBe(`The event catalog at ${dir} has 8 problems:\n${issues.map(formatIssue).join("\n")}`);
  });

  it("says 1 problem, not 1 problems", async () => {
    const dir = await writeCatalog({ [EVENT]: eventSchema(EVENT, { title: "order" }) });
    await expect(loadCatalog(dir)).rejects.toThrow(
      `The event catalog at ${dir} has 1 problem:\n- events/orders/order.created.v1.json#/title: `,
    );
  });
});

describe("regressions: generator bugs found by this suite", () => {
  // BUG: a $schema other than 2020-12 (here draft-07) makes ajv.validateSchema throw "no schema with
  // key or ref" inside checkDocument, so loadCatalog rejects with a plain Error: the CLI prints
  // "unexpected error" with a stack (exit 2) and every other catalog problem is lost.
  it("a $schema of another draft is reported as a problem, not thrown", async () => {
    const files = { [EVENT]: eventSchema(EVENT, { $schema: "http://json-schema.org/draft-07/schema#" }) };
    expect(await problems(files)).toEqual([
      `- events/orders/order.created.v1.json#/$schema: must be "${DIALECT}"
  fix: add "$schema": "${DIALECT}" at the top of the file`,
    ]);
  });

  // BUG: a defs file that fails a per-file check is dropped from the documents $refs resolve
  // against, so every $ref to it also reports "... is not a catalog file" although the file exists.
  it("a problem in a defs file is not repeated as a bogus unresolved $ref in every file that uses it", async () => {
    const files = {
      [MONEY]: defSchema(MONEY, { description: undefined }),
      [EVENT]: withProperties(
        { total: { $ref: "../../defs/money.json", description: "Total." } },
        { total: { amount: 1, currency: "USD" } },
      ),
    };
    expect(await problems(files)).toEqual([
      `- defs/money.json#/description: is missing [schema-description]
  fix: describe when this is sent (events) or what it represents (definitions)`,
    ]);
  });

  // BUG: types.ts imports `WebhookEnvelope` from the runtime, but RESERVED_TYPE_NAMES does not list
  // it; a catalog title "WebhookEnvelope" passes the checks and the generated types.ts fails with
  // TS2440 "Import declaration conflicts with local declaration of 'WebhookEnvelope'".
  it("a title equal to a name the generated modules import (WebhookEnvelope) is reserved", async () => {
    const files = { "defs/webhook-envelope.json": defSchema("defs/webhook-envelope.json"), [EVENT]: eventSchema(EVENT) };
    expect(await problems(files)).toEqual([
      `- defs/webhook-envelope.json#/title: type name "WebhookEnvelope" is reserved for the generated modules
  fix: choose another title`,
    ]);
  });
});

function byFileThenPointer(a: CatalogIssue, b: CatalogIssue): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0;
}
