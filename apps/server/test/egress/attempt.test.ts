import { getEventListeners } from "node:events";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Egress, type AttemptOutcome, type AttemptRequest } from "../../src/egress/index.js";
import { startFaultReceiver, type FaultReceiver } from "../support/fault-receiver.js";
import { closedPort, guardLoopbackOnly, type ConnectLog } from "./helpers.js";

const TIMEOUT_MS = 300;

describe("Egress.attempt over HTTP", () => {
  let rx: FaultReceiver;
  let egress: Egress;
  let log: ConnectLog;

  beforeEach(async () => {
    log = guardLoopbackOnly();
    rx = await startFaultReceiver();
    egress = new Egress({ allow: ["127.0.0.1/32"], httpsOnly: false });
  });
  afterEach(async () => {
    await rx.close();
    await egress.close();
    expect(log.refused).toEqual([]);
    vi.restoreAllMocks();
  });

  const post = (path: string, extra: Partial<AttemptRequest> = {}): Promise<AttemptOutcome> =>
    egress.attempt({
      url: `${rx.url}${path}`,
      headers: { "content-type": "application/json", "user-agent": "Hookline/test", "webhook-id": "msg_1" },
      body: '{"type":"order.shipped"}',
      timeoutMs: TIMEOUT_MS,
      maxResponseBytes: 1024,
      ...extra,
    });

  describe("responses", () => {
    it("returns a 200 with its body, headers and duration", async () => {
      rx.script("/hook", [{ status: 200, body: "thanks", headers: { "x-receiver": "yes" } }]);
      const outcome = await post("/hook");
      expect(outcome).toMatchObject({ kind: "response", statusCode: 200, responseBody: "thanks" });
      expect(outcome.kind === "response" && outcome.headers["x-receiver"]).toBe("yes");
      expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
      expect(outcome).not.toHaveProperty("retryAfter");
    });

    it("sends the exact body bytes with POST and only the caller's headers plus content-length", async () => {
      const body = new Uint8Array([0x7b, 0x7d, 0x00, 0xff]);
      await post("/hook", { body });
      const [req] = rx.requests;
      expect(req?.method).toBe("POST");
      expect(req?.body.equals(Buffer.from(body))).toBe(true);
      expect(req?.headers).toMatchObject({
        "content-type": "application/json",
        "user-agent": "Hookline/test",
        "webhook-id": "msg_1",
        "content-length": "4",
      });
      // host and connection are HTTP/1.1 framing added by undici, not content.
      expect(Object.keys(req?.headers ?? {}).sort()).toEqual(
        ["connection", "content-length", "content-type", "host", "user-agent", "webhook-id"].sort(),
      );
    });

    it("replaces a caller-supplied content-length with the real one", async () => {
      await post("/hook", { headers: { "Content-Length": "999" }, body: "abc" });
      expect(rx.requests[0]?.headers["content-length"]).toBe("3");
    });

    it.each([500, 404, 410, 201, 204])("a %i is a response, not an error", async (status) => {
      rx.script("/hook", [{ status, body: status === 204 ? "" : "nope" }]);
      expect(await post("/hook")).toMatchObject({ kind: "response", statusCode: status });
    });

    it.each([307, 302, 301, 303, 308] as const)("a %i redirect is returned, and its target is never visited", async (status) => {
      rx.script("/hook", [{ redirect: { status, location: "/target" } }]);
      const outcome = await post("/hook");
      expect(outcome).toMatchObject({ kind: "response", statusCode: status });
      expect(outcome.kind === "response" && outcome.headers.location).toBe("/target");
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(rx.requests.map((r) => r.path)).toEqual(["/hook"]);
    });

    it.each([
      [429, "120"],
      [503, "Wed, 21 Oct 2065 07:28:00 GMT"],
      [429, "not-a-number"],
    ] as const)("surfaces Retry-After of a %i raw (%s)", async (status, retryAfter) => {
      rx.script("/hook", [{ status, retryAfter }]);
      expect(await post("/hook")).toMatchObject({ kind: "response", statusCode: status, retryAfter });
    });

    it("does not surface Retry-After on other statuses", async () => {
      rx.script("/hook", [{ status: 500, headers: { "retry-after": "5" } }]);
      const outcome = await post("/hook");
      expect(outcome).toMatchObject({ kind: "response", statusCode: 500 });
      expect(outcome).not.toHaveProperty("retryAfter");
    });
  });

  describe("response body cap", () => {
    it("keeps exactly maxResponseBytes of a longer body", async () => {
      rx.script("/hook", [{ status: 200, body: "x".repeat(5000) }]);
      const outcome = await post("/hook", { maxResponseBytes: 100 });
      expect(outcome.kind === "response" && outcome.responseBody).toBe("x".repeat(100));
    });

    it("never stores half a UTF-8 character", async () => {
      rx.script("/hook", [{ status: 200, body: "€€€" }]);
      const outcome = await post("/hook", { maxResponseBytes: 4 });
      expect(outcome.kind === "response" && outcome.responseBody).toBe("€");
    });

    it("stores nothing with a cap of 0", async () => {
      rx.script("/hook", [{ status: 200, body: "ignored" }]);
      expect(await post("/hook", { maxResponseBytes: 0 })).toMatchObject({ kind: "response", statusCode: 200, responseBody: "" });
    });
  });

  describe("failures", () => {
    it("a reset socket is connection_reset", async () => {
      rx.script("/hook", [{ reset: true }]);
      expect(await post("/hook")).toMatchObject({ kind: "error", code: "connection_reset" });
    });

    it("a closed port is connection_refused", async () => {
      const port = await closedPort();
      const outcome = await egress.attempt({
        url: `http://127.0.0.1:${port}/`,
        headers: {},
        body: "",
        timeoutMs: 1000,
        maxResponseBytes: 10,
      });
      expect(outcome).toMatchObject({
        kind: "error",
        code: "connection_refused",
        message: `connection refused by 127.0.0.1:${port} (ECONNREFUSED)`,
      });
    });

    it("an unparseable URL is invalid_url", async () => {
      expect(await egress.attempt({ url: "not a url", headers: {}, body: "", timeoutMs: 100, maxResponseBytes: 1 })).toMatchObject({
        kind: "error",
        code: "invalid_url",
      });
    });

    it("a non-http scheme is invalid_url", async () => {
      expect(await egress.attempt({ url: "file:///etc/passwd", headers: {}, body: "", timeoutMs: 100, maxResponseBytes: 1 })).toMatchObject(
        {
          kind: "error",
          code: "invalid_url",
        },
      );
    });

    it("http: under httpsOnly is refused at attempt time, before connecting", async () => {
      const strict = new Egress({ allow: ["127.0.0.1/32"], httpsOnly: true });
      expect(await strict.attempt({ url: `${rx.url}/hook`, headers: {}, body: "", timeoutMs: 100, maxResponseBytes: 1 })).toMatchObject({
        kind: "error",
        code: "invalid_url",
      });
      await strict.close();
      expect(rx.connectionCount()).toBe(0);
    });

    it("an invalid request header is a network_error that does not echo its value", async () => {
      const outcome = await post("/hook", { headers: { "x-bad": "line\r\nbreak-secret" } });
      expect(outcome).toMatchObject({ kind: "error", code: "network_error" });
      expect(outcome.kind === "error" && outcome.message).not.toContain("secret");
    });

    it("an attempt after close() is an error outcome, not a throw", async () => {
      await egress.close();
      expect(await post("/hook")).toMatchObject({ kind: "error", code: "network_error" });
    });
  });

  describe("one deadline for connect, headers and body", () => {
    const expectTimeout = (outcome: AttemptOutcome, phase: RegExp): void => {
      expect(outcome).toMatchObject({ kind: "error", code: "timeout" });
      expect(outcome.durationMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
      expect(outcome.durationMs).toBeLessThan(TIMEOUT_MS + 700);
      expect(outcome.kind === "error" && outcome.message).toMatch(phase);
    };

    it("a hanging receiver times out", async () => {
      rx.script("/hook", [{ hang: true }]);
      expectTimeout(await post("/hook"), /^no response headers from 127\.0\.0\.1:\d+ arrived within 300 ms$/);
    });

    it("slow headers time out", async () => {
      rx.script("/hook", [{ slowHeadersMs: 5000 }]);
      expectTimeout(await post("/hook"), /^no response headers from .* arrived within 300 ms$/);
    });

    it("a slow-drip body that never finishes in time times out, though bytes keep arriving", async () => {
      rx.script("/hook", [{ dripBody: { chunk: "x", everyMs: 20, totalBytes: 10_000 } }]);
      expectTimeout(await post("/hook"), /^the response body from 127\.0\.0\.1:\d+ did not finish within 300 ms$/);
    });

    it("a slow response that finishes within the deadline succeeds", async () => {
      rx.script("/hook", [{ dripBody: { chunk: "ab", everyMs: 10, totalBytes: 10 } }]);
      expect(await post("/hook")).toMatchObject({ kind: "response", statusCode: 200, responseBody: "ababababab" });
    });

    it("the connection of a timed-out attempt is closed, not left hanging at the receiver", async () => {
      rx.script("/hook", [{ hang: true }]);
      await post("/hook");
      await vi.waitFor(() => expect(rx.inFlight("/hook")).toBe(0), { timeout: 1000 });
    });

    it("the caller's signal aborts the attempt early", async () => {
      rx.script("/hook", [{ hang: true }]);
      const outcome = await post("/hook", { signal: AbortSignal.timeout(50), timeoutMs: 5000 });
      expect(outcome).toMatchObject({
        kind: "error",
        code: "network_error",
        message: expect.stringMatching(/aborted by the caller/) as unknown,
      });
      expect(outcome.durationMs).toBeLessThan(1000);
    });

    it("leaves no abort listener on a long-lived caller signal", async () => {
      const shutdown = new AbortController();
      for (let i = 0; i < 5; i++) await post("/hook", { signal: shutdown.signal });
      expect(getEventListeners(shutdown.signal, "abort")).toHaveLength(0);
    });
  });

  describe("connection pooling", () => {
    it("20 sequential attempts reuse one keep-alive connection", async () => {
      for (let i = 0; i < 20; i++) {
        expect(await post("/hook")).toMatchObject({ statusCode: 200 });
        // A worker does other I/O between attempts; undici marks a socket free again one tick after the body ends.
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(rx.requests).toHaveLength(20);
      expect(rx.connectionCount()).toBe(1);
    });

    it("20 back-to-back attempts still reuse connections", async () => {
      for (let i = 0; i < 20; i++) expect(await post("/hook")).toMatchObject({ statusCode: 200 });
      // The second attempt can start before undici has released the first socket, so it may open one more.
      expect(rx.connectionCount()).toBeLessThanOrEqual(2);
    });

    it("the connections option caps concurrent connections per origin", async () => {
      const capped = new Egress({ allow: ["127.0.0.1/32"], httpsOnly: false }, { connections: 2 });
      rx.script("/slow", [{ status: 200, delayMs: 50 }]);
      const outcomes = await Promise.all(
        Array.from({ length: 6 }, () =>
          capped.attempt({ url: `${rx.url}/slow`, headers: {}, body: "", timeoutMs: 2000, maxResponseBytes: 10 }),
        ),
      );
      await capped.close();
      expect(outcomes.every((o) => o.kind === "response" && o.statusCode === 200)).toBe(true);
      expect(rx.maxInFlight("/slow")).toBe(2);
      expect(rx.connectionCount()).toBe(2);
    });
  });

  describe("URL credentials", () => {
    const credentialed = (port: number | string, path = "/hook"): string => `http://user:s3cr3t-pass@127.0.0.1:${port}${path}`;
    const port = (): string => new URL(rx.url).port;

    it("are sent as HTTP Basic authorization", async () => {
      const outcome = await egress.attempt({ url: credentialed(port()), headers: {}, body: "", timeoutMs: 1000, maxResponseBytes: 10 });
      expect(outcome).toMatchObject({ kind: "response", statusCode: 200 });
      expect(rx.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from("user:s3cr3t-pass").toString("base64")}`);
    });

    it("yield to an authorization header set by the caller", async () => {
      await egress.attempt({
        url: credentialed(port()),
        headers: { Authorization: "Bearer t" },
        body: "",
        timeoutMs: 1000,
        maxResponseBytes: 10,
      });
      expect(rx.requests[0]?.headers.authorization).toBe("Bearer t");
    });

    it("never appear in any failure message", async () => {
      rx.script("/hang", [{ hang: true }]);
      rx.script("/reset", [{ reset: true }]);
      const base = { headers: { "x-token": "header-secret" }, body: "body-secret", timeoutMs: TIMEOUT_MS, maxResponseBytes: 10 };
      const outcomes = await Promise.all([
        egress.attempt({ ...base, url: credentialed(port(), "/hang") }),
        egress.attempt({ ...base, url: credentialed(port(), "/reset") }),
        egress.attempt({ ...base, url: credentialed(await closedPort()) }),
        new Egress({ allow: [], httpsOnly: false }).attempt({ ...base, url: credentialed(port()) }),
        egress.attempt({ ...base, url: "http://user:s3cr3t-pass@:80/" }),
        egress.attempt({ ...base, url: `http://user:s3cr3t-pass@127.0.0.1:${port()}/?token=query-secret`, signal: AbortSignal.abort() }),
      ]);
      expect(outcomes.map((o) => o.kind === "error" && o.code)).toEqual([
        "timeout",
        "connection_reset",
        "connection_refused",
        "blocked_destination",
        "invalid_url",
        "network_error",
      ]);
      for (const outcome of outcomes) {
        expect(outcome.kind === "error" && outcome.message).not.toMatch(/pass|s3cr3t|secret|user/);
      }
    });
  });
});
