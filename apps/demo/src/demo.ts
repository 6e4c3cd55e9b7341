/**
 * One local loop through the generated SDKs: a receiver on 127.0.0.1 and a sender that delivers one
 * catalog example per domain to it, then shows what a tampered request and an invalid payload get.
 */

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createReceiver, toNodeListener, type WebhookEvent } from "@hookline/receiver";
import { catalog, createSender, generateSecret, PayloadValidationError, type EventType } from "@hookline/sender";
import { schemas } from "@hookline/sender/schemas";

/** One event per catalog domain. */
export const DEMO_EVENTS: readonly EventType[] = ["order.created", "transaction.flagged", "appointment.scheduled", "subscription.renewed"];

export interface DemoResult {
  readonly delivered: ReadonlyArray<{ readonly type: string; readonly status: number }>;
  readonly tamperedStatus: number;
  readonly invalidPayloadPaths: readonly string[];
}

export async function runDemo(log: (line: string) => void = console.log): Promise<DemoResult> {
  const secret = generateSecret();
  const receiver = createReceiver({ secret, onError: (error) => log(`  handler failed: ${String(error)}`) });
  for (const type of DEMO_EVENTS)
    receiver.on(type, (event, context) => log(`  receiver ✓ ${context.id} ${describe(event as WebhookEvent)}`));

  const server = createServer(toNodeListener(receiver));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
  log(`receiver listening on ${url}\n`);

  try {
    const sender = createSender({ secret });
    const delivered = [];
    for (const type of DEMO_EVENTS) {
      const example = schemas[type].examples[0];
      const result = await sender.send(url, type, example as never);
      log(`sender → ${type} (${catalog.eventTypes[type].domain}): HTTP ${result.status} in ${result.durationMs} ms`);
      delivered.push({ type, status: result.status });
    }

    const signed = sender.build("order.created", schemas["order.created"].examples[0] as never);
    const tampered = await fetch(url, {
      method: "POST",
      headers: signed.headers,
      body: signed.body.replace(/"amount":\d+/, '"amount":1'),
      redirect: "manual",
    });
    log(`\ntampered body (amount changed after signing): HTTP ${tampered.status} ${await tampered.text()}`);

    let invalidPayloadPaths: string[] = [];
    try {
      sender.build("order.created", { orderId: 42 } as never);
    } catch (error) {
      if (!(error instanceof PayloadValidationError)) throw error;
      invalidPayloadPaths = error.issues.map((issue) => issue.path);
      log(
        `invalid payload refused before sending: ${error.issues.length} problems, e.g. ${error.issues
          .slice(0, 3)
          .map((i) => `${i.path || "(root)"} ${i.message}`)
          .join("; ")}`,
      );
    }
    return { delivered, tamperedStatus: tampered.status, invalidPayloadPaths };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function describe(event: WebhookEvent): string {
  switch (event.type) {
    case "order.created":
      return `order ${event.data.orderId}: ${event.data.lineItems.length} item(s), total ${event.data.totals.total.amount} ${event.data.totals.total.currency}`;
    case "transaction.flagged":
      return `transaction ${event.data.transactionId} flagged: ${event.data.reasons.map((r) => r.code).join(", ")}`;
    case "appointment.scheduled":
      return `appointment ${event.data.appointment.appointmentId} at ${event.data.appointment.startsAt} (${event.data.appointment.modality})`;
    case "subscription.renewed":
      return `subscription ${event.data.subscription.subscriptionId} renewed`;
    default:
      return event.type;
  }
}
