import { createReceiver } from "@hookline/receiver";
import { SECRET } from "./payload.js";

const receiver = createReceiver({
  secret: SECRET,
  events: ["order.paid"],
  handlers: {
    "order.paid": (event) => event.data.userId, // error: 'userId'
    "order.created": () => undefined, // error: "order.created"
  },
});
receiver.on("order.created", () => undefined); // error: "order.created"
