// A producer's program: sends one typed, signed event. Usage: node send.js <url> <secret>
import type { OrderCreated } from "@acme/webhooks";
import { createSender } from "@acme/webhooks/sender";

const [url = "", secret = ""] = process.argv.slice(2);
const sender = createSender({ secret });
const payload: OrderCreated = { orderId: "ord_42", amountCents: 1250, currency: "EUR" };
const result = await sender.send(url, "order.created", payload);
console.log(JSON.stringify({ sent: result.status }));
