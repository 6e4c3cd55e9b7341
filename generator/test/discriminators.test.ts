/** The union map the generator emits next to the validators (src/emit/discriminators.ts). */
import { describe, expect, it } from "vitest";
import { discriminatedUnions } from "../src/emit/discriminators.js";
import type { SchemaObject } from "../src/schema/document.js";

const doc = (id: string, schema: Record<string, unknown>) => [id, { $id: id, ...schema } as SchemaObject] as const;

const documents = new Map([
  doc("https://t.test/pay.json", {
    oneOf: [{ $ref: "#/$defs/Card" }, { $ref: "#/$defs/Bank" }],
    $defs: {
      Card: {
        type: "object",
        required: ["kind"],
        properties: { kind: { const: "card" }, billing: { $ref: "address.json" }, shared: { $ref: "money.json" } },
      },
      Bank: { type: "object", required: ["kind"], properties: { kind: { const: "bank" }, shared: { $ref: "money.json" } } },
    },
  }),
  doc("https://t.test/address.json", { type: "object", properties: { country: { $ref: "country.json" } } }),
  doc("https://t.test/country.json", { type: "string" }),
  doc("https://t.test/money.json", { type: "object" }),
  doc("https://t.test/event.json", {
    type: "object",
    required: ["nullable", "tree", "items"],
    properties: {
      nullable: { anyOf: [{ $ref: "money.json" }, { type: "null" }] },
      noConst: { oneOf: [{ properties: { kind: { type: "string" } }, required: ["kind"] }, { properties: { kind: { const: "x" } } }] },
      optional: { oneOf: [{ properties: { t: { const: 1 } } }, { properties: { t: { const: 2 } }, required: ["t"] }] },
      items: {
        type: "array",
        items: {
          anyOf: [
            { required: ["k"], properties: { k: { enum: ["one"] } } },
            { required: ["k"], properties: { k: { const: 2 } } },
          ],
        },
      },
      tree: { $ref: "tree.json" },
    },
  }),
  doc("https://t.test/tree.json", {
    oneOf: [
      { type: "object", required: ["kind"], properties: { kind: { const: "leaf" } } },
      { type: "object", required: ["kind"], properties: { kind: { const: "node" }, children: { type: "array", items: { $ref: "#" } } } },
    ],
  }),
]);

describe("discriminatedUnions", () => {
  const unions = discriminatedUnions(documents);

  it("finds const-discriminated unions through $refs, in arrays and recursive documents, sorted by place", () => {
    expect(unions.map((u) => [u.at, u.property, u.branches.map((b) => b.value)])).toEqual([
      ["https://t.test/event.json#/properties/items/items/anyOf", "k", ["one", 2]],
      ["https://t.test/pay.json#/oneOf", "kind", ["card", "bank"]],
      ["https://t.test/tree.json#/oneOf", "kind", ["leaf", "node"]],
    ]);
  });

  it("gives each branch its place, its target, and the definitions only it reaches", () => {
    const pay = unions.find((u) => u.at.startsWith("https://t.test/pay.json"));
    expect(pay?.branches.map((b) => b.paths)).toEqual([
      [
        "https://t.test/pay.json#/oneOf/0",
        "https://t.test/pay.json#/$defs/Card",
        "https://t.test/address.json#",
        "https://t.test/country.json#",
      ],
      ["https://t.test/pay.json#/oneOf/1", "https://t.test/pay.json#/$defs/Bank"],
    ]);
  });

  it("leaves out a target that holds the union itself (recursion)", () => {
    const tree = unions.find((u) => u.at.startsWith("https://t.test/tree.json"));
    expect(tree?.branches.map((b) => b.paths)).toEqual([["https://t.test/tree.json#/oneOf/0"], ["https://t.test/tree.json#/oneOf/1"]]);
  });
});
