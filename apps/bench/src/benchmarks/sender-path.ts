/**
 * Issue item 2, sender path: build a signed delivery (serialise + sign) of a ~1 KiB
 * `order.created` event. Ours is the generated sender's `build` (which also validates the payload)
 * and, separately, `WebhookSigner.headers` after `JSON.stringify`; the baseline is the official
 * `standardwebhooks` `sign` after `JSON.stringify`; the ceiling is node:crypto doing the HMAC.
 */

import { WebhookSigner } from "@hookline/core";
import { createSender } from "@hookline/sender";
import { Webhook } from "standardwebhooks";
import { syncSubject } from "../harness/pair.js";
import type { BenchResult } from "../harness/results.js";
import { BENCH_SECRET, EVENT_TYPE, FIXTURE_COUNT, cycle, envelopeBody, orderMessages } from "../fixtures/deliveries.js";
import { BENCH_KEY, rawSign } from "../fixtures/signing.js";
import { assertSame, pairResult, ratioAtLeast } from "./common.js";
import type { Benchmark } from "./types.js";

/** The operations compared by this benchmark, checked to agree on every fixture (also used by `profile`). */
export function senderPathOps() {
  const messages = orderMessages();
  const message = cycle(messages);
  const bodies = messages.map(envelopeBody);
  const body = cycle(bodies);
  const bodyBytes = Math.round(bodies.reduce((sum, b) => sum + Buffer.byteLength(b), 0) / bodies.length);

  const sender = createSender({ secret: BENCH_SECRET });
  const signer = new WebhookSigner(BENCH_SECRET);
  const official = new Webhook(BENCH_SECRET);
  const nowSeconds = () => Math.floor(Date.now() / 1000);

  // Each side returns the whole signed delivery's signature length: a complete header set is built.
  const oursBuild = (i: number): number => {
    const m = message(i);
    return sender.build(EVENT_TYPE, m.payload, { id: m.id, timestamp: m.eventTime }).headers["webhook-signature"].length;
  };
  const oursSignAndSerialize = (i: number): number => {
    const m = message(i);
    const text = JSON.stringify({ type: EVENT_TYPE, timestamp: m.eventTime.toISOString(), data: m.payload });
    return signer.headers({ id: m.id, timestamp: nowSeconds(), body: text })["webhook-signature"].length;
  };
  const officialSignAndSerialize = (i: number): number => {
    const m = message(i);
    const text = JSON.stringify({ type: EVENT_TYPE, timestamp: m.eventTime.toISOString(), data: m.payload });
    const now = new Date();
    const headers = {
      "webhook-id": m.id,
      "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
      "webhook-signature": official.sign(m.id, now, text),
    };
    return headers["webhook-signature"].length;
  };
  const oursSign = (i: number): number => signer.sign({ id: message(i).id, timestamp: 1_741_616_525, body: body(i) }).length;
  const rawSignOnly = (i: number): number => rawSign(BENCH_KEY, message(i).id, 1_741_616_525, body(i)).length;

  for (let i = 0; i < FIXTURE_COUNT; i++) {
    const m = message(i);
    const built = sender.build(EVENT_TYPE, m.payload, { id: m.id, timestamp: m.eventTime });
    const ts = new Date(built.timestamp * 1000);
    assertSame("sender body", [
      ["ours", built.body],
      ["fixture", body(i)],
    ]);
    assertSame("sender signature", [
      ["ours", built.headers["webhook-signature"]],
      ["official", official.sign(m.id, ts, built.body)],
      ["raw", rawSign(BENCH_KEY, m.id, built.timestamp, built.body)],
    ]);
    assertSame("sign alone", [
      ["ours", signer.sign({ id: m.id, timestamp: 1_741_616_525, body: body(i) })],
      ["raw", rawSign(BENCH_KEY, m.id, 1_741_616_525, body(i))],
    ]);
  }

  return { oursBuild, oursSignAndSerialize, officialSignAndSerialize, oursSign, rawSignOnly, meta: { bodyBytes } };
}

export const senderPath: Benchmark = {
  id: "sender-path",
  group: "sender",
  summary: "serialise + sign a ~1 KiB order.created delivery: ours vs standardwebhooks sign, and vs raw node:crypto",
  async run(ctx) {
    const { oursBuild, oursSignAndSerialize, officialSignAndSerialize, oursSign, rawSignOnly, meta } = senderPathOps();
    const details = { ...meta, distinctMessages: FIXTURE_COUNT };
    const sliceMs = ctx.pair.sliceMs;
    const officialSubject = syncSubject("standardwebhooks sign", officialSignAndSerialize);
    const results: BenchResult[] = [];

    ctx.log("sender path: build (validate + serialise + sign) vs standardwebhooks");
    results.push(
      pairResult(
        {
          id: "sender-build",
          group: "sender",
          title: "Sender build (validate + serialise + sign)",
          description:
            'Candidate: `createSender({ secret }).build("order.created", payload, { id, timestamp })` from @hookline/sender, which copies the payload as JSON data (what a JSON round trip would give), validates it, serialises the envelope and signs it. Baseline: `JSON.stringify(envelope)` then `new Webhook(secret).sign(id, new Date(), body)` from standardwebhooks, plus the three header values; no validation.',
          details,
          target: ratioAtLeast(3),
          sliceMs,
        },
        await ctx.runPair(officialSubject, syncSubject("@hookline/sender build", oursBuild)),
      ),
    );

    ctx.log("sender path: serialise + sign vs standardwebhooks");
    results.push(
      pairResult(
        {
          id: "sender-sign",
          group: "sender",
          title: "Serialise + sign",
          description:
            "Candidate: `JSON.stringify(envelope)` then `new WebhookSigner(secret).headers({ id, timestamp, body })` from @hookline/core (no validation). Baseline: the same serialisation then standardwebhooks `sign`, plus the three header values.",
          details,
          target: ratioAtLeast(3),
          sliceMs,
        },
        await ctx.runPair(officialSubject, syncSubject("WebhookSigner.headers", oursSignAndSerialize)),
      ),
    );

    ctx.log("sign alone: WebhookSigner vs raw node:crypto");
    results.push(
      pairResult(
        {
          id: "sign-vs-raw-crypto",
          group: "sender",
          title: "Sign alone vs raw node:crypto",
          description:
            // biome-ignore lint/suspicious/noTemplateCurlyInString: the text quotes the baseline's source code.
            'Candidate: `new WebhookSigner(secret).sign({ id, timestamp, body })` from @hookline/core on a ready body string. Baseline: `"v1," + createHmac("sha256", key).update(`${id}.${timestamp}.`).update(body).digest("base64")`.',
          details,
          target: ratioAtLeast(0.9),
          sliceMs,
        },
        await ctx.runPair(syncSubject("raw node:crypto", rawSignOnly), syncSubject("WebhookSigner.sign", oursSign)),
      ),
    );
    return results;
  },
};
