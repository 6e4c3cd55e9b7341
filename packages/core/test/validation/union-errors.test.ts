/**
 * Discriminated unions reported by the chosen branch: real ajv validators (compiled here, `allErrors`)
 * with the `discriminators` map the generator would emit for their schemas.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CompiledValidator, DiscriminatedUnion } from "../../src/catalog.js";
import { issuesFromErrors, issuesOf } from "../../src/validation.js";

const ID = "https://example.test/shop.json";

const card = {
  type: "object",
  additionalProperties: false,
  required: ["kind", "last4"],
  properties: { kind: { const: "card" }, last4: { type: "string", pattern: "^[0-9]{4}$" } },
};
const person = {
  type: "object",
  required: ["type", "name"],
  properties: { type: { const: "person" }, name: { type: "string", minLength: 1 } },
};
const company = {
  type: "object",
  required: ["type", "vat"],
  properties: { type: { const: "company" }, vat: { type: "string", pattern: "^[A-Z]{2}" } },
};
const bank = {
  type: "object",
  additionalProperties: false,
  required: ["kind", "iban", "owner"],
  properties: {
    kind: { const: "bank_transfer" },
    iban: { type: "string", minLength: 5 },
    owner: { oneOf: [person, company] },
  },
};
const credit = {
  type: "object",
  additionalProperties: false,
  required: ["kind", "balance"],
  properties: { kind: { const: "store_credit" }, balance: { type: "integer", minimum: 0 } },
};

const schema = {
  $id: ID,
  type: "object",
  properties: {
    method: { oneOf: [card, bank, credit] },
    history: { type: "array", items: { anyOf: [card, credit] } },
    plain: { oneOf: [{ type: "string" }, { type: "integer" }] },
    size: { enum: ["s", "m", "l"] },
  },
};

const branchPaths = (at: string, count: number) => Array.from({ length: count }, (_, i) => [`${at}/${i}`]);
const union = (at: string, property: string, values: string[]): DiscriminatedUnion => ({
  at: `${ID}#${at}`,
  property,
  branches: branchPaths(`${ID}#${at}`, values.length).map((paths, i) => ({ value: values[i], paths })),
});
const unions: DiscriminatedUnion[] = [
  union("/properties/method/oneOf", "kind", ["card", "bank_transfer", "store_credit"]),
  union("/properties/method/oneOf/1/properties/owner/oneOf", "type", ["person", "company"]),
  union("/properties/history/items/anyOf", "kind", ["card", "store_credit"]),
];

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validate = ajv.compile(schema) as unknown as CompiledValidator;
validate.discriminators = { id: ID, unions };

function issues(data: unknown) {
  expect(validate(data)).toBe(false);
  return issuesOf(validate, data).map(({ path, message }) => `${path} ${message}`);
}

describe("issuesOf on discriminated unions", () => {
  it("reports only the branch the discriminator selects", () => {
    expect(issues({ method: { kind: "card", last4: "12ab" } })).toEqual(['/method/last4 must match pattern "^[0-9]{4}$"']);
    expect(issues({ method: { kind: "store_credit", balance: -1 } })).toEqual(["/method/balance must be >= 0"]);
  });

  it("names the allowed values once when the discriminator matches no branch", () => {
    expect(issues({ method: { kind: "cash", last4: "x" } })).toEqual([
      '/method/kind must be one of "card" | "bank_transfer" | "store_credit"',
    ]);
    expect(issues({ method: { kind: 7 } })).toEqual(['/method/kind must be one of "card" | "bank_transfer" | "store_credit"']);
  });

  it("says the discriminator is required, with the allowed values, when it is missing", () => {
    expect(issues({ method: { last4: "1234" } })).toEqual([
      '/method/kind is required: must be one of "card" | "bank_transfer" | "store_credit"',
    ]);
  });

  it("reduces a union nested in the selected branch by its own discriminator", () => {
    const owner = { type: "company", vat: "12" };
    expect(issues({ method: { kind: "bank_transfer", iban: "DE", owner } })).toEqual([
      "/method/iban must NOT have fewer than 5 characters",
      '/method/owner/vat must match pattern "^[A-Z]{2}"',
    ]);
    expect(issues({ method: { kind: "bank_transfer", iban: "DE123", owner: { type: "robot" } } })).toEqual([
      '/method/owner/type must be one of "person" | "company"',
    ]);
  });

  it("drops a nested union's errors with the branch that holds it", () => {
    expect(issues({ method: { kind: "card", last4: "1", owner: { type: "x" } } })).toEqual([
      '/method/last4 must match pattern "^[0-9]{4}$"',
      "/method/owner is not allowed (additional property)",
    ]);
  });

  it("reduces anyOf, and each array item by its own discriminator", () => {
    const history = [{ kind: "card", last4: "1234" }, { kind: "store_credit", balance: 1.5 }, { kind: "card" }, { kind: "gift" }];
    expect(issues({ history })).toEqual([
      "/history/1/balance must be integer",
      "/history/2/last4 is required",
      '/history/3/kind must be one of "card" | "store_credit"',
    ]);
  });

  it("leaves a union without a discriminator, and a non-object value, as ajv reports them", () => {
    expect(issues({ plain: 1.5 })).toEqual([
      "/plain must match exactly one schema in oneOf",
      "/plain must be integer",
      "/plain must be string",
    ]);
    expect(issues({ method: "card" })).toEqual(["/method must match exactly one schema in oneOf", "/method must be object"]);
  });

  it("lists the allowed values of an enum", () => {
    expect(issues({ size: "xl" })).toEqual(['/size must be one of "s" | "m" | "l"']);
  });

  it("without discriminators, reports every branch as before", () => {
    const bare = ajv.compile({ ...schema, $id: "https://example.test/bare.json" }) as unknown as CompiledValidator;
    const data = { method: { kind: "card", last4: "12ab" } };
    expect(bare(data)).toBe(false);
    const paths = issuesOf(bare, data).map((i) => i.path);
    expect(paths).toContain("/method/iban");
    expect(paths).toContain("/method/last4");
  });

  it("drops errors of a definition only another branch reaches (absolute schema paths, as generated code reports them)", () => {
    const pay = "https://t.test/pay.json";
    const discriminators = {
      id: "https://t.test/event.json",
      unions: [
        {
          at: `${pay}#/oneOf`,
          property: "kind",
          branches: [
            { value: "card", paths: [`${pay}#/oneOf/0`, `${pay}#/$defs/Card`, "https://t.test/address.json#"] },
            { value: "bank", paths: [`${pay}#/oneOf/1`, `${pay}#/$defs/Bank`] },
          ],
        },
      ],
    };
    const error = (instancePath: string, schemaPath: string, keyword: string, params: Record<string, unknown> = {}) => ({
      instancePath,
      schemaPath,
      keyword,
      params,
      message: `fails ${keyword}`,
    });
    const errors = [
      error("/m/billing/country", "https://t.test/address.json#/properties/country/type", "type"),
      error("/m/kind", `${pay}#/$defs/Card/properties/kind/const`, "const", { allowedValue: "card" }),
      error("/m", `${pay}#/$defs/Bank/additionalProperties`, "additionalProperties", { additionalProperty: "billing" }),
      error("/m", `${pay}#/oneOf`, "oneOf", { passingSchemas: null }),
    ];
    const data = { m: { kind: "bank", billing: { country: 1 } } };
    expect(issuesFromErrors(errors, { data, discriminators }).map((i) => `${i.path} ${i.message}`)).toEqual([
      "/m/billing is not allowed (additional property)",
    ]);
    const card = { m: { kind: "card", billing: { country: 1 } } };
    const cardErrors = [errors[0], error("/m/kind", `${pay}#/$defs/Bank/properties/kind/const`, "const"), errors[3]].filter(
      (e) => e !== undefined,
    );
    expect(issuesFromErrors(cardErrors, { data: card, discriminators }).map((i) => `${i.path} ${i.message}`)).toEqual([
      "/m/billing/country fails type",
    ]);
  });

  it("property: with one field broken in a valid branch value, every issue is inside that value", () => {
    const valid = fc.oneof(
      fc.record({ kind: fc.constant("card"), last4: fc.stringMatching(/^[0-9]{4}$/) }),
      fc.record({ kind: fc.constant("store_credit"), balance: fc.nat() }),
      fc.record({
        kind: fc.constant("bank_transfer"),
        iban: fc.string({ minLength: 5 }),
        owner: fc.oneof(
          fc.record({ type: fc.constant("person"), name: fc.string({ minLength: 1 }) }),
          fc.record({ type: fc.constant("company"), vat: fc.stringMatching(/^[A-Z]{2}/) }),
        ),
      }),
    );
    const broken = fc.tuple(valid, fc.nat(), fc.constantFrom<unknown>(null, -5, "", 1.5, { x: 1 }, [], "zz")).map(([value, pick, bad]) => {
      const keys = Object.keys(value);
      const key = keys[pick % keys.length] ?? "kind";
      return { value: { ...value, [key]: bad } as Record<string, unknown>, key };
    });
    fc.assert(
      fc.property(broken, ({ value, key }) => {
        const data = { method: value };
        fc.pre(!validate(data));
        const found = issuesOf(validate, data);
        expect(found.length).toBeGreaterThan(0);
        for (const issue of found) {
          const inBranch = issue.path === "/method" || issue.path.startsWith("/method/");
          expect(inBranch, JSON.stringify({ value, issue })).toBe(true);
          // Another branch's required properties are never reported.
          const other = ["/method/iban", "/method/last4", "/method/balance"].filter((p) => !(p.slice(8) in value));
          expect(other.includes(issue.path) && issue.message === "is required", JSON.stringify({ value, issue })).toBe(false);
        }
        if (key === "kind") expect(found.map((i) => i.path)).toEqual(["/method/kind"]);
      }),
      { numRuns: 300 },
    );
  });
});
