// After upgrading to the catalog's next version: the added event type is sendable and handleable.
import type { EventType, OrderShipped } from "@acme/webhooks";
import { createReceiver } from "@acme/webhooks/receiver";
import { createSender } from "@acme/webhooks/sender";

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const payload: OrderShipped = { orderId: "ord_7", carrier: "DHL" };
const signed = createSender({ secret }).build("order.shipped", payload);
const types: EventType[] = ["order.created", "order.cancelled", "order.shipped"];
const receiver = createReceiver({
  secret,
  exhaustive: true,
  handlers: { "order.created": () => {}, "order.cancelled": () => {}, "order.shipped": (e) => e.data.carrier },
});
const event = receiver.verify(signed.body, signed.headers);
console.log(JSON.stringify({ verified: event.type, types: types.length }));
