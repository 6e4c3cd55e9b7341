/**
 * POST /v1/events on the real catalog (both backends): a payload whose discriminated union is wrong
 * is answered 422 invalid_payload with the errors of the branch its discriminator selects only.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { example, startServer, type TestServer } from "../support/server.js";

describe("ingest: union errors name only the selected branch", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  const reject = async (type: string, change: (payload: Record<string, unknown>) => void) => {
    const payload = example(type);
    change(payload);
    const res = await server.api("POST", "/v1/events", { type, payload });
    expect(res.status, res.text).toBe(422);
    expect(res.body.error.code).toBe("invalid_payload");
    return res.body.error as { message: string; details: { path: string; message: string }[] };
  };

  it("order.paid with a two-digit card last4: one detail", async () => {
    const error = await reject("order.paid", (p) => {
      p["paymentMethod"] = { kind: "card", brand: "visa", last4: "42", expMonth: 8, expYear: 2028 };
    });
    expect(error.details).toEqual([{ path: "/paymentMethod/last4", message: 'must match pattern "^[0-9]{4}$"' }]);
    expect(error.message).toBe(
      'The payload does not match the schema of order.paid v1: /paymentMethod/last4 must match pattern "^[0-9]{4}$".',
    );
  });

  it("order.paid with an unknown or missing kind: one detail at the discriminator", async () => {
    const unknown = await reject("order.paid", (p) => {
      p["paymentMethod"] = { kind: "cheque", last4: "12ab" };
    });
    expect(unknown.details).toEqual([{ path: "/paymentMethod/kind", message: 'must be one of "card" | "bank_transfer" | "wallet"' }]);
    const missing = await reject("order.paid", (p) => {
      p["paymentMethod"] = { provider: "paypal" };
    });
    expect(missing.details).toEqual([
      { path: "/paymentMethod/kind", message: 'is required: must be one of "card" | "bank_transfer" | "wallet"' },
    ]);
  });

  it("transaction.flagged reasons: each item by its own code, wrong enums listing their values", async () => {
    const error = await reject("transaction.flagged", (p) => {
      p["reasons"] = [{ code: "unusual_location", country: "france", usualCountries: ["FR"] }, { code: "nope" }];
    });
    expect(error.details).toEqual([
      { path: "/reasons/0/country", message: 'must match pattern "^[A-Z]{2}$"' },
      { path: "/reasons/1/code", message: 'must be one of "velocity" | "unusual_location" | "unusual_amount" | "new_device"' },
    ]);
  });
});
