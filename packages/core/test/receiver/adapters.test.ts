import { request as httpRequest, createServer, type IncomingMessage, type RequestListener } from "node:http";
import { Readable } from "node:stream";
import express from "express";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { EnvelopeOf } from "../../src/catalog.js";
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
import { WebhookSigner } from "../../src/signing/index.js";
import { catalog, now, orderExample, OTHER_SECRET, SECRET, type TestEventMap } from "../fixtures/catalog.js";
import { listen, type TestServer } from "../fixtures/server.js";

const LIMIT = 4096;
const sender = createSenderFor(catalog, { secret: SECRET, now, timeoutMs: 5_000 });
const impostor = createSenderFor(catalog, { secret: OTHER_SECRET, now });

/** Every adapter under test shares one handler spy, reset per test. */
const onOrder = vi.fn<(event: EnvelopeOf<TestEventMap, "order.created">) => void>();

function makeReceiver() {
  return createReceiverFor(catalog, { secret: SECRET, now, maxBodyBytes: LIMIT }).on("order.created", (event) => {
    onOrder(event);
  });
}

/** Web handler behind a minimal node:http → Fetch API bridge, as a Workers/Bun runtime would call it. */
function webBridge(receiver: HttpReceiver): RequestListener {
  const handler = toWebHandler(receiver);
  return async (req, res) => {
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i] ?? "", req.rawHeaders[i + 1] ?? "");
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const body = hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : null;
    const response = await handler(
      new Request(`http://localhost${req.url ?? "/"}`, { method: req.method ?? "GET", headers, body, duplex: "half" }),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  };
}

async function fastifyApp(receiver: HttpReceiver): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify();
  // The app's own JSON parser, app-wide: it must keep working and must not see webhook bodies.
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_request, body, done) => {
    done(null, { parsedByApp: JSON.parse(String(body)) });
  });
  app.post("/echo", async (request) => request.body);
  await app.register(fastifyWebhookPlugin(receiver), { prefix: "/webhooks" });
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  return { app, url };
}

interface Target {
  readonly name: string;
  url: string;
  close(): Promise<void>;
}

const targets: Target[] = [];

beforeAll(async () => {
  const add = (name: string, server: TestServer, path = "/webhooks") => targets.push({ name, url: server.url + path, close: server.close });

  add("node:http listener", await listen(toNodeListener(makeReceiver())));

  const raw = express();
  raw.post("/webhooks", express.raw({ type: "application/json" }), expressHandler(makeReceiver()));
  add("express with express.raw() on the route", await listen(createServer(raw)));

  const before = express();
  before.post("/webhooks", expressHandler(makeReceiver()));
  before.use(express.json());
  add("express, webhook route mounted before express.json()", await listen(createServer(before)));

  const global = express();
  global.use(express.json({ verify: captureRawBody }));
  global.post("/webhooks", expressHandler(makeReceiver()));
  add("express behind a global express.json({ verify: captureRawBody })", await listen(createServer(global)));

  const { app, url } = await fastifyApp(makeReceiver());
  targets.push({ name: "fastify plugin, app with its own JSON parser", url: `${url}/webhooks`, close: () => app.close() });

  add("web handler (Fetch API) behind a node:http bridge", await listen(webBridge(makeReceiver())));
});

afterAll(async () => {
  await Promise.all(targets.map((target) => target.close()));
});

const ADAPTERS = [
  "node:http listener",
  "express with express.raw() on the route",
  "express, webhook route mounted before express.json()",
  "express behind a global express.json({ verify: captureRawBody })",
  "fastify plugin, app with its own JSON parser",
  "web handler (Fetch API) behind a node:http bridge",
];

function target(name: string): Target {
  const found = targets.find((t) => t.name === name);
  if (found === undefined) throw new Error(`no target ${name}`);
  return found;
}

describe.each(ADAPTERS)("%s", (name) => {
  it("delivers a sent event to the typed handler → 200", async () => {
    onOrder.mockClear();
    const result = await sender.send(target(name).url, "order.created", orderExample);
    expect(result).toMatchObject({ ok: true, status: 200, responseBody: '{"ok":true}' });
    expect(onOrder).toHaveBeenCalledTimes(1);
    expect(onOrder.mock.calls[0]?.[0]).toMatchObject({ type: "order.created", data: orderExample });
  });

  it("a retry with the same webhook-id → 200 duplicate, handler called once", async () => {
    onOrder.mockClear();
    await sender.send(target(name).url, "order.created", orderExample, { id: `msg_retry_${ADAPTERS.indexOf(name)}` });
    const retry = await sender.send(target(name).url, "order.created", orderExample, { id: `msg_retry_${ADAPTERS.indexOf(name)}` });
    expect(retry).toMatchObject({ ok: true, status: 200, responseBody: '{"ok":true,"duplicate":true}' });
    expect(onOrder).toHaveBeenCalledTimes(1);
  });

  it("wrong key → 401", async () => {
    const result = await impostor.send(target(name).url, "order.created", orderExample);
    expect(result).toMatchObject({ ok: false, status: 401 });
    expect(JSON.parse(result.responseBody)).toMatchObject({ error: { code: "no_matching_signature" } });
  });

  it("schema-invalid payload from a sender that skipped validation → 422", async () => {
    const message = sender.build("order.created", orderExample);
    const body = message.body.replace('"quantity":2', '"quantity":0');
    const headers = { ...message.headers, ...new WebhookSigner(SECRET).headers({ id: "msg_422", timestamp: message.timestamp, body }) };
    const response = await fetch(target(name).url, { method: "POST", headers, body });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      error: { code: "invalid_payload", details: [{ path: "/data/items/0/quantity", message: "must be >= 1" }] },
    });
  });

  it("a body one byte over the limit (content-length) → 413", async () => {
    const response = await fetch(target(name).url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: jsonOfSize(LIMIT + 1),
    });
    expect(response.status).toBe(413);
  });

  it("a body of exactly the limit is read (and then fails the signature check) → 401", async () => {
    const response = await fetch(target(name).url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: jsonOfSize(LIMIT),
    });
    expect(response.status).toBe(401);
  });
});

describe("streamed (chunked) bodies over the limit", () => {
  it.each([ADAPTERS[0], ADAPTERS[2], ADAPTERS[5]])("%s answers 413 without reading everything", async (name) => {
    const total = 256 * 1024 * 1024;
    const { status, sent } = await postChunked(target(name ?? "").url, 64 * 1024, total);
    expect(status).toBe(413);
    // The server stopped reading: the client could not push the whole body.
    expect(sent).toBeLessThan(total);
  });
});

describe("methods", () => {
  it.each([ADAPTERS[0], ADAPTERS[5]])("%s answers GET with 405 and allow: POST", async (name) => {
    const response = await fetch(target(name ?? "").url);
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });
});

describe("express raw-body configuration", () => {
  it("behind a global express.json() without captureRawBody → 500 saying how to fix it", async () => {
    const app = express();
    app.use(express.json());
    app.post("/webhooks", expressHandler(makeReceiver()));
    const server = await listen(createServer(app));
    try {
      const result = await sender.send(`${server.url}/webhooks`, "order.created", orderExample);
      expect(result.status).toBe(500);
      const { error } = JSON.parse(result.responseBody) as { error: { code: string; message: string } };
      expect(error.code).toBe("raw_body_unavailable");
      expect(error.message).toContain("mount the webhook route before express.json()");
      expect(error.message).toContain("express.json({ limit: receiver.maxBodyBytes, verify: captureRawBody })");
    } finally {
      await server.close();
    }
  });

  it("the app's JSON routes still get parsed bodies next to a captureRawBody webhook route", async () => {
    const app = express();
    app.use(express.json({ verify: captureRawBody }));
    app.post("/echo", (req, res) => {
      res.json({ body: req.body as unknown, hasRaw: Buffer.isBuffer((req as { rawBody?: unknown }).rawBody) });
    });
    const server = await listen(createServer(app));
    try {
      const response = await fetch(`${server.url}/echo`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"a":1}',
      });
      expect(await response.json()).toEqual({ body: { a: 1 }, hasRaw: true });
    } finally {
      await server.close();
    }
  });
});

describe("fastify encapsulation", () => {
  it("the plugin's raw-body parser does not leak: the app's own JSON parser still handles other routes", async () => {
    const { app, url } = await fastifyApp(makeReceiver());
    try {
      const response = await fetch(`${url}/echo`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"a":1}' });
      expect(await response.json()).toEqual({ parsedByApp: { a: 1 } });
    } finally {
      await app.close();
    }
  });

  it("accepts other content types too (the signature, not the header, decides)", async () => {
    const message = sender.build("order.created", orderExample);
    const response = await fetch(target(ADAPTERS[4] ?? "").url, {
      method: "POST",
      headers: { ...message.headers, "content-type": "text/plain" },
      body: message.body,
    });
    expect(response.status).toBe(200);
  });
});

describe("web handler called directly with new Request", () => {
  const handler = toWebHandler(makeReceiver());

  it("handles a signed Request", async () => {
    const message = sender.build("order.created", orderExample);
    const response = await handler(
      new Request("https://example.com/webhooks", { method: "POST", headers: message.headers, body: message.body }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await response.json()).toEqual({ ok: true });
  });

  it("refuses a declared content-length over the limit without reading the body", async () => {
    const body = new ReadableStream<Uint8Array>({
      pull: () => {
        throw new Error("must not be read");
      },
    });
    const request = new Request("https://example.com/webhooks", {
      method: "POST",
      headers: { "content-length": String(LIMIT + 1) },
      body,
      duplex: "half",
    });
    expect((await handler(request)).status).toBe(413);
  });

  const signedRequest = (body: string | ReadableStream<Uint8Array>) => {
    const message = sender.build("order.created", orderExample);
    return new Request("https://example.com/webhooks", { method: "POST", headers: message.headers, body, duplex: "half" });
  };

  it.each([
    ["already read by earlier middleware", async (request: Request) => void (await request.text())],
    ["locked by a reader", async (request: Request) => void request.body?.getReader()],
  ])("a body %s → 500 raw_body_unavailable saying how to fix it, not a rejection", async (_, consume) => {
    const request = signedRequest(sender.build("order.created", orderExample).body);
    await consume(request);
    const response = await handler(request);
    expect(response.status).toBe(500);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("raw_body_unavailable");
    expect(error.message).toContain("request.clone()");
  });

  it("a body stream that fails midway → 500 body_read_failed, not a rejection", async () => {
    let sent = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) throw new Error("connection reset");
        sent = true;
        controller.enqueue(new Uint8Array(16));
      },
    });
    const response = await handler(signedRequest(body));
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ error: { code: "body_read_failed", message: expect.stringContaining("retried") } });
  });

  it("stops reading an undeclared stream at the limit", async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const response = await handler(new Request("https://example.com/webhooks", { method: "POST", body, duplex: "half" }));
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThan(10);
  });
});

describe("node listener failures", () => {
  it("a handler that throws → 500 handler_failed, then the retry succeeds", async () => {
    const handler = vi.fn().mockRejectedValueOnce(new Error("boom")).mockResolvedValue(undefined);
    const server = await listen(toNodeListener(createReceiverFor(catalog, { secret: SECRET, now }).on("order.created", handler)));
    try {
      const first = await sender.send(server.url, "order.created", orderExample, { id: "msg_flaky" });
      expect(first).toMatchObject({ ok: false, status: 500 });
      expect(JSON.parse(first.responseBody)).toEqual({
        error: { code: "handler_failed", message: "The webhook could not be processed; it will be retried." },
      });
      expect(await sender.send(server.url, "order.created", orderExample, { id: "msg_flaky" })).toMatchObject({ ok: true, status: 200 });
      expect(handler).toHaveBeenCalledTimes(2);
    } finally {
      await server.close();
    }
  });

  it("malformed JSON with a valid signature → 400 over HTTP", async () => {
    const server = await listen(toNodeListener(makeReceiver()));
    try {
      const body = "{oops";
      const headers = new WebhookSigner(SECRET).headers({ id: "msg_bad_json", timestamp: now() / 1000, body });
      const response = await fetch(server.url, { method: "POST", headers, body });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: "malformed_json" } });
    } finally {
      await server.close();
    }
  });
});

/** Valid JSON (so an app-wide JSON parser accepts it) of exactly `size` bytes. */
function jsonOfSize(size: number): string {
  return `{"p":"${"x".repeat(size - 8)}"}`;
}

/** POSTs `total` bytes in `chunk`-sized pieces without content-length; resolves with the status. */
function postChunked(url: string, chunk: number, total: number): Promise<{ status: number; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let done = false;
    const req = httpRequest(url, { method: "POST", headers: { "content-type": "application/json" } }, (res: IncomingMessage) => {
      done = true;
      res.resume();
      resolve({ status: res.statusCode ?? 0, sent });
    });
    req.on("error", (error) => (done ? undefined : reject(error)));
    const pump = () => {
      while (!done && sent < total) {
        sent += chunk;
        if (!req.write(Buffer.alloc(chunk, 0x20))) return void req.once("drain", pump);
      }
      if (!done) req.end();
    };
    pump();
  });
}

describe("node body reading", () => {
  /** POSTs a signed event whose body is written in `pieces` separate chunks (chunked encoding). */
  function postInPieces(url: string, pieces: number, id: string): Promise<{ status: number; body: string }> {
    const message = sender.build("order.created", orderExample, { id });
    const bytes = Buffer.from(message.body);
    return new Promise((resolve, reject) => {
      const req = httpRequest(url, { method: "POST", headers: { ...message.headers } }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res
          .on("data", (chunk: Buffer) => chunks.push(chunk))
          .on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      });
      req.on("error", reject);
      const size = Math.ceil(bytes.length / pieces);
      for (let start = 0; start < bytes.length; start += size) req.write(bytes.subarray(start, start + size));
      req.end();
    });
  }

  it("a body that arrives in several chunks is joined before verification → 200", async () => {
    onOrder.mockClear();
    const { status, body } = await postInPieces(target(ADAPTERS[0] ?? "").url, 7, "msg_pieces");
    expect({ status, body }).toEqual({ status: 200, body: '{"ok":true}' });
    expect(onOrder).toHaveBeenCalledTimes(1);
  });

  it("concurrent requests (handled after the poll phase that read them) each get their own answer", async () => {
    onOrder.mockClear();
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        i % 3 === 2
          ? impostor.send(target(ADAPTERS[0] ?? "").url, "order.created", orderExample, { id: `msg_concurrent_${i}` })
          : sender.send(target(ADAPTERS[0] ?? "").url, "order.created", orderExample, { id: `msg_concurrent_${i}` }),
      ),
    );
    expect(results.map((result) => result.status)).toEqual(Array.from({ length: 24 }, (_, i) => (i % 3 === 2 ? 401 : 200)));
    expect(onOrder).toHaveBeenCalledTimes(16);
  });
});
