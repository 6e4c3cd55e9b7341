// A consumer's program: verifies and handles typed events over HTTP. Usage: node receive.js <secret>
import { createServer } from "node:http";
import { createReceiver, toNodeListener } from "@acme/webhooks/receiver";

const receiver = createReceiver({
  secret: process.argv[2] ?? "",
  handlers: {
    "order.created": (event) => {
      const cents: number = event.data.amountCents;
      console.log(JSON.stringify({ received: event.type, orderId: event.data.orderId, cents }));
    },
    "order.cancelled": (event) => {
      const reason: "customer" | "fraud" | "stock" = event.data.reason;
      console.log(JSON.stringify({ received: event.type, reason }));
    },
  },
});
const server = createServer(toNodeListener(receiver));
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  console.log(JSON.stringify({ port: typeof address === "object" && address !== null ? address.port : 0 }));
});
