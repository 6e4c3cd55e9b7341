import type { IncomingMessage } from "node:http";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WebhookVerifier } from "../../src/signing/index.js";
import { createSenderFor, RESPONSE_BODY_LIMIT, WebhookDeliveryError } from "../../src/sender/index.js";
import { PayloadValidationError } from "../../src/validation.js";
import { catalog, now, orderExample, SECRET, type OrderCreated } from "../fixtures/catalog.js";
import { listen, type TestServer } from "../fixtures/server.js";

const sender = createSenderFor(catalog, { secret: SECRET, now, timeoutMs: 2_000 });
const servers: TestServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(listener: Parameters<typeof listen>[0]): Promise<TestServer> {
  const server = await listen(listener);
  servers.push(server);
  return server;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe("send", () => {
  it("POSTs the signed body and headers and resolves with the response", async () => {
    const seen: { method?: string | undefined; headers?: IncomingMessage["headers"]; body?: Buffer } = {};
    const server = await serve(async (request, response) => {
      seen.method = request.method;
      seen.headers = request.headers;
      seen.body = await readBody(request);
      response.writeHead(202, { "content-type": "text/plain" }).end("accepted ✓");
    });
    const result = await sender.send(`${server.url}/hooks`, "order.created", orderExample, { id: "msg_send1" });
    expect(result).toEqual({ id: "msg_send1", ok: true, status: 202, responseBody: "accepted ✓", durationMs: expect.any(Number) });
    expect(seen.method).toBe("POST");
    expect(seen.headers).toMatchObject({ "content-type": "application/json", "webhook-id": "msg_send1", "user-agent": "hookline/0.1.0" });
    expect(new WebhookVerifier(SECRET, { now }).verify(seen.body ?? "", seen.headers ?? {}).id).toBe("msg_send1");
    expect(JSON.parse(String(seen.body))).toMatchObject({ type: "order.created", data: orderExample });
  });

  it.each([[400], [410], [500], [503]])("a %i is a result with ok: false, not an exception", async (status) => {
    const server = await serve((_request, response) => response.writeHead(status).end("nope"));
    await expect(sender.send(server.url, "user.logged_in", { userId: "u" })).resolves.toMatchObject({
      ok: false,
      status,
      responseBody: "nope",
    });
  });

  it("never follows a redirect: a 307 to a second path leaves it unvisited", async () => {
    const visited: string[] = [];
    const server = await serve((request, response) => {
      visited.push(request.url ?? "");
      if (request.url === "/first") response.writeHead(307, { location: "/second" }).end();
      else response.writeHead(200).end("followed");
    });
    const result = await sender.send(`${server.url}/first`, "user.logged_in", { userId: "u" });
    expect(result).toMatchObject({ ok: false, status: 307 });
    expect(visited).toEqual(["/first"]);
  });

  it("reads at most 64 KiB of the response and then stops the download", async () => {
    let closed = false;
    const server = await serve((_request, response) => {
      response.writeHead(200, { "content-type": "text/plain" });
      const chunk = "x".repeat(16 * 1024);
      // An endless body: only the client hanging up ends it.
      const pump = () => {
        while (!closed && response.write(chunk));
        if (!closed) response.once("drain", pump);
      };
      response.on("close", () => (closed = true));
      pump();
    });
    const result = await sender.send(server.url, "user.logged_in", { userId: "u" });
    expect(result.ok).toBe(true);
    expect(result.responseBody.length).toBe(RESPONSE_BODY_LIMIT);
    await vi.waitFor(() => expect(closed).toBe(true));
  });

  it("times out on a server that never answers", async () => {
    const server = await serve(() => undefined);
    const quick = createSenderFor(catalog, { secret: SECRET, now, timeoutMs: 200 });
    const error = await quick
      .send(`${server.url}/path?token=s3cr3t`, "user.logged_in", { userId: "u" }, { id: "msg_t" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookDeliveryError);
    expect(error).toMatchObject({ code: "timeout", webhookId: "msg_t", origin: server.url });
    expect((error as Error).message).toBe(`Webhook delivery of msg_t to ${server.url} timed out.`);
  });

  it("times out on a slow-drip body (the timeout covers the body too)", async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200);
      const timer = setInterval(() => response.write("."), 50);
      response.on("close", () => clearInterval(timer));
    });
    const quick = createSenderFor(catalog, { secret: SECRET, now, timeoutMs: 300 });
    await expect(quick.send(server.url, "user.logged_in", { userId: "u" })).rejects.toMatchObject({ code: "timeout" });
  });

  it("a refused connection is a network_error naming only the origin", async () => {
    const server = await listen(() => undefined);
    const url = `${server.url}/secret/path?token=s3cr3t`;
    await server.close();
    const error = await sender.send(url, "user.logged_in", { userId: "u" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "WebhookDeliveryError", code: "network_error", origin: server.url, systemCode: "ECONNREFUSED" });
    expect(JSON.stringify(error) + String(error)).not.toMatch(/s3cr3t|secret\/path|whsec_/);
  });

  it.each([
    ["ftp://example.com/hook", /must use http: or https: \(got "ftp:"\)/],
    ["file:///etc/passwd", /must use http: or https: \(got "file:"\)/],
    ["not a url with s3cr3t", /^Invalid webhook URL: expected an absolute http: or https: URL\.$/],
    ["https://user:s3cr3t@example.com/hook", /must not contain credentials/],
  ])("refuses %s before building or fetching", async (url, message) => {
    const fetch = vi.fn<typeof globalThis.fetch>();
    const generateId = vi.fn(() => "msg_x");
    const guarded = createSenderFor(catalog, { secret: SECRET, fetch, generateId });
    const error = await guarded.send(url, "user.logged_in", { userId: "u" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain("s3cr3t");
    expect(fetch).not.toHaveBeenCalled();
    expect(generateId).not.toHaveBeenCalled();
  });

  it("an invalid payload never reaches fetch", async () => {
    const fetch = vi.fn<typeof globalThis.fetch>();
    const guarded = createSenderFor(catalog, { secret: SECRET, fetch });
    const bad = { ...orderExample, items: [] } as OrderCreated;
    await expect(guarded.send("https://example.com", "order.created", bad)).rejects.toThrow(PayloadValidationError);
    expect(fetch).not.toHaveBeenCalled();
  });

  it("uses the injected fetch with manual redirects, a timeout signal and the user agent", async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(async () => new Response("ok", { status: 200 }));
    const custom = createSenderFor(catalog, { secret: SECRET, now, fetch, userAgent: "acme/1.0", generateId: () => "msg_f" });
    await expect(custom.send(new URL("https://example.com/a?b=c"), "user.logged_in", { userId: "u" })).resolves.toMatchObject({
      ok: true,
      status: 200,
      responseBody: "ok",
    });
    const [url, init] = fetch.mock.calls[0] ?? [];
    expect(String(url)).toBe("https://example.com/a?b=c");
    expect(init).toMatchObject({ method: "POST", redirect: "manual", headers: { "user-agent": "acme/1.0", "webhook-id": "msg_f" } });
    expect(init?.signal).toBeInstanceOf(AbortSignal);
  });
});
