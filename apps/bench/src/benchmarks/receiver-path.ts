/**
 * Issue item 1, receiver path: verify the signature, parse the JSON, validate the payload of a
 * ~1 KiB `order.created` delivery. Ours is the generated receiver's `verify`; the baseline is the
 * official `standardwebhooks` package followed by an ajv validator compiled at start-up from the
 * same schema; the ceiling is node:crypto doing the HMAC alone.
 */

import { WebhookVerifier } from "@hookline/core";
import { createReceiver } from "@hookline/receiver";
import { schemas } from "@hookline/receiver/schemas";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { Webhook } from "standardwebhooks";
import { syncSubject } from "../harness/pair.js";
import type { BenchResult } from "../harness/results.js";
import { BENCH_SECRET, EVENT_TYPE, FIXTURE_COUNT, cycle, envelopeBody, orderMessages } from "../fixtures/deliveries.js";
import { BENCH_KEY, deliveryHeaders, rawVerify } from "../fixtures/signing.js";
import { assertSame, pairResult, ratioAtLeast } from "./common.js";
import type { Benchmark } from "./types.js";

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

interface Envelope {
  readonly type: string;
  readonly data: { readonly totals: { readonly total: { readonly amount: number } } };
}

/** The operations compared by this benchmark, checked to agree on every fixture (also used by `profile`). */
export function receiverPathOps() {
  const timestamp = Math.floor(Date.now() / 1000);
  const deliveries = orderMessages().map((message) => {
    const body = Buffer.from(envelopeBody(message));
    return { body, headers: deliveryHeaders(message.id, timestamp, body) };
  });
  const at = cycle(deliveries);
  const bodyBytes = Math.round(deliveries.reduce((sum, d) => sum + d.body.byteLength, 0) / deliveries.length);

  // Verify is pure: the duplicate guard only runs in `handle`. It is off anyway so nothing is stored.
  const receiver = createReceiver({ secret: BENCH_SECRET, dedupe: false });
  const verifier = new WebhookVerifier(BENCH_SECRET);
  const official = new Webhook(BENCH_SECRET);
  const ajv = new Ajv2020({ allErrors: false });
  addFormats(ajv);
  const validators = new Map([[EVENT_TYPE, ajv.compile(schemas[EVENT_TYPE].schema as object)]]);

  const ours = (i: number): number => {
    const { body, headers } = at(i);
    const event = receiver.verify(body, headers);
    return event.type === EVENT_TYPE ? event.data.totals.total.amount : -1;
  };
  const officialPath = (i: number): number => {
    const { body, headers } = at(i);
    const envelope = official.verify(body, headers as Record<string, string>) as Envelope;
    const validate = validators.get(envelope.type);
    if (validate === undefined || !validate(envelope.data))
      throw new Error(`ajv rejected the fixture: ${ajv.errorsText(validate?.errors)}`);
    return envelope.data.totals.total.amount;
  };
  const oursVerifyOnly = (i: number): number => {
    const { body, headers } = at(i);
    return verifier.verify(body, headers).timestamp;
  };
  const rawVerifyOnly = (i: number): number => {
    const { body, headers } = at(i);
    rawVerify(BENCH_KEY, body, headers);
    return timestamp;
  };
  for (let i = 0; i < FIXTURE_COUNT; i++) {
    assertSame("receiver path", [
      ["ours", ours(i)],
      ["official", officialPath(i)],
    ]);
    assertSame("verify alone", [
      ["ours", oursVerifyOnly(i)],
      ["raw", rawVerifyOnly(i)],
    ]);
  }

  const meta = { bodyBytes, headers: Object.keys(at(0).headers).length };
  return { ours, officialPath, oursVerifyOnly, rawVerifyOnly, meta };
}

export const receiverPath: Benchmark = {
  id: "receiver-path",
  group: "receiver",
  summary: "verify + parse + validate a ~1 KiB order.created delivery: ours vs standardwebhooks + ajv, and vs raw node:crypto",
  async run(ctx) {
    const { ours, officialPath, oursVerifyOnly, rawVerifyOnly, meta } = receiverPathOps();
    const details = { ...meta, distinctMessages: FIXTURE_COUNT, body: "Buffer (as read from a socket)" };
    const sliceMs = ctx.pair.sliceMs;
    const results: BenchResult[] = [];

    ctx.log("receiver path: ours vs standardwebhooks + ajv");
    results.push(
      pairResult(
        {
          id: "receiver-path",
          group: "receiver",
          title: "Receiver path (verify + parse + validate)",
          description:
            "Candidate: `createReceiver({ secret, dedupe: false }).verify(body, headers)` from @hookline/receiver (precompiled standalone validator, allErrors). Baseline: `new Webhook(secret).verify(body, headers)` from standardwebhooks (verifies and JSON-parses) then an Ajv2020 + ajv-formats validator compiled at start-up from the same bundled schema (allErrors false), picked by event type.",
          details,
          target: ratioAtLeast(2),
          sliceMs,
        },
        await ctx.runPair(syncSubject("standardwebhooks + ajv", officialPath), syncSubject("@hookline/receiver", ours)),
      ),
    );

    ctx.log("receiver path: ours vs the raw node:crypto ceiling");
    results.push(
      pairResult(
        {
          id: "receiver-path-vs-ceiling",
          group: "receiver",
          title: "Receiver path vs raw HMAC ceiling",
          description:
            "Candidate: the full receiver path above. Baseline (ceiling): node:crypto HMAC-SHA256 of the same signed content plus timingSafeEqual, with no parsing or validation. Informational: how much of the ceiling parsing and validation leave.",
          details,
          sliceMs,
        },
        await ctx.runPair(syncSubject("raw node:crypto HMAC", rawVerifyOnly), syncSubject("@hookline/receiver", ours)),
      ),
    );

    ctx.log("verify alone: WebhookVerifier vs raw node:crypto");
    results.push(
      pairResult(
        {
          id: "verify-vs-raw-crypto",
          group: "receiver",
          title: "Verify alone vs raw node:crypto",
          description:
            "Candidate: `new WebhookVerifier(secret).verify(body, headers)` from @hookline/core. Baseline: the same work by hand with node:crypto: read the three headers, check the timestamp tolerance, HMAC-SHA256 of `id.timestamp.body`, base64-decode the v1 entry, timingSafeEqual.",
          details,
          target: ratioAtLeast(0.9),
          sliceMs,
        },
        await ctx.runPair(syncSubject("raw node:crypto", rawVerifyOnly), syncSubject("WebhookVerifier", oursVerifyOnly)),
      ),
    );
    return results;
  },
};
