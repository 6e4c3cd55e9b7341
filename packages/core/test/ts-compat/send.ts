import { createClient, createSender, type SignedWebhook } from "@hookline/sender";
import { paid, SECRET, shippedV1 } from "./payload.js";

const sender = createSender({ secret: SECRET });
const message: SignedWebhook<"order.paid"> = sender.build("order.paid", paid);
const inline = sender.build("order.paid", { ...paid, receiptUrl: "https://shop.example.com/r/1" });
export const sent: Promise<boolean> = sender.send("https://example.com/hooks", "order.paid", paid).then((result) => result.ok);
export const accepted = createClient({ baseUrl: "http://127.0.0.1:3000", apiKey: "key" }).send("order.paid", paid);
export const ids: string[] = [message.id, inline.headers["webhook-signature"]];
export const older = sender.build("order.shipped", shippedV1, { version: 1 });
