import { createReceiver, toNodeListener, toWebHandler } from "@hookline/receiver";
import { SECRET } from "./payload.js";

export const receiver = createReceiver({
  secret: SECRET,
  events: ["order.paid", "order.created"],
  handlers: {
    "order.paid": (event) => {
      const orderId: string = event.data.orderId;
      return orderId;
    },
  },
});
receiver.on("order.created", (event) => event.data.orderId);
export const shipped = createReceiver({ secret: SECRET, events: ["order.shipped"] }).on("order.shipped", (event) =>
  event.version === 1 ? event.data.tracking.carrier : event.data.parcels.length,
);
export const webHandler: (request: Request) => Promise<Response> = toWebHandler(receiver);
export const nodeListener = toNodeListener(receiver);
