/**
 * Stalled and slow clients (slowloris) cannot hold the API's connections: the header section and the
 * whole request have deadlines, idle connections are closed, connections past the cap are refused,
 * and a normal client is served meanwhile.
 */
import type { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { openStalled, rawRequest, requestText } from "../support/raw-http.js";
import { API_KEY, startServer, waitUntil } from "../support/server.js";

const AUTH = `Authorization: Bearer ${API_KEY}\r\n`;

function stalledBody(): string {
  // Headers complete, 8 bytes of a 1,000-byte body.
  return `POST /v1/endpoints HTTP/1.1\r\nHost: x\r\n${AUTH}Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"url":"`;
}

describe("slow and stalled API clients", () => {
  it("cuts connections whose headers or body stall, answers them 408 in the error shape, and serves others meanwhile", {
    timeout: 30_000,
  }, async () => {
    const server = await startServer({ config: { httpHeadersTimeoutMs: 1000, httpRequestTimeoutMs: 2000, httpIdleTimeoutMs: 3000 } });
    const sockets: (Socket & { closedAt?: number })[] = [];
    try {
      const opened = Date.now();
      for (let i = 0; i < 100; i++) sockets.push(await openStalled(server.url, stalledBody()));
      for (let i = 0; i < 50; i++) sockets.push(await openStalled(server.url, `GET /v1/endpoints HTTP/1.1\r\nHost: x\r\n${AUTH}X-Slow: `));
      // Content-Length larger than the body actually sent, then nothing.
      for (let i = 0; i < 50; i++)
        sockets.push(
          await openStalled(
            server.url,
            `POST /v1/endpoints HTTP/1.1\r\nHost: x\r\n${AUTH}Content-Type: application/json\r\nContent-Length: 50\r\n\r\n{}`,
          ),
        );

      // A normal client is served while they hang.
      const served = await rawRequest(server.url, requestText("GET", "/v1/endpoints", { Authorization: `Bearer ${API_KEY}` }));
      expect(served.status).toBe(200);

      await waitUntil(() => sockets.every((s) => s.closedAt !== undefined), 15_000, "every stalled connection closed");
      const slowest = Math.max(...sockets.map((s) => (s.closedAt ?? 0) - opened));
      // Request deadline (2 s) + the server's 1 s check interval + scheduling slack on a busy machine.
      expect(slowest).toBeLessThan(10_000);
    } finally {
      for (const s of sockets) s.destroy();
      await server.close();
    }
  });

  it("tells a client whose request timed out why, in the API's error shape", { timeout: 20_000 }, async () => {
    const server = await startServer({ config: { httpHeadersTimeoutMs: 500, httpRequestTimeoutMs: 1000 } });
    try {
      const res = await rawRequest(server.url, stalledBody(), 10_000);
      expect(res.status).toBe(408);
      expect(JSON.parse(res.body)).toEqual({
        error: { code: "request_timeout", message: expect.stringContaining("not received in time") },
      });
    } finally {
      await server.close();
    }
  });

  it("closes an idle keep-alive connection", { timeout: 20_000 }, async () => {
    const server = await startServer({ config: { httpHeadersTimeoutMs: 500, httpRequestTimeoutMs: 1000, httpIdleTimeoutMs: 1000 } });
    try {
      const socket = await openStalled(server.url, `GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n`);
      await waitUntil(() => socket.closedAt !== undefined, 10_000, "idle connection closed");
    } finally {
      await server.close();
    }
  });

  it("refuses connections past HOOKLINE_HTTP_MAX_CONNECTIONS and serves again once stalled ones are cut", { timeout: 30_000 }, async () => {
    const server = await startServer({ config: { httpHeadersTimeoutMs: 1000, httpRequestTimeoutMs: 2000, httpMaxConnections: 20 } });
    const sockets: (Socket & { closedAt?: number })[] = [];
    try {
      for (let i = 0; i < 30; i++) sockets.push(await openStalled(server.url, stalledBody()));
      await new Promise((r) => setTimeout(r, 300));
      const open = sockets.filter((s) => s.closedAt === undefined).length;
      expect(open).toBeLessThanOrEqual(20);
      await waitUntil(() => sockets.every((s) => s.closedAt !== undefined), 15_000, "stalled connections cut");
      const res = await rawRequest(server.url, requestText("GET", "/healthz"));
      expect(res.status).toBe(200);
    } finally {
      for (const s of sockets) s.destroy();
      await server.close();
    }
  });
});
