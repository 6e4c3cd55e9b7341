/**
 * The API client's retry and idempotency rules, over real HTTP on loopback against a scripted
 * stand-in for the server (the end-to-end test against the real server lives in apps/server).
 */

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createClientFor, HooklineApiError, parseRetryAfter, PayloadValidationError } from "../../src/index.js";
import { catalog, loginExample, orderExample } from "../fixtures/catalog.js";

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: unknown;
}

type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | "reset";

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function scripted(answers: Answer[]): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      seen.push({
        method: req.method ?? "",
        url: req.url ?? "",
        authorization: req.headers.authorization,
        body: text === "" ? undefined : JSON.parse(text),
      });
      const answer = answers[Math.min(seen.length - 1, answers.length - 1)] ?? { status: 200 };
      if (answer === "reset") {
        req.socket.destroy();
        return;
      }
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
      res.end(answer.body === undefined ? "" : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const accepted = { id: "evt_1", type: "order.created", tenant: null, createdAt: "2026-01-01T00:00:00Z", deliveries: 1 };

function client(url: string, delays: number[] = []) {
  return createClientFor(catalog, {
    baseUrl: url,
    apiKey: "hk_test_key",
    sleep: async (ms) => void delays.push(ms),
    random: () => 0.5,
    now: () => 0,
  });
}

describe("send", () => {
  it("validates locally and sends nothing for an invalid payload", async () => {
    const { url, seen } = await scripted([{ status: 202, body: accepted }]);
    await expect(client(url).send("order.created", { ...orderExample, items: "none" } as never)).rejects.toBeInstanceOf(
      PayloadValidationError,
    );
    expect(seen).toHaveLength(0);
  });

  it("retries 503, 429 and connection resets with the same event id, honouring Retry-After", async () => {
    const { url, seen } = await scripted([
      { status: 503, headers: { "retry-after": "2" } },
      "reset",
      { status: 429 },
      { status: 202, body: accepted },
    ]);
    const delays: number[] = [];
    const result = await client(url, delays).send("order.created", orderExample);
    expect(result).toEqual(accepted);
    expect(seen).toHaveLength(4);
    const ids = seen.map((s) => (s.body as { id: string }).id);
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^evt_[0-9A-Z]{26}$/);
    expect(delays[0]).toBe(2000);
    expect(seen.every((s) => s.authorization === "Bearer hk_test_key")).toBe(true);
  });

  it("does not retry a 4xx, and surfaces the server's error code, message and details", async () => {
    const error = { error: { code: "invalid_payload", message: "bad", details: [{ path: "/userId", message: "is required" }] } };
    const { url, seen } = await scripted([{ status: 422, body: error }]);
    const failure = await client(url)
      .send("user.logged_in", loginExample, { id: "evt_fixed", tenant: "acme" })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(HooklineApiError);
    expect(failure).toMatchObject({ status: 422, code: "invalid_payload", details: error.error.details });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.body).toEqual({ type: "user.logged_in", payload: loginExample, id: "evt_fixed", tenant: "acme" });
  });

  it("gives up after maxRetries with the last failure", async () => {
    const { url, seen } = await scripted([{ status: 500, body: { error: { code: "internal_error", message: "boom" } } }]);
    await expect(client(url).send("order.created", orderExample)).rejects.toMatchObject({ status: 500, code: "internal_error" });
    expect(seen).toHaveLength(4);
  });
});

describe("endpoint management", () => {
  it("does not repeat a non-idempotent create after an unknown outcome, but does after 503", async () => {
    const reset = await scripted(["reset", { status: 201, body: {} }]);
    await expect(client(reset.url).endpoints.create({ url: "https://example.com/hooks" })).rejects.toMatchObject({
      status: 0,
      code: "network_error",
    });
    expect(reset.seen).toHaveLength(1);
    await close?.();
    const busy = await scripted([{ status: 503 }, { status: 201, body: { id: "ep_1", secret: "whsec_x" } }]);
    await expect(
      client(busy.url).endpoints.create({ url: "https://example.com/hooks", eventTypes: ["order.*", "user.logged_in"] }),
    ).resolves.toMatchObject({ id: "ep_1" });
    expect(busy.seen.map((s) => s.method)).toEqual(["POST", "POST"]);
  });

  it("builds paths and queries", async () => {
    const { url, seen } = await scripted([{ status: 200, body: { data: [], nextCursor: null } }]);
    await client(url).endpoints.list({ tenant: "acme corp", limit: 10 });
    await client(url).events.attempts("evt_1", { after: "abc" });
    expect(seen.map((s) => s.url)).toEqual(["/v1/endpoints?tenant=acme+corp&limit=10", "/v1/events/evt_1/attempts?after=abc"]);
  });
});

describe("options", () => {
  it.each([
    ["a query in baseUrl", { baseUrl: "http://127.0.0.1:1/hookline?x=1" }],
    ["a non-http baseUrl", { baseUrl: "ftp://127.0.0.1/" }],
    ["an infinite retry count", { maxRetries: Number.POSITIVE_INFINITY }],
    ["a NaN retry count", { maxRetries: Number.NaN }],
    ["a zero timeout", { timeoutMs: 0 }],
  ])("refuses %s", (_name, override) => {
    expect(() => createClientFor(catalog, { baseUrl: "http://127.0.0.1:1", apiKey: "k", ...override })).toThrow();
  });

  it("keeps a path prefix of the base URL", async () => {
    const { url, seen } = await scripted([{ status: 200, body: { data: [] } }]);
    await createClientFor(catalog, { baseUrl: `${url}/hookline`, apiKey: "k" }).eventTypes.list();
    expect(seen[0]?.url).toBe("/hookline/v1/event-types");
  });
});

describe("parseRetryAfter", () => {
  it.each([
    ["seconds", "3", 3000],
    ["an HTTP date", "Thu, 01 Jan 1970 00:00:05 GMT", 5000],
    ["a date in the past", "Thu, 01 Jan 1970 00:00:00 GMT", 0],
    ["garbage", "soon", undefined],
    ["a negative number", "-1", undefined],
    ["a bare year", "2030", 2_030_000],
  ])("reads %s", (_name, value, expected) => {
    expect(parseRetryAfter(value, 0)).toBe(expected);
  });
});
