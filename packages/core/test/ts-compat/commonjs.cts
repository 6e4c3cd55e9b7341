// A CommonJS consumer: the imports compile to require() of the ES module packages (Node >= 20.19).
// Self-contained on purpose: importing ./payload.js (an ES module without a .d.cts) would be TS1479
// on TypeScript < 5.8, a limit of this test project, not of the packages.
import { createReceiver } from "@hookline/receiver";
import { createSender } from "@hookline/sender";

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const handled: string[] = [];
const receiver = createReceiver({ secret, handlers: { "order.paid": (event) => void handled.push(event.data.orderId) } });
const message = createSender({ secret }).build("order.paid", {
  orderId: "ord_3kT9vQ2mNa",
  paymentId: "pay_5Rt8YuW1qZ",
  paidAt: "2025-03-10T14:22:41Z",
  amount: { amount: 5073, currency: "USD" },
  paymentMethod: { kind: "card", brand: "visa", last4: "4242", expMonth: 8, expYear: 2028 },
  receiptUrl: null,
});
export const wrong = () => createSender({ secret }).build("order.paid", { orderId: "x" }); // error: 'OrderPaidV1'

void receiver.handle(message.body, message.headers).then((response) => console.log(response.status, handled.join(",")));
