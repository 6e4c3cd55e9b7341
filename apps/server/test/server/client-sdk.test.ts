/**
 * The generated sender's API client (`createClient` from @hookline/sender) against the real server:
 * typed send → fan-out → signed delivery verified by the generated receiver; endpoint management;
 * idempotent retries; the server's errors surfacing as HooklineApiError.
 */

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createReceiver, toNodeListener, type WebhookEvent } from "@hookline/receiver";
import { createClient, HooklineApiError, type OrderCreated } from "@hookline/sender";
import { schemas } from "@hookline/sender/schemas";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_KEY, startServer, type TestServer } from "../support/server.js";

const order = schemas["order.created"].examples[0] as OrderCreated;

describe("@hookline/sender createClient against the server", () => {
  let server: TestServer;
  let receiverServer: Server;
  let receiverUrl: string;
  const received: WebhookEvent[] = [];
  let secret: string;

  beforeAll(async () => {
    server = await startServer();
    receiverServer = createServer((req, res) => {
      void handler(req, res);
    });
    await new Promise<void>((resolve) => receiverServer.listen(0, "127.0.0.1", resolve));
    receiverUrl = `http://127.0.0.1:${(receiverServer.address() as AddressInfo).port}/webhooks`;
  });
  afterAll(async () => {
    await server.close();
    await new Promise<void>((resolve) => receiverServer.close(() => resolve()));
  });

  // Filled in once the endpoint (and so its secret) exists.
  let handler: (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => unknown = (_req, res) => res.end();

  it("creates an endpoint, sends a typed event, and the generated receiver verifies the delivery", async () => {
    const client = createClient({ baseUrl: server.url, apiKey: API_KEY });
    const endpoint = await client.endpoints.create({ url: receiverUrl, eventTypes: ["order.*"], description: "SDK test" });
    expect(endpoint.id).toMatch(/^ep_/);
    expect(endpoint.secret).toMatch(/^whsec_/);
    secret = endpoint.secret;
    const receiver = createReceiver({ secret, handlers: { "order.created": (event) => void received.push(event) } });
    handler = toNodeListener(receiver);

    const accepted = await client.send("order.created", order, { id: "evt_sdk_1" });
    expect(accepted).toMatchObject({ id: "evt_sdk_1", type: "order.created", deliveries: 1 });

    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(1);
    expect(received[0]).toMatchObject({ type: "order.created", data: order });

    // The same id again is the same event: answered with the original, no new delivery.
    const again = await client.send("order.created", order, { id: "evt_sdk_1" });
    expect(again.id).toBe("evt_sdk_1");
    const event = await client.events.get("evt_sdk_1");
    expect(event.deliveries).toHaveLength(1);

    const attempts = await client.events.attempts("evt_sdk_1");
    expect(attempts.data[0]).toMatchObject({ endpointId: endpoint.id, status: "succeeded", statusCode: 200 });
    expect((await client.endpoints.list()).data.map((e) => e.id)).toContain(endpoint.id);
    expect(await client.endpoints.secret(endpoint.id)).toBe(secret);
  }, 30_000);

  it("surfaces the server's errors as HooklineApiError with code and details", async () => {
    const client = createClient({ baseUrl: server.url, apiKey: API_KEY });
    const missing = await client.endpoints.get("ep_doesnotexist").catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(HooklineApiError);
    expect(missing).toMatchObject({ status: 404 });

    const unauthorised = await createClient({ baseUrl: server.url, apiKey: "wrong-key-0123456789" })
      .eventTypes.list()
      .catch((error: unknown) => error);
    expect(unauthorised).toMatchObject({ status: 401 });

    const types = await client.eventTypes.list();
    expect(types.map((t) => t.type)).toContain("order.created");
  });
});
