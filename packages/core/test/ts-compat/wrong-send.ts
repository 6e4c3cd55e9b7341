import { createClient, createSender } from "@hookline/sender";
import { paid, SECRET, shippedV1 } from "./payload.js";

const sender = createSender({ secret: SECRET });
sender.build("order.paid", { orderId: "x" }); // error: 'OrderPaidV1'
sender.build("order.paid", { ...paid, amount: "50.73" }); // error: 'Money'
sender.build("order.payed", paid); // error: "order.payed"
void sender.send("https://example.com/hooks", "order.paid", { orderId: "x" }); // error: 'OrderPaidV1'
void createClient({ baseUrl: "http://127.0.0.1:3000", apiKey: "key" }).send("order.paid", { orderId: "x" }); // error: 'OrderPaidV1'
sender.build("order.shipped", shippedV1); // error: 'OrderShippedV2'
sender.build("order.paid", paid, { version: 2 }); // error: '2'
