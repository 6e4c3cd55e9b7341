/**
 * One run reports every problem of a catalog: per-file checks, references, strict-mode compile,
 * examples and converters, whichever files they are in, sorted by file then pointer.
 */

import { afterAll, expect, it } from "vitest";
import { CatalogError, formatIssue, loadCatalog } from "../src/index.js";
import { BASE, defSchema, eventSchema, removeTempDirs, writeCatalog } from "./support/catalog.js";

afterAll(removeTempDirs);

const CREATED = "events/orders/order.created.v1.json";
const PAID = "events/orders/order.paid.v1.json";
const REFUND = "events/orders/refund.issued.v1.json";
const SHIPPED_V1 = "events/orders/order.shipped.v1.json";
const SHIPPED_V2 = "events/orders/order.shipped.v2.json";
const MONEY = "defs/money.json";

async function problems(files: Readonly<Record<string, unknown>>): Promise<string[]> {
  const dir = await writeCatalog(files);
  const error = await loadCatalog(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof CatalogError)) throw new Error(`expected a CatalogError, got ${String(error)}`);
  return error.issues.map((issue) => formatIssue(issue).split(dir).join("<catalog>").split("\n")[0] as string);
}

it("reports a problem of every phase, in every file, in one run", async () => {
  const found = await problems({
    // per-file check: a definition without a description
    [MONEY]: defSchema(MONEY, { description: undefined }),
    // reference: a $ref to a file that does not exist
    [CREATED]: eventSchema(CREATED, {
      required: ["orderId", "total"],
      properties: {
        orderId: { description: "Order id.", type: "string" },
        total: { description: "Total.", $ref: "../../defs/nope.json" },
      },
      examples: [{ orderId: "ord_1", total: 1 }],
    }),
    // example: invalid against its own (valid) schema, in another file
    [PAID]: eventSchema(PAID, { examples: [{ orderId: 42 }] }),
    // per-file check: x-hookline missing, and its example is still checked
    [REFUND]: eventSchema(REFUND, { "x-hookline": undefined, examples: [{}] }),
    // strict mode: a typo of "type"
    [SHIPPED_V1]: eventSchema(SHIPPED_V1, {
      title: "OrderShippedV1",
      properties: { orderId: { description: "Order id.", tpye: "string" } },
    }),
    // converter: v2 without order.shipped.v2.convert.ts; per-file check: a property without description
    [SHIPPED_V2]: eventSchema(SHIPPED_V2, { properties: { orderId: { type: "string" } } }),
  });
  expect(found).toEqual([
    "- defs/money.json#/description: is missing [schema-description]",
    '- events/orders/order.created.v1.json#/properties/total/$ref: $ref "../../defs/nope.json" does not resolve (https://hookline.dev/catalog/defs/nope.json is not a catalog file)',
    "- events/orders/order.paid.v1.json#/examples/0/orderId: example 0 is invalid: must be string",
    '- events/orders/order.shipped.v1.json#/properties/orderId/tpye: unknown keyword "tpye" (strict mode)',
    "- events/orders/order.shipped.v2.convert.ts: is missing: order.shipped has versions 1 and 2, and every adjacent pair of versions needs a converter",
    "- events/orders/order.shipped.v2.json#/properties/orderId: has no description [property-description]",
    "- events/orders/refund.issued.v1.json#/examples/0: example 0 is invalid: must have required property 'orderId' (\"orderId\")",
    "- events/orders/refund.issued.v1.json#/x-hookline: is missing: every event schema declares its event type and version",
  ]);
});

it("suggests the x-hookline annotation the file name asks for, and the catalog's own base URI for $id", async () => {
  const dir = await writeCatalog({
    [CREATED]: eventSchema(CREATED, { $id: "https://example.com/wrong.json" }),
    [REFUND]: eventSchema(REFUND, { "x-hookline": undefined }),
    [MONEY]: defSchema(MONEY, { $id: `https://acme.test/schemas/${MONEY}` }),
    "defs/address.json": defSchema("defs/address.json", { $id: `https://acme.test/schemas/defs/address.json` }),
  });
  const error = await loadCatalog(dir).catch((e: unknown) => e);
  if (!(error instanceof CatalogError)) throw new Error("expected a CatalogError");
  const fixes = Object.fromEntries(error.issues.map((issue) => [`${issue.file}#${issue.pointer}`, issue.fix]));
  expect(fixes[`${CREATED}#/$id`]).toBe(
    `set "$id" to "https://acme.test/schemas/${CREATED}" so relative $refs resolve the same way as the files on disk`,
  );
  expect(fixes[`${REFUND}#/x-hookline`]).toBe('add "x-hookline": { "type": "refund.issued", "version": 1 }');
  expect(BASE).not.toContain("acme.test");
});
