/**
 * A client that stalls half-way through a request keeps its connection busy: graceful shutdown
 * waits for it only until HOOKLINE_SHUTDOWN_TIMEOUT_MS (not the much longer request timeout), then
 * closes it, so a SIGTERM always ends the process in bounded time.
 */
import { connect, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { API_KEY, startServer } from "../support/server.js";

describe("shutdown with a stalled client", () => {
  it("closes the stalled connection at the shutdown deadline", { timeout: 30_000 }, async () => {
    const server = await startServer({
      config: { shutdownTimeoutMs: 500, httpRequestTimeoutMs: 60_000, httpHeadersTimeoutMs: 60_000 },
      deps: { startWorker: false },
    });
    const { port } = new URL(server.url);
    const socket: Socket = connect(Number(port), "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", resolve));
    let closedByServer = false;
    socket.on("close", () => {
      closedByServer = true;
    });
    socket.on("error", () => undefined);
    // Headers and the first bytes of a 100 kB body, then nothing: the request stays in progress.
    socket.write(
      `POST /v1/events HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${API_KEY}\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{"type":`,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    await server.close();
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(400);
    expect(took).toBeLessThan(10_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closedByServer).toBe(true);
    socket.destroy();
  });
});
