/**
 * A local webhook receiver for trying the reference server: listens on 127.0.0.1, verifies every
 * delivery with the generated receiver SDK and prints it. It makes (or takes) the endpoint secret
 * and prints the curl command that subscribes it to the server.
 *
 *   npm run receiver                        # port 4000, fresh secret
 *   PORT=4001 RECEIVER_SECRET=whsec_... npm run receiver
 */

import { createServer } from "node:http";
import { createReceiver, toNodeListener, type WebhookEvent } from "@hookline/receiver";
import { generateSecret } from "@hookline/sender";

const port = Number(process.env["PORT"] ?? 4000);
const secret = process.env["RECEIVER_SECRET"] ?? generateSecret();
const server = process.env["HOOKLINE_URL"] ?? "http://127.0.0.1:8787";

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
  console.log(`Subscribe it to the server (API key from the server's banner):\n`);
  console.log(
    `  curl -s ${server}/v1/endpoints -H "authorization: Bearer $HOOKLINE_API_KEY" -H "content-type: application/json" \\\n` +
      `    -d '${JSON.stringify({ url, secret })}'\n`,
  );
});
process.on("SIGINT", () => http.close(() => process.exit(0)));
