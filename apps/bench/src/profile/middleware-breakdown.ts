/**
 * Where the receiver middleware's time goes: several node:http servers in one child process, each
 * doing a little more of the receiver's work, loaded in turn by the same undici client. Reports
 * req/s and the child's CPU time per request (user + system, from process.cpuUsage), so the cost of
 * each step is the difference between two rows.
 *
 *   node dist/profile/middleware-breakdown.js [seconds-per-slice=1] [rounds=4]
 */

import { fork } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { Pool } from "undici";
import { WebhookVerifier, type HttpReceiver } from "@hookline/core";
import { catalog, createReceiver, toNodeListener } from "@hookline/receiver";
import { runLoad } from "../harness/http-load.js";
import { median } from "../harness/stats.js";
import { BENCH_SECRET, cycle, envelopeBody, orderMessages } from "../fixtures/deliveries.js";
import { deliveryHeaders } from "../fixtures/signing.js";

type Listener = (request: http.IncomingMessage, response: http.ServerResponse) => void;

const RESPONSE = JSON.stringify({ ok: true });
const STEPS = [
  "bare",
  "adapter, no-op receiver",
  "verify only",
  "JSON.parse only",
  "parse + validate",
  "verify + parse + validate by hand",
  "receiver.verify",
  "toNodeListener(receiver)",
] as const;

function servers(): Record<(typeof STEPS)[number], Listener> {
  const verifier = new WebhookVerifier(BENCH_SECRET);
  const validate = catalog.validators["order.created"];
  const receiver = createReceiver({ secret: BENCH_SECRET, dedupe: false, handlers: { "order.created": () => undefined } });
  const noop: HttpReceiver = {
    maxBodyBytes: 1 << 20,
    handle: async () => ({ status: 200, headers: { "content-type": "application/json; charset=utf-8" }, body: RESPONSE }),
  };
  const work =
    (fn: (body: Buffer, headers: http.IncomingHttpHeaders) => void): Listener =>
    (request, response) => {
      const chunks: Buffer[] = [];
      request
        .on("data", (chunk: Buffer) => chunks.push(chunk))
        .on("end", () => {
          fn(Buffer.concat(chunks), request.headers);
          response
            .writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": String(RESPONSE.length) })
            .end(RESPONSE);
        });
    };
  const parseValidate = (body: Buffer) => {
    if (!validate(JSON.parse(body.toString()).data)) throw new Error("invalid fixture");
  };
  return {
    bare: work(() => undefined),
    "adapter, no-op receiver": toNodeListener(noop),
    "verify only": work((body, headers) => verifier.verify(body, headers)),
    "JSON.parse only": work((body) => JSON.parse(body.toString())),
    "parse + validate": work(parseValidate),
    "verify + parse + validate by hand": work((body, headers) => {
      verifier.verify(body, headers);
      parseValidate(body);
    }),
    "receiver.verify": work((body, headers) => receiver.verify(body, headers)),
    "toNodeListener(receiver)": toNodeListener(receiver),
  };
}

if (process.argv[2] === "serve") {
  const ports: Record<string, number> = {};
  for (const [name, listener] of Object.entries(servers())) {
    const server = http.createServer(listener);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    ports[name] = (server.address() as AddressInfo).port;
  }
  process.send?.({ ports });
  process.on("message", () => process.send?.({ cpu: process.cpuUsage() }));
  process.on("disconnect", () => process.exit(0));
} else {
  const seconds = Number(process.argv[2] ?? 1);
  const rounds = Number(process.argv[3] ?? 4);
  const child = fork(fileURLToPath(import.meta.url), ["serve"]);
  const { ports } = await new Promise<{ ports: Record<string, number> }>((resolve) =>
    child.once("message", (m) => resolve(m as { ports: Record<string, number> })),
  );
  const cpu = () =>
    new Promise<NodeJS.CpuUsage>((resolve) => {
      child.once("message", (m) => resolve((m as { cpu: NodeJS.CpuUsage }).cpu));
      child.send("cpu");
    });
  const timestamp = Math.floor(Date.now() / 1000);
  const request = cycle(
    orderMessages().map((message) => {
      const body = Buffer.from(envelopeBody(message));
      const { host: _h, connection: _c, "content-length": _l, ...headers } = deliveryHeaders(message.id, timestamp, body);
      return { method: "POST" as const, path: "/", headers: headers as Record<string, string>, body };
    }),
  );
  const rows = new Map<string, { rate: number[]; cpu: number[] }>();
  for (let round = 0; round <= rounds; round++) {
    for (const name of STEPS) {
      const pool = new Pool(`http://127.0.0.1:${ports[name]}`, { connections: 32 });
      const before = await cpu();
      const result = await runLoad({ pool, concurrency: 32, durationMs: seconds * 1000, request });
      const after = await cpu();
      await pool.close();
      // Round 0 warms up every server and is not reported.
      if (round === 0) continue;
      const row = rows.get(name) ?? { rate: [], cpu: [] };
      row.rate.push((result.ops / result.elapsedMs) * 1000);
      row.cpu.push((after.user - before.user + after.system - before.system) / result.ops);
      rows.set(name, row);
    }
  }
  console.log(`${"server".padEnd(36)} ${"req/s".padStart(8)} ${"CPU µs/req".padStart(11)}   (medians of ${rounds} rounds of ${seconds} s)`);
  for (const [name, row] of rows)
    console.log(`${name.padEnd(36)} ${Math.round(median(row.rate)).toString().padStart(8)} ${median(row.cpu).toFixed(1).padStart(11)}`);
  child.disconnect();
}
