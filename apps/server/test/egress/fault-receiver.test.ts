import http from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFaultReceiver, type FaultReceiver } from "../support/fault-receiver.js";

/** A bare node:http client with its own agent, so these tests do not depend on the egress module. */
function post(url: string, body = "hello"): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("fault receiver", () => {
  let rx: FaultReceiver;
  beforeEach(async () => {
    rx = await startFaultReceiver();
  });
  afterEach(async () => {
    await rx.close();
  });

  it("answers 200 {ok:true} on unscripted paths and records the request", async () => {
    const res = await post(`${rx.url}/any?x=1`, "payload");
    expect(res).toMatchObject({ status: 200, body: '{"ok":true}' });
    expect(rx.requests).toHaveLength(1);
    expect(rx.requests[0]).toMatchObject({ method: "POST", path: "/any" });
    expect(rx.requests[0]?.body.toString()).toBe("payload");
  });

  it("consumes steps in order and repeats the last one", async () => {
    rx.script("/s", [{ status: 500 }, { status: 201, body: "made" }]);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(`${rx.url}/s`)).status);
    expect(statuses).toEqual([500, 201, 201]);
  });

  it("passes the per-path request count to a function script", async () => {
    rx.script("/f", (_req, n) => ({ status: 200 + n }));
    expect((await post(`${rx.url}/f`)).status).toBe(200);
    expect((await post(`${rx.url}/f`)).status).toBe(201);
  });

  it("surfaces Retry-After and redirect Location", async () => {
    rx.script("/ra", [{ status: 429, retryAfter: "7" }]);
    rx.script("/r", [{ redirect: { status: 307, location: "/elsewhere" } }]);
    expect((await post(`${rx.url}/ra`)).headers["retry-after"]).toBe("7");
    const redirected = await post(`${rx.url}/r`);
    expect(redirected.status).toBe(307);
    expect(redirected.headers.location).toBe("/elsewhere");
  });

  it("resets the socket", async () => {
    rx.script("/reset", [{ reset: true }]);
    await expect(post(`${rx.url}/reset`)).rejects.toMatchObject({ code: "ECONNRESET" });
  });

  it("counts in-flight hanging requests and releases them on close", async () => {
    rx.script("/hang", [{ hang: true }]);
    const pending = [post(`${rx.url}/hang`), post(`${rx.url}/hang`)].map((p) => p.catch((e: unknown) => e));
    await rx.waitFor((reqs) => reqs.length === 2);
    expect(rx.inFlight("/hang")).toBe(2);
    expect(rx.maxInFlight()).toBe(2);
    await rx.close();
    await Promise.all(pending);
    expect(rx.inFlight()).toBe(0);
  });

  it("drips a body and streams a huge one", async () => {
    rx.script("/drip", [{ dripBody: { chunk: "ab", everyMs: 5, totalBytes: 7 } }]);
    rx.script("/huge", [{ hugeBody: { bytes: 1_000_000 } }]);
    expect((await post(`${rx.url}/drip`)).body).toBe("abababa");
    expect((await post(`${rx.url}/huge`)).body).toHaveLength(1_000_000);
  });

  it("counts TCP connections", async () => {
    await post(rx.url);
    await post(rx.url);
    expect(rx.connectionCount()).toBe(2);
  });

  it("waitFor rejects with the number of requests seen", async () => {
    await expect(rx.waitFor((reqs) => reqs.length > 0, 50)).rejects.toThrow(/0 request/);
  });
});
