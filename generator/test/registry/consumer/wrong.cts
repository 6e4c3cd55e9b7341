// The CommonJS consumer's wrong payloads: every line marked WRONG must be a compile error there too.
import type { OrderCreated } from "@acme/webhooks";
import { createReceiver } from "@acme/webhooks/receiver";
import { createSender } from "@acme/webhooks/sender";

const sender = createSender({ secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" });
sender.build("order.created", { orderId: "ord_1", amountCents: "12.50", currency: "EUR" }); // WRONG: amountCents is a number
sender.build("order.refunded", { orderId: "ord_1" }); // WRONG: no such event type
export const currency: OrderCreated = { orderId: "ord_1", amountCents: 1, currency: "GBP" }; // WRONG: not in the enum
createReceiver({ secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", handlers: { "order.cancelled": (e) => e.data.amountCents } }); // WRONG: not on OrderCancelled
