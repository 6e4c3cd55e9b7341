/** The generated sender's compile-time contract: event names and payload shapes are checked by tsc. */

import { type ConvertibleCatalog, convertPayload } from "@hookline/core";
import { describe, expectTypeOf, it } from "vitest";
import {
  catalog,
  createClient,
  createSender,
  type EventMap,
  type EventType,
  type EventVersions,
  type OrderCreated,
  type OrderShipped,
  type OrderShippedV1,
  type OrderShippedV2,
  type SignedWebhook,
} from "../src/index.js";
import { down } from "../src/generated/converters/order.shipped.v2.convert.js";

declare const order: OrderCreated;
declare const shippedV1: OrderShippedV1;
declare const shippedV2: OrderShippedV2;
const sender = createSender({ secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" });

describe("generated sender types", () => {
  it("knows every catalog event type", () => {
    expectTypeOf<EventType>().toEqualTypeOf<keyof EventMap>();
    expectTypeOf<"order.created">().toExtend<EventType>();
    expectTypeOf<"order.created.v2">().not.toExtend<EventType>();
  });

  it("types build() by the event map", () => {
    expectTypeOf(sender.build("order.created", order)).toEqualTypeOf<SignedWebhook<"order.created">>();
    expectTypeOf(sender.build("user.logged_in", {} as EventMap["user.logged_in"]).type).toEqualTypeOf<"user.logged_in">();
  });

  it("rejects unknown event names and wrong payloads at compile time", () => {
    // @ts-expect-error "order.creatd" is not in the catalog
    sender.build("order.creatd", order);
    // @ts-expect-error an order.created payload is not a user.logged_in payload
    sender.build("user.logged_in", order);
    // @ts-expect-error orderId is required
    sender.build("order.created", { ...order, orderId: undefined });
    // @ts-expect-error money amounts are integers in minor units, not strings
    sender.build("order.created", { ...order, total: { amount: "19.99", currency: "USD" } });
    // @ts-expect-error the payload schema is closed (additionalProperties: false)
    sender.build("order.created", { ...order, unexpected: true });
  });

  it("types send() the same way", () => {
    expectTypeOf(sender.send("https://example.com/hooks", "order.created", order))
      .resolves.toHaveProperty("ok")
      .toEqualTypeOf<boolean>();
    // @ts-expect-error unknown event type
    void sender.send("https://example.com/hooks", "order.unknown", order);
  });

  it("sends the newest version by default, an older one only when asked, typed by that version", () => {
    expectTypeOf<OrderShipped>().toEqualTypeOf<OrderShippedV2>();
    expectTypeOf<keyof EventVersions["order.shipped"]>().toEqualTypeOf<1 | 2>();
    sender.build("order.shipped", shippedV2);
    sender.build("order.shipped", shippedV1, { version: 1 });
    void sender.send("https://example.com/hooks", "order.shipped", shippedV1, { version: 1 });
    void createClient({ baseUrl: "http://127.0.0.1:8787", apiKey: "k" }).send("order.shipped", shippedV1, { version: 1 });
    // @ts-expect-error without a version the payload must be the newest (v2)
    sender.build("order.shipped", shippedV1);
    // @ts-expect-error a v2 payload is not a v1 payload
    void sender.send("https://example.com/hooks", "order.shipped", shippedV2, { version: 1 });
    // @ts-expect-error order.shipped has no version 3
    sender.build("order.shipped", shippedV2, { version: 3 });
    // @ts-expect-error order.created has version 1 only
    sender.build("order.created", order, { version: 2 });
  });
});

describe("generated converters", () => {
  it("the catalog carries them in the shape convertPayload reads", () => {
    expectTypeOf(catalog).toExtend<ConvertibleCatalog>();
    expectTypeOf(convertPayload).toBeCallableWith(catalog, "order.shipped", 2, 1, {} as OrderShippedV2);
  });

  it("a copied converter keeps its per-version types", () => {
    expectTypeOf(down).toEqualTypeOf<(payload: OrderShippedV2) => OrderShippedV1>();
  });
});
