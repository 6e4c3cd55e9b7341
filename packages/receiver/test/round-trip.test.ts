/**
 * The generated SDKs end to end: the generated sender signs every catalog example and POSTs it over
 * real HTTP on loopback to the generated receiver behind each adapter, which verifies, validates
 * and hands the typed event to its handler.
 */

import express from "express";
import Fastify from "fastify";
import { createSender, generateSecret } from "@hookline/sender";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  catalog,
  captureRawBody,
  createReceiver,
  expressHandler,
  fastifyWebhookPlugin,
  toNodeListener,
  toWebHandler,
  type EventType,
  type Receiver,
  type EventMap,
  type EventVersions,
  type WebhookEvent,
} from "../src/index.js";
import { schemas } from "../src/schemas.js";
import { listen, webBridge, type Running } from "./serve.js";

const secret = generateSecret();
const sender = createSender({ secret });
// One example of every version of every type: older versions (order.shipped v1) travel side by side.
const examples = (Object.keys(catalog.eventTypes) as EventType[]).flatMap((type) =>
  Object.entries(schemas.versions[type]).map(([version, documents]) => ({
    type,
    version: Number(version),
    payload: documents.examples[0],
  })),
);

type Received = { event: WebhookEvent; id: string };

function receiverInto(received: Received[]): Receiver<EventMap, EventType, EventVersions> {
  const receiver = createReceiver({ secret });
  for (const type of new Set(examples.map((e) => e.type))) {
    receiver.on(type, (event, context) => {
      received.push({ event: event as WebhookEvent, id: context.id });
    });
  }
  return receiver;
}

type Host = { name: string; start(receiver: Receiver<EventMap, EventType, EventVersions>): Promise<Running> };

const hosts: Host[] = [
  { name: "node:http", start: (r) => listen(toNodeListener(r)) },
  { name: "Web Request → Response", start: (r) => listen(webBridge(toWebHandler(r))) },
  {
    name: "Express with a global express.json() and captureRawBody",
    start: (r) => {
      const app = express();
      app.use(express.json({ limit: r.maxBodyBytes, verify: captureRawBody }));
      app.post("/webhooks", expressHandler(r));
      return listen(app);
    },
  },
  {
    name: "Fastify with the app's own JSON parser",
    start: async (r) => {
      const app = Fastify();
      await app.register(fastifyWebhookPlugin(r, { path: "/webhooks" }));
      await app.listen({ port: 0, host: "127.0.0.1" });
      const address = app.server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
    },
  },
];

describe.each(hosts)("sender → $name → receiver", (host) => {
  const received: Received[] = [];
  let server: Running;

  beforeAll(async () => {
    server = await host.start(receiverInto(received));
  });
  afterAll(() => server.close());

  it.each(examples)("delivers the $type v$version example, verified and typed", async ({ type, version, payload }) => {
    const before = received.length;
    const result = await sender.send(`${server.url}/webhooks`, type, payload as never, { version: version as never });
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(received).toHaveLength(before + 1);
    const last = received.at(-1);
    expect(last?.id).toBe(result.id);
    expect(last?.event).toMatchObject({ type, version, data: payload });
  });

  it("answers 401 to a request signed with another secret", async () => {
    const other = createSender({ secret: generateSecret() });
    const { type, payload } = examples[0] as (typeof examples)[number];
    const result = await other.send(`${server.url}/webhooks`, type, payload as never);
    expect(result.status).toBe(401);
    expect(JSON.parse(result.responseBody)).toMatchObject({ error: { code: "no_matching_signature" } });
  });
});

describe("runtime validation in the generated SDKs", () => {
  it("refuses an invalid payload before signing, naming every JSON path at fault", () => {
    const bad = { ...(schemas["order.created"].examples[0] as object), currency: 12, lineItems: [] } as never;
    expect(() => sender.build("order.created", bad)).toThrowError(
      expect.objectContaining({ code: "invalid_payload", eventType: "order.created" }),
    );
    try {
      sender.build("order.created", bad);
    } catch (error) {
      const paths = (error as { issues: { path: string }[] }).issues.map((i) => i.path);
      expect(paths).toEqual(expect.arrayContaining(["/lineItems"]));
      expect(paths.length).toBeGreaterThanOrEqual(2);
    }
  });

  it("the receiver answers 422 with JSON-pointer details for a signed but schema-invalid payload", async () => {
    const receiver = createReceiver({ secret });
    const { WebhookSigner } = await import("@hookline/core");
    const body = JSON.stringify({ type: "user.logged_in", timestamp: new Date().toISOString(), data: { nope: true } });
    const headers = new WebhookSigner(secret).headers({ id: "msg_1", timestamp: Math.floor(Date.now() / 1000), body });
    const response = await receiver.handle(body, headers);
    expect(response.status).toBe(422);
    const details = (JSON.parse(response.body) as { error: { details: { path: string }[] } }).error.details;
    // Pointers are into the delivered body, so the payload sits under /data.
    expect(details.map((d) => d.path)).toContain("/data/nope");
  });
});
