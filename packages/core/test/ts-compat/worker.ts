// A Workers/Deno-style module: Web-standard APIs only, compiled without @types/node.
import { createReceiver, toWebHandler } from "@hookline/receiver";
import { createSender } from "@hookline/sender";
import { paid, SECRET } from "./payload.js";

const receiver = createReceiver({ secret: SECRET, handlers: { "order.paid": (event) => event.data.paymentId } });
const handler: (request: Request) => Promise<Response> = toWebHandler(receiver);
const message = createSender({ secret: SECRET }).build("order.paid", paid);
createSender({ secret: SECRET }).build("order.paid", { orderId: "x" }); // error: 'OrderPaidV1'

export default {
  fetch: (request: Request): Promise<Response> => handler(request),
  sample: (): Request => new Request("https://example.com/", { method: "POST", body: message.body, headers: message.headers }),
};
