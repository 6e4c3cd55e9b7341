/**
 * Profiles one receiver-middleware server in its own process while this process loads it:
 *
 *   node dist/profile/middleware.js <ours|bare> [seconds=8] [profile-dir=prof]
 *   node dist/profile/summarize.js prof/<file>.cpuprofile
 */

import { fork } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { Pool } from "undici";
import { createReceiver, toNodeListener } from "@hookline/receiver";
import { runLoad } from "../harness/http-load.js";
import { BENCH_SECRET, cycle, envelopeBody, orderMessages } from "../fixtures/deliveries.js";
import { deliveryHeaders } from "../fixtures/signing.js";

const args = process.argv.slice(2);

if (args[0] === "serve") {
  const kind = args[1];
  const RESPONSE = JSON.stringify({ ok: true });
  const listener =
    kind === "ours"
      ? toNodeListener(createReceiver({ secret: BENCH_SECRET, dedupe: false, handlers: { "order.created": () => undefined } }))
      : (request: http.IncomingMessage, response: http.ServerResponse) => {
          const chunks: Buffer[] = [];
          request
            .on("data", (chunk: Buffer) => chunks.push(chunk))
            .on("end", () => {
              Buffer.concat(chunks);
              response
                .writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": String(RESPONSE.length) })
                .end(RESPONSE);
            });
        };
  const server = http.createServer(listener).listen(0, "127.0.0.1", () => process.send?.((server.address() as AddressInfo).port));
  process.on("disconnect", () => process.exit(0));
} else if (args[0] === "ours" || args[0] === "bare") {
  const [kind, seconds = "8", profileDir = "prof"] = args;
  const child = fork(fileURLToPath(import.meta.url), ["serve", kind], { execArgv: ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] });
  const port = await new Promise<number>((resolve) => child.once("message", (message) => resolve(Number(message))));
  const timestamp = Math.floor(Date.now() / 1000);
  const requests = orderMessages().map((message) => {
    const body = Buffer.from(envelopeBody(message));
    const { host: _h, connection: _c, "content-length": _l, ...headers } = deliveryHeaders(message.id, timestamp, body);
    return { method: "POST" as const, path: "/webhooks", headers: headers as Record<string, string>, body };
  });
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 32 });
  const result = await runLoad({ pool, concurrency: 32, durationMs: Number(seconds) * 1000, request: cycle(requests) });
  console.log(`${kind}: ${Math.round((result.ops / result.elapsedMs) * 1000)} req/s`);
  await pool.close();
  child.disconnect();
} else {
  console.error("Usage: node dist/profile/middleware.js <ours|bare> [seconds] [profile-dir]");
  process.exitCode = 2;
}
