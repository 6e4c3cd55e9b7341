/**
 * Issue item 2 (receiver middleware): the node:http adapter `toNodeListener(receiver)` (read body,
 * verify, parse, validate, dispatch, answer) against a bare node:http server that reads the body
 * and answers the same 200, both in one worker thread, loaded alternately by the same undici client
 * from the main thread.
 */

import { Pool } from "undici";
import { httpSubject, type LoadRequest } from "../harness/http-load.js";
import type { Subject } from "../harness/pair.js";
import { median, summarizeRatios } from "../harness/stats.js";
import { cycle, envelopeBody, orderMessages } from "../fixtures/deliveries.js";
import { deliveryHeaders } from "../fixtures/signing.js";
import { pairResult, ratioAtLeast } from "./common.js";
import { startServerWorker } from "./server-worker.js";
import type { Benchmark } from "./types.js";

const CONCURRENCY = 32;

export const receiverMiddleware: Benchmark = {
  id: "receiver-middleware",
  group: "receiver",
  summary: "toNodeListener(receiver) vs a bare node:http server answering the same POSTs (undici, 32 in flight)",
  async run(ctx) {
    const worker = await startServerWorker();
    const timestamp = Math.floor(Date.now() / 1000);
    const requests = orderMessages().map((message): LoadRequest => {
      const body = Buffer.from(envelopeBody(message));
      const { host: _host, connection: _connection, "content-length": _length, ...headers } = deliveryHeaders(message.id, timestamp, body);
      return { method: "POST", path: "/webhooks", headers: headers as Record<string, string>, body };
    });
    const pools = {
      ours: new Pool(`http://127.0.0.1:${worker.oursPort}`, { connections: CONCURRENCY }),
      bare: new Pool(`http://127.0.0.1:${worker.barePort}`, { connections: CONCURRENCY }),
    };
    // Per slice, in slice order (warm-up included): the server thread's event-loop utilisation (near 1
    // means the server, not the client, is the limit) and its requests per busy second.
    const utilisation = { ours: [] as number[], bare: [] as number[] };
    const capacity = { ours: [] as number[], bare: [] as number[] };
    const measured = (side: "ours" | "bare", subject: ReturnType<typeof httpSubject>): Subject => ({
      label: subject.label,
      async runSlice(durationMs) {
        const before = await worker.ask({ type: "elu" }, "elu");
        const sample = await subject.runSlice(durationMs);
        const after = await worker.ask({ type: "elu" }, "elu");
        const active = after.active - before.active;
        utilisation[side].push(active / (active + after.idle - before.idle));
        capacity[side].push((sample.ops / active) * 1000);
        return sample;
      },
    });
    const request = cycle(requests);
    const oursLoad = httpSubject("toNodeListener(receiver)", { pool: pools.ours, concurrency: CONCURRENCY, request });
    const bareLoad = httpSubject("bare node:http", { pool: pools.bare, concurrency: CONCURRENCY, request });

    try {
      ctx.log(`receiver middleware: adapter vs bare node:http (${CONCURRENCY} in flight)`);
      // The servers' JIT warms up in the worker under load; give it more discarded rounds than CPU pairs.
      const sliceMs = ctx.mode === "quick" ? 200 : 300;
      const warmupRounds = ctx.mode === "quick" ? 4 : 6;
      const measurement = await ctx.runPair(measured("bare", bareLoad), measured("ours", oursLoad), { sliceMs, warmupRounds });
      const stats = await worker.ask({ type: "stats" }, "stats");
      if (stats.handled !== oursLoad.requestsSent()) {
        throw new Error(
          `The handler ran ${stats.handled} times for ${oursLoad.requestsSent()} requests; the adapter is not doing the full work.`,
        );
      }
      const description = `Candidate: \`http.createServer(toNodeListener(createReceiver({ secret, dedupe: false, handlers })))\`: body read, verify, parse, validate, dispatch to an \`order.created\` handler, 200 JSON. Baseline: a bare node:http server that reads the body and answers the same 200 JSON. Both servers run in one worker thread; the undici Pool client (${CONCURRENCY} keep-alive connections, ${CONCURRENCY} requests in flight) runs on the main thread.`;
      const details = {
        concurrency: CONCURRENCY,
        bodyBytes: requests[0]?.body?.length ?? 0,
        handlerCalls: stats.handled,
        serverLoopUtilisationOurs: round2(median(utilisation.ours.slice(warmupRounds))),
        serverLoopUtilisationBare: round2(median(utilisation.bare.slice(warmupRounds))),
      };
      const throughput = pairResult(
        {
          id: "receiver-middleware",
          group: "receiver",
          title: "Receiver middleware on node:http",
          description,
          unit: "req/s",
          details,
          notes: [
            "Server-thread event-loop utilisation (median over measured slices) is in `details`: close to 1 means the server is saturated; clearly below 1 means the client is the limit on that side.",
          ],
          target: ratioAtLeast(0.6),
          sliceMs,
        },
        measurement,
      );
      const busy = (side: "ours" | "bare") => capacity[side].slice(warmupRounds);
      const capacityRatio = summarizeRatios(busy("bare"), busy("ours"));
      const perBusySecond = pairResult(
        {
          id: "receiver-middleware-capacity",
          group: "receiver",
          title: "Receiver middleware, server capacity",
          description:
            "Same slices as the row above, rated as requests per second of server-thread event-loop busy time (requests ÷ active time from `performance.eventLoopUtilization()` in the worker). This removes the client from the comparison: on a 2-core machine the client cannot saturate the bare server, which flatters the throughput ratio.",
          unit: "req/s",
          details,
          target: ratioAtLeast(0.6),
          sliceMs,
        },
        {
          baseline: { ...measurement.baseline, opsPerSecond: busy("bare"), medianOpsPerSecond: median(busy("bare")) },
          candidate: { ...measurement.candidate, opsPerSecond: busy("ours"), medianOpsPerSecond: median(busy("ours")) },
          ratio: capacityRatio,
          rounds: measurement.rounds.map((round, i) => ({
            ...round,
            baselineOpsPerSecond: capacity.bare[i] ?? Number.NaN,
            candidateOpsPerSecond: capacity.ours[i] ?? Number.NaN,
          })),
        },
      );
      return [throughput, perBusySecond];
    } finally {
      await Promise.all([pools.ours.close(), pools.bare.close()]);
      await worker.close();
    }
  },
};

const round2 = (value: number) => Math.round(value * 100) / 100;
