/**
 * A local webhook receiver for trying the reference server: listens on 127.0.0.1, verifies every
 * delivery with the generated receiver SDK and prints it. It takes the endpoint secret (the one
 * `hookline listen` prints) or makes one, and prints the `hookline listen` command that forwards
 * the server's deliveries to it.
 *
 *   RECEIVER_SECRET=whsec_... npm run receiver   # port 4000, the secret `hookline listen` printed
 *   PORT=4001 npm run receiver                   # a fresh secret, to pass as listen --secret
 */

import { createServer } from "node:http";
import { createReceiver, toNodeListener, type WebhookEvent } from "@hookline/receiver";
import { generateSecret } from "@hookline/sender";

const port = Number(process.env["PORT"] ?? 4000);
const secret = process.env["RECEIVER_SECRET"] ?? generateSecret();

const receiver = createReceiver({
  secret,
  onError: (error) => console.error("handler failed:", error),
});
for (const type of receiver.events) {
  receiver.on(type, (event, { id }) => {
    console.log(`✓ verified ${id} ${event.type} at ${event.timestamp}`);
    console.log(JSON.stringify((event as WebhookEvent).data, null, 2));
  });
}

const http = createServer(toNodeListener(receiver));
http.listen(port, "127.0.0.1", () => {
  const url = `http://127.0.0.1:${port}/webhooks`;
  console.log(`Receiver listening on ${url} (signature checked, payload validated against the catalog).`);
  console.log(`Forward the server's deliveries here (HOOKLINE_API_KEY from the server's banner):\n`);
  console.log(`  npx hookline listen --forward-to ${url} --secret ${secret}\n`);
});
process.on("SIGINT", () => http.close(() => process.exit(0)));
