import { describe, expectTypeOf, it } from "vitest";
import { createSenderFor, type DeliveryResult, type Sender, type SignedWebhook } from "../../src/sender/index.js";
import { catalog, orderExample, SECRET, type TestEventMap } from "../fixtures/catalog.js";

const sender = createSenderFor(catalog, { secret: SECRET });

describe("sender types", () => {
  it("infers the event map from the catalog's declared type", () => {
    expectTypeOf(sender).toEqualTypeOf<Sender<TestEventMap>>();
  });

  it("build returns a message typed by its event type; send a DeliveryResult", () => {
    expectTypeOf(sender.build("order.created", orderExample)).toEqualTypeOf<SignedWebhook<"order.created">>();
    expectTypeOf(sender.send("https://example.com", "user.logged_in", { userId: "u" })).toEqualTypeOf<Promise<DeliveryResult>>();
  });

  it("the payload parameter is the payload of the named type", () => {
    expectTypeOf(sender.build<"invoice.paid">)
      .parameter(1)
      .toEqualTypeOf<{ invoiceId: string; amountCents: number }>();
  });

  it("rejects wrong event names and payload shapes at compile time", () => {
    // @ts-expect-error "order.craeted" is not an event type of the catalog
    sender.build("order.craeted", orderExample);
    // @ts-expect-error a user.logged_in payload is not an order.created payload
    sender.build("order.created", { userId: "u" });
    // @ts-expect-error quantity must be a number
    sender.build("order.created", { ...orderExample, items: [{ sku: "a", quantity: "2" }] });
    // @ts-expect-error currency is a closed enum
    sender.build("order.created", { ...orderExample, currency: "GBP" });
    // @ts-expect-error unknown property on a payload
    sender.send("https://example.com", "user.logged_in", { userId: "u", extra: true });
    // @ts-expect-error the event time is a Date, not a string
    sender.build("user.logged_in", { userId: "u" }, { timestamp: "2024-01-01" });
  });

  it("optional payload properties accept absence but not undefined (exactOptionalPropertyTypes)", () => {
    sender.build("user.logged_in", { userId: "u" });
    // @ts-expect-error ip is optional, not undefined-able: JSON would drop it anyway
    sender.build("user.logged_in", { userId: "u", ip: undefined });
  });
});
