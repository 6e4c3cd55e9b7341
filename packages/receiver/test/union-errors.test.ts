/**
 * The generated receiver on the real catalog, over real HTTP: a signed delivery whose discriminated
 * union is wrong is answered 422 with the errors of the branch its discriminator selects only.
 */

import { generateSecret, WebhookSigner } from "@hookline/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReceiver, toNodeListener } from "../src/index.js";
import { schemas } from "../src/schemas.js";
import { listen, type Running } from "./serve.js";

const secret = generateSecret();
const signer = new WebhookSigner(secret);
const paid = schemas["order.paid"].examples[0] as Record<string, unknown>;
let server: Running;

beforeAll(async () => {
  const receiver = createReceiver({ secret });
  receiver.on("order.paid", () => {});
  server = await listen(toNodeListener(receiver));
});
afterAll(() => server.close());

let sequence = 0;
async function deliver(paymentMethod: unknown): Promise<{ status: number; details: Array<{ path: string; message: string }> }> {
  const body = JSON.stringify({ type: "order.paid", version: 1, timestamp: new Date().toISOString(), data: { ...paid, paymentMethod } });
  const headers = signer.headers({ id: `msg_union_${sequence++}`, timestamp: Math.floor(Date.now() / 1000), body });
  const response = await fetch(`${server.url}/webhooks`, { method: "POST", headers, body });
  const answer = (await response.json()) as { error?: { code: string; details: Array<{ path: string; message: string }> } };
  expect(answer.error?.code).toBe("invalid_payload");
  return { status: response.status, details: answer.error?.details ?? [] };
}

describe("receiver 422 for order.paid's paymentMethod union", () => {
  it("a card with a two-digit last4: one detail, from the card branch", async () => {
    const answer = await deliver({ kind: "card", brand: "visa", last4: "42", expMonth: 8, expYear: 2028 });
    expect(answer).toEqual({
      status: 422,
      details: [{ path: "/data/paymentMethod/last4", message: 'must match pattern "^[0-9]{4}$"' }],
    });
  });

  it("a bank transfer with a bad scheme names the allowed schemes, not the card's fields", async () => {
    const answer = await deliver({ kind: "bank_transfer", scheme: "swift", bankName: null, last4: "AB12" });
    expect(answer.details).toEqual([
      { path: "/data/paymentMethod/scheme", message: 'must be one of "ach" | "sepa" | "faster_payments" | "wire" | "other"' },
    ]);
  });

  it("an unknown kind: one detail at the discriminator", async () => {
    const answer = await deliver({ kind: "crypto", last4: "1234" });
    expect(answer.details).toEqual([{ path: "/data/paymentMethod/kind", message: 'must be one of "card" | "bank_transfer" | "wallet"' }]);
  });
});
