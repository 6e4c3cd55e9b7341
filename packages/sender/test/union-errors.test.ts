/**
 * The generated sender on the real catalog: a payload whose discriminated union is wrong is
 * refused with the errors of the branch its discriminator selects, never those of the others.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createSender, generateSecret, type PayloadValidationError } from "../src/index.js";
import { schemas } from "../src/schemas.js";

const sender = createSender({ secret: generateSecret() });
const paid = schemas["order.paid"].examples[0] as Record<string, unknown>;
const flagged = schemas["transaction.flagged"].examples[0] as Record<string, unknown>;

function refusal(type: "order.paid" | "transaction.flagged", payload: unknown): PayloadValidationError {
  try {
    sender.build(type, payload as never);
  } catch (error) {
    return error as PayloadValidationError;
  }
  throw new Error("the payload was accepted");
}

describe("union errors name only the selected branch (order.paid, transaction.flagged)", () => {
  it("send() rejects a card with a short last4 with one message", async () => {
    const payload = { ...paid, paymentMethod: { kind: "card", brand: "visa", last4: "42", expMonth: 8, expYear: 2028 } };
    await expect(sender.send("http://127.0.0.1:9/unused", "order.paid", payload as never)).rejects.toThrow(
      'Invalid payload for "order.paid": /paymentMethod/last4 must match pattern "^[0-9]{4}$"',
    );
  });

  it("a card with other fields wrong reports the card's problems only", () => {
    const error = refusal("order.paid", { ...paid, paymentMethod: { kind: "card", last4: "12ab" } });
    expect(error.issues.map((i) => `${i.path} ${i.message}`)).toEqual([
      "/paymentMethod/brand is required",
      "/paymentMethod/expMonth is required",
      "/paymentMethod/expYear is required",
      '/paymentMethod/last4 must match pattern "^[0-9]{4}$"',
    ]);
  });

  it("an unknown or missing kind gives one message naming the allowed values", () => {
    const unknown = refusal("order.paid", { ...paid, paymentMethod: { kind: "store_credit", last4: "1234" } });
    expect(unknown.issues).toEqual([
      { path: "/paymentMethod/kind", keyword: "oneOf", message: 'must be one of "card" | "bank_transfer" | "wallet"' },
    ]);
    const missing = refusal("order.paid", { ...paid, paymentMethod: { last4: "1234" } });
    expect(missing.issues).toEqual([
      { path: "/paymentMethod/kind", keyword: "required", message: 'is required: must be one of "card" | "bank_transfer" | "wallet"' },
    ]);
  });

  it("a wrong enum lists the allowed values", () => {
    const error = refusal("order.paid", { ...paid, paymentMethod: { kind: "wallet", provider: "venmo" } });
    expect(error.message).toBe(
      'Invalid payload for "order.paid": /paymentMethod/provider must be one of "apple_pay" | "google_pay" | "paypal" | "other"',
    );
  });

  it("each array item of transaction.flagged's reasons is reported by its own code", () => {
    const reasons = [
      { code: "velocity", windowMinutes: 0, transactionCount: 3 },
      { code: "new_device", deviceId: "" },
      { code: "made_up" },
    ];
    const error = refusal("transaction.flagged", { ...flagged, reasons });
    expect(error.issues.map((i) => `${i.path} ${i.message}`)).toEqual([
      "/reasons/0/windowMinutes must be >= 1",
      "/reasons/1/deviceId must NOT have fewer than 1 characters",
      '/reasons/2/code must be one of "velocity" | "unusual_location" | "unusual_amount" | "new_device"',
    ]);
  });
});

/** Valid values of each payment method branch, and the properties each branch has. */
const branches = {
  card: {
    properties: ["kind", "brand", "last4", "expMonth", "expYear"],
    valid: fc.record({
      kind: fc.constant("card"),
      brand: fc.constantFrom("visa", "mastercard", "amex"),
      last4: fc.stringMatching(/^[0-9]{4}$/),
      expMonth: fc.integer({ min: 1, max: 12 }),
      expYear: fc.integer({ min: 2000, max: 2100 }),
    }),
  },
  bank_transfer: {
    properties: ["kind", "scheme", "bankName", "last4"],
    valid: fc.record({
      kind: fc.constant("bank_transfer"),
      scheme: fc.constantFrom("ach", "sepa", "wire"),
      bankName: fc.option(fc.string({ maxLength: 20 }), { nil: null }),
      last4: fc.stringMatching(/^[A-Z0-9]{4}$/),
    }),
  },
  wallet: {
    properties: ["kind", "provider"],
    valid: fc.record({ kind: fc.constant("wallet"), provider: fc.constantFrom("apple_pay", "paypal") }),
  },
} as const;

describe("property (real catalog): one field broken in a valid branch", () => {
  it("every issue points inside the selected branch or at the discriminator", () => {
    const kinds = Object.keys(branches) as (keyof typeof branches)[];
    const broken = fc
      .tuple(fc.constantFrom(...kinds), fc.nat(), fc.constantFrom<unknown>(null, -1, "", "x1", 13.5, true, { a: 1 }, []))
      .chain(([kind, pick, bad]) =>
        branches[kind].valid.map((value) => {
          const key = branches[kind].properties[pick % branches[kind].properties.length] ?? "kind";
          return { kind, key, method: { ...value, [key]: bad } as Record<string, unknown> };
        }),
      );
    fc.assert(
      fc.property(broken, ({ kind, key, method }) => {
        let error: PayloadValidationError | undefined;
        try {
          sender.build("order.paid", { ...paid, paymentMethod: method } as never);
        } catch (caught) {
          error = caught as PayloadValidationError;
        }
        fc.pre(error !== undefined);
        const allowed = new Set(branches[kind].properties.map((p) => `/paymentMethod/${p}`));
        for (const issue of error?.issues ?? []) {
          expect(allowed.has(issue.path), `${kind}.${key} → ${issue.path} ${issue.message}`).toBe(true);
        }
        // Breaking a field other than the discriminator is reported at that field.
        expect([...new Set(error?.issues.map((i) => i.path))]).toEqual([`/paymentMethod/${key}`]);
      }),
      { numRuns: 500 },
    );
  });
});
