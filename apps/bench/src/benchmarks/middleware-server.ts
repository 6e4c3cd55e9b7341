/**
 * Worker thread of the receiver-middleware benchmark: two node:http servers on loopback, one the
 * Hookline adapter (`toNodeListener(receiver)`, verify + parse + validate + dispatch), one bare
 * (read the body, answer the same 200 JSON). Running them off the main thread keeps the load
 * generator's CPU out of the servers' event loop.
 */

import http from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { parentPort } from "node:worker_threads";
import { createReceiver, toNodeListener } from "@hookline/receiver";
import { BENCH_SECRET } from "../fixtures/deliveries.js";

export type ServerCommand = { readonly type: "elu" } | { readonly type: "stats" } | { readonly type: "close" };
export type ServerMessage =
  | { readonly type: "ready"; readonly oursPort: number; readonly barePort: number }
  | { readonly type: "elu"; readonly idle: number; readonly active: number }
  | { readonly type: "stats"; readonly handled: number; readonly bare: number }
  | { readonly type: "closed" };

const port = parentPort;
if (port === null) throw new Error("middleware-server.js runs as a worker thread.");

let handled = 0;
let bare = 0;
const receiver = createReceiver({
  secret: BENCH_SECRET,
  // Every benchmark request reuses one of a few ids; the duplicate guard would skip the handler.
  dedupe: false,
  handlers: {
    "order.created": (event) => {
      handled += event.data.lineItems.length > 0 ? 1 : 0;
    },
  },
});
const RESPONSE = JSON.stringify({ ok: true });
const ours = http.createServer(toNodeListener(receiver));
const bareServer = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    bare += Buffer.concat(chunks).byteLength > 0 ? 1 : 0;
    response.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": String(Buffer.byteLength(RESPONSE)) });
    response.end(RESPONSE);
  });
});

const listen = (server: http.Server) =>
  new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));

const [oursPort, barePort] = await Promise.all([listen(ours), listen(bareServer)]);
const post = (message: ServerMessage) => port.postMessage(message);
port.on("message", (command: ServerCommand) => {
  if (command.type === "elu") {
    const elu = performance.eventLoopUtilization();
    post({ type: "elu", idle: elu.idle, active: elu.active });
  } else if (command.type === "stats") {
    post({ type: "stats", handled, bare });
  } else {
    ours.closeAllConnections();
    bareServer.closeAllConnections();
    Promise.all([new Promise((r) => ours.close(r)), new Promise((r) => bareServer.close(r))]).then(
      () => {
        post({ type: "closed" });
        port.close();
      },
      () => port.close(),
    );
  }
});
post({ type: "ready", oursPort, barePort });
