// A CommonJS consumer in TypeScript: typed through the package's generated .d.cts files, compiled
// to require() of the ES-module package (Node >= 20.19). Every entry is imported: each has its own.
import type { EventType, OrderCreated } from "@acme/webhooks";
import { createReceiver } from "@acme/webhooks/receiver";
import { schemas } from "@acme/webhooks/schemas";
import { createSender } from "@acme/webhooks/sender";

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const payload: OrderCreated = { orderId: "ord_44", amountCents: 700, currency: "USD" };
const signed = createSender({ secret }).build("order.created", payload);
const receiver = createReceiver({ secret, handlers: { "order.created": (event) => void event.data.amountCents } });
const event = receiver.verify(signed.body, signed.headers);
const type: EventType = event.type;
console.log(JSON.stringify({ verified: type, schemas: Object.keys(schemas.versions).length }));
