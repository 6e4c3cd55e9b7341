/** The generated receiver's compile-time contract: narrowing, handler typing, exhaustive handler maps. */

import { describe, expectTypeOf, it } from "vitest";
import {
  createReceiver,
  type EventType,
  type OrderCreated,
  type OrderShipped,
  type OrderShippedV1,
  type OrderShippedV2,
  type PaymentMethod,
  type ReceiverWarning,
  type UserLoggedIn,
  type WebhookEvent,
} from "../src/index.js";

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

describe("generated receiver types", () => {
  it("verify() returns the envelope union; narrowing on type narrows data", () => {
    const receiver = createReceiver({ secret });
    const event = receiver.verify("{}", {});
    expectTypeOf(event).toEqualTypeOf<WebhookEvent>();
    if (event.type === "order.created") expectTypeOf(event.data).toEqualTypeOf<OrderCreated>();
    if (event.type === "user.logged_in") expectTypeOf(event.data).toEqualTypeOf<UserLoggedIn>();
    // The SDK carries every version (order.shipped v1 and v2): narrow on version too.
    if (event.type === "order.shipped") {
      expectTypeOf(event.version).toEqualTypeOf<1 | 2>();
      expectTypeOf(event.data).toEqualTypeOf<OrderShippedV1 | OrderShippedV2>();
      if (event.version === 2) expectTypeOf(event.data).toEqualTypeOf<OrderShipped>();
      else expectTypeOf(event.data).toEqualTypeOf<OrderShippedV1>();
    }
  });

  it("handlers get every carried version and narrow on event.version", () => {
    createReceiver({ secret }).on("order.shipped", (event) => {
      if (event.version === 1) expectTypeOf(event.data).toEqualTypeOf<OrderShippedV1>();
      else expectTypeOf(event.data.parcels).toEqualTypeOf<OrderShippedV2["parcels"]>();
      // @ts-expect-error v1 has no parcels: narrow on event.version first
      void event.data.parcels;
    });
  });

  it("a subscription narrows verify() to the subscribed types", () => {
    const receiver = createReceiver({ secret, events: ["order.created", "order.paid"] });
    expectTypeOf(receiver.verify("{}", {}).type).toEqualTypeOf<"order.created" | "order.paid">();
  });

  it("on() types each handler by its event type", () => {
    createReceiver({ secret }).on("order.paid", (event, context) => {
      expectTypeOf(event.type).toEqualTypeOf<"order.paid">();
      expectTypeOf(event.data.paymentMethod).toEqualTypeOf<PaymentMethod>();
      expectTypeOf(context.id).toBeString();
    });
    // @ts-expect-error "order.payed" is not an event type
    createReceiver({ secret }).on("order.payed", () => undefined);
  });

  it("discriminated oneOf payloads narrow on their const property", () => {
    const method = {} as PaymentMethod;
    if (method.kind === "card") expectTypeOf(method).toHaveProperty("last4");
  });

  it("exhaustive: true makes a missing handler a compile error", () => {
    createReceiver({
      secret,
      events: ["order.created", "order.paid"],
      exhaustive: true,
      handlers: { "order.created": () => undefined, "order.paid": () => undefined },
    });
    createReceiver({
      secret,
      events: ["order.created", "order.paid"],
      exhaustive: true,
      // @ts-expect-error the handler for "order.paid" is missing
      handlers: { "order.created": () => undefined },
    });
    // Without exhaustive, handlers are optional.
    createReceiver({ secret, events: ["order.created", "order.paid"], handlers: { "order.created": () => undefined } });
  });

  it("handlers in the map receive their own payload type", () => {
    createReceiver({
      secret,
      handlers: {
        "appointment.scheduled": (event) => {
          expectTypeOf(event.data).not.toBeAny();
          expectTypeOf(event.type).toEqualTypeOf<"appointment.scheduled">();
        },
      },
    });
    expectTypeOf<EventType>().toExtend<string>();
  });

  it("the duplicate guard's bound and warning hook are receiver options", () => {
    createReceiver({ secret, dedupeMaxIds: 100_000, onWarning: (warning) => expectTypeOf(warning).toEqualTypeOf<ReceiverWarning>() });
  });
});
