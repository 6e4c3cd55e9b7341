/** Helpers for the `hookline check` tests: run the CLI in-process, and catalogs before and after an edit. */

import { main } from "../../src/index.js";
import { BASE, type CatalogFiles, defSchema, eventSchema, writeCatalog } from "./catalog.js";

export interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function hookline(...args: string[]): Promise<Run> {
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

export const CREATED = "events/orders/order.created.v1.json";
export const MONEY = "defs/money.json";

/** order.created v1 with an `orderId` and a `total` that `$ref`s the shared Money definition. */
export function createdV1(overrides: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  return eventSchema(CREATED, {
    required: ["orderId", "total"],
    properties: {
      orderId: { description: "Order id.", type: "string" },
      total: { description: "Order total.", $ref: "../../defs/money.json" },
    },
    examples: [{ orderId: "ord_1", total: { amount: 100, currency: "EUR" } }],
    ...overrides,
  });
}

/** A small catalog: order.created v1 and order.paid v1 both use Money; order.shipped v1 does not. */
export function baseCatalog(): Record<string, unknown> {
  const paid = "events/orders/order.paid.v1.json";
  return {
    [MONEY]: defSchema(MONEY),
    [CREATED]: createdV1(),
    [paid]: eventSchema(paid, {
      required: ["orderId", "amount"],
      properties: {
        orderId: { description: "Order id.", type: "string" },
        amount: { description: "Paid amount.", $ref: "../../defs/money.json" },
      },
      examples: [{ orderId: "ord_1", amount: { amount: 100, currency: "EUR" } }],
    }),
    "events/orders/order.shipped.v1.json": eventSchema("events/orders/order.shipped.v1.json"),
  };
}

/** Two catalog folders: the earlier one and the current one (a `null` value leaves a file out). */
export async function beforeAfter(before: CatalogFiles, after: CatalogFiles): Promise<{ old: string; current: string }> {
  const keep = (files: CatalogFiles) => Object.fromEntries(Object.entries(files).filter(([, v]) => v !== null));
  return { old: await writeCatalog(keep(before)), current: await writeCatalog(keep(after)) };
}

export { BASE };
