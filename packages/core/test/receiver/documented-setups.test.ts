/**
 * Every receiver set-up the READMEs show, as written there, with the receiver's default body limit,
 * gets a delivery as large as the Hookline server sends by default (a 256 KiB payload inside the
 * envelope) over real HTTP on loopback. Each set-up's key line is also looked up in the README, so
 * the documentation cannot drift back to a set-up this test does not cover.
 */
import { readFileSync } from "node:fs";
import { createServer, type RequestListener } from "node:http";
import { Readable } from "node:stream";
import express from "express";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  captureRawBody,
  createReceiverFor,
  expressHandler,
  fastifyWebhookPlugin,
  toNodeListener,
  toWebHandler,
  type HttpReceiver,
} from "../../src/receiver/index.js";
import { createSenderFor } from "../../src/sender/index.js";
import { catalog, now, orderExample, SECRET } from "../fixtures/catalog.js";
import { listen } from "../fixtures/server.js";

/** The server's default HOOKLINE_MAX_PAYLOAD_BYTES. */
const SERVER_MAX_PAYLOAD_BYTES = 262_144;

const readme = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");
const READMES = {
  root: readme("../../../../README.md"),
  core: readme("../../README.md"),
  receiver: readme("../../../receiver/README.md"),
};

/** An order.created payload whose JSON is exactly `bytes` long (a long SKU pads it). */
function payloadOf(bytes: number) {
  const item = { sku: "", quantity: 2 };
  const payload = { ...orderExample, items: [item] };
  item.sku = "x".repeat(bytes - JSON.stringify(payload).length);
  expect(JSON.stringify(payload)).toHaveLength(bytes);
  return payload;
}

const onOrder = vi.fn();
const makeReceiver = () =>
  createReceiverFor(catalog, { secret: SECRET, now }).on("order.created", (event) => void onOrder(event.data.items[0]?.sku.length));

/** Fetch-API hosts (Bun, Deno, Workers) hand the handler a streamed Request; node:http stands in. */
function webHost(handler: (request: Request) => Promise<Response>): RequestListener {
  return async (req, res) => {
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i] ?? "", req.rawHeaders[i + 1] ?? "");
    const body = Readable.toWeb(req) as ReadableStream<Uint8Array>;
    const response = await handler(
      new Request(`http://localhost${req.url ?? "/"}`, { method: req.method ?? "POST", headers, body, duplex: "half" }),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  };
}

interface SetUp {
  readonly name: string;
  /** The line of the root README that shows it. */
  readonly documented: string;
  start(receiver: HttpReceiver): Promise<{ url: string; close(): Promise<void> }>;
}

const setUps: SetUp[] = [
  {
    name: "node:http listener",
    documented: "createServer(toNodeListener(receiver))",
    start: async (receiver) => {
      const server = await listen(createServer(toNodeListener(receiver)));
      return { url: `${server.url}/webhooks`, close: server.close };
    },
  },
  {
    name: "Express, webhook route mounted before express.json()",
    documented: 'app.post("/webhooks", expressHandler(receiver));\napp.use(express.json());',
    start: async (receiver) => {
      const app = express();
      app.post("/webhooks", expressHandler(receiver));
      app.use(express.json());
      const server = await listen(createServer(app));
      return { url: `${server.url}/webhooks`, close: server.close };
    },
  },
  {
    name: "Express behind an app-wide express.json() with captureRawBody and the receiver's limit",
    documented: "app.use(express.json({ limit: receiver.maxBodyBytes, verify: captureRawBody }));",
    start: async (receiver) => {
      const app = express();
      app.use(express.json({ limit: receiver.maxBodyBytes, verify: captureRawBody }));
      app.post("/webhooks", expressHandler(receiver));
      const server = await listen(createServer(app));
      return { url: `${server.url}/webhooks`, close: server.close };
    },
  },
  {
    name: "Express with express.raw() on the webhook route",
    documented: 'app.post("/webhooks", express.raw({ type: "*/*", limit: receiver.maxBodyBytes }), expressHandler(receiver));',
    start: async (receiver) => {
      const app = express();
      app.post("/webhooks", express.raw({ type: "*/*", limit: receiver.maxBodyBytes }), expressHandler(receiver));
      const server = await listen(createServer(app));
      return { url: `${server.url}/webhooks`, close: server.close };
    },
  },
  {
    name: "Fastify plugin",
    documented: 'await fastify.register(fastifyWebhookPlugin(receiver, { path: "/webhooks" }));',
    start: async (receiver) => {
      const fastify = Fastify();
      await fastify.register(fastifyWebhookPlugin(receiver, { path: "/webhooks" }));
      const url = await fastify.listen({ port: 0, host: "127.0.0.1" });
      return { url: `${url}/webhooks`, close: () => fastify.close() };
    },
  },
  {
    name: "Web Request → Response handler",
    documented: "export const POST = toWebHandler(receiver);",
    start: async (receiver) => {
      const server = await listen(webHost(toWebHandler(receiver)));
      return { url: `${server.url}/webhooks`, close: server.close };
    },
  },
];

const sender = createSenderFor(catalog, { secret: SECRET, now, timeoutMs: 10_000 });
const large = payloadOf(SERVER_MAX_PAYLOAD_BYTES);

describe.each(setUps)("$name", (setUp) => {
  let running: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    running = await setUp.start(makeReceiver());
  });
  afterAll(() => running.close());

  it("is the set-up the README shows", () => {
    // A boolean, so a failure prints the missing line rather than the whole README.
    expect(READMES.root.includes(setUp.documented), `README.md lacks: ${setUp.documented}`).toBe(true);
  });

  it("accepts a delivery with a 256 KiB payload (the server's default limit) → 200, handled", async () => {
    onOrder.mockClear();
    const message = sender.build("order.created", large);
    expect(Buffer.byteLength(message.body)).toBeGreaterThan(SERVER_MAX_PAYLOAD_BYTES);
    const result = await sender.send(running.url, "order.created", large);
    expect({ status: result.status, body: result.responseBody }).toEqual({ status: 200, body: '{"ok":true}' });
    expect(onOrder).toHaveBeenCalledWith(large.items[0]?.sku.length);
  });
});

describe("body-parser's default limit", () => {
  it("no README shows express.json({ verify: captureRawBody }) without a limit", () => {
    for (const [name, text] of Object.entries(READMES)) expect(text.includes("express.json({ verify: captureRawBody })"), name).toBe(false);
  });

  it("is why: without a limit the same delivery never reaches the webhook route (413 from body-parser)", async () => {
    const app = express();
    app.use(express.json({ verify: captureRawBody }));
    app.post("/webhooks", expressHandler(makeReceiver()));
    const server = await listen(createServer(app));
    try {
      expect((await sender.send(`${server.url}/webhooks`, "order.created", large)).status).toBe(413);
    } finally {
      await server.close();
    }
  });
});
