import { createClient, createSender } from "@hookline/sender";
import { paid, SECRET } from "./payload.js";

const sender = createSender({ secret: SECRET });
sender.build("order.paid", { orderId: "x" }); // error: 'OrderPaid'
sender.build("order.paid", { ...paid, amount: "50.73" }); // error: 'Money'
sender.build("order.payed", paid); // error: "order.payed"
void sender.send("https://example.com/hooks", "order.paid", { orderId: "x" }); // error: 'OrderPaid'
void createClient({ baseUrl: "http://127.0.0.1:3000", apiKey: "key" }).send("order.paid", { orderId: "x" }); // error: 'OrderPaid'
