// The same receiver from CommonJS.
const { createServer } = require("node:http");
const { createReceiver, toNodeListener } = require("@acme/webhooks/receiver");

const receiver = createReceiver({
  secret: process.argv[2] ?? "",
  handlers: {
    "order.created": (event) =>
      console.log(JSON.stringify({ received: event.type, orderId: event.data.orderId, cents: event.data.amountCents })),
  },
});
const server = createServer(toNodeListener(receiver));
server.listen(0, "127.0.0.1", () => console.log(JSON.stringify({ port: server.address().port })));
