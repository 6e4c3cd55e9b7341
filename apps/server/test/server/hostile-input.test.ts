/**
 * Input an attacker or a careless client sends: deep nesting, NUL characters, malformed targets and
 * headers. Each gets a 4xx in the API's error shape, the same on both backends; never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFaultReceiver, type FaultReceiver } from "../support/fault-receiver.js";
import { rawRequest, requestText } from "../support/raw-http.js";
import { API_KEY, example, startServer, waitUntil, type TestServer } from "../support/server.js";

const nested = (depth: number, leaf = "1"): string => "[".repeat(depth) + leaf + "]".repeat(depth);
const nestedObject = (depth: number): string => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

function expectErrorShape(text: string, context: string): { code: string; message: string; details?: unknown } {
  const body = JSON.parse(text) as { error: { code: string; message: string; details?: unknown } };
  expect(Object.keys(body), context).toEqual(["error"]);
  expect(typeof body.error.code, context).toBe("string");
  expect(body.error.code, context).toMatch(/^[a-z_]+$/);
  expect(body.error.message.length, context).toBeGreaterThan(10);
  return body.error;
}

describe("hostile input", () => {
  let server: TestServer;
  let receiver: FaultReceiver;
  let endpointId: string;

  beforeAll(async () => {
    receiver = await startFaultReceiver();
    server = await startServer();
    endpointId = (await server.api("POST", "/v1/endpoints", { url: `${receiver.url}/hook`, eventTypes: ["order.created"] })).body.id;
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  describe("deep nesting is refused before any recursive work", () => {
    it.each([
      ["an event payload 8,300 levels deep", "POST", "/v1/events", `{"type":"order.created","payload":{"deep":${nested(8300)}}}`],
      ["an event payload one level past the limit", "POST", "/v1/events", `{"type":"order.created","payload":{"deep":${nested(63)}}}`],
      [
        "endpoint metadata 4,500 levels deep",
        "POST",
        "/v1/endpoints",
        `{"url":"http://127.0.0.1:9/x","metadata":{"m":${nestedObject(4500)}}}`,
      ],
      ["a PATCH of metadata 4,500 levels deep", "PATCH", "/v1/endpoints/:id", `{"metadata":{"m":${nestedObject(4500)}}}`],
      ["a replay body 30,000 levels deep", "POST", "/v1/events/evt_x/replay", nested(30_000)],
    ])("%s → 400 json_too_deep", async (_name, method, path, body) => {
      const res = await server.raw(method, path.replace(":id", endpointId), body);
      expect(res.status).toBe(400);
      const error = expectErrorShape(res.text, path);
      expect(error.code).toBe("json_too_deep");
      expect(error.message).toContain("64 levels");
    });

    it("accepts nesting up to the limit, and brackets inside strings do not count", async () => {
      const metadata = `{"m":${nestedObject(62)},"s":"${"[".repeat(500)}"}`;
      const created = await server.raw("POST", "/v1/endpoints", `{"url":"http://127.0.0.1:9/x","metadata":${metadata}}`);
      expect(created.status, created.text).toBe(201);
      expect(JSON.stringify(created.body.metadata)).toBe(JSON.stringify(JSON.parse(metadata)));
    });
  });

  describe("NUL characters", () => {
    it.each([
      ["description", "POST", "/v1/endpoints", { url: "http://127.0.0.1:9/x", description: "a\u0000b" }, "/description"],
      ["url", "POST", "/v1/endpoints", { url: "http://127.0.0.1:9/x\u0000y" }, "/url"],
      ["a metadata value", "POST", "/v1/endpoints", { url: "http://127.0.0.1:9/x", metadata: { k: ["ok", "x\u0000"] } }, "/metadata/k/1"],
      ["a metadata key", "POST", "/v1/endpoints", { url: "http://127.0.0.1:9/x", metadata: { "k\u0000": 1 } }, "/metadata/k\u0000"],
      ["a PATCHed description", "PATCH", "/v1/endpoints/:id", { description: "\u0000" }, "/description"],
      ["an event tenant", "POST", "/v1/events", { type: "order.created", tenant: "t\u0000", payload: example("order.created") }, "/tenant"],
      ["an event type", "POST", "/v1/events", { type: "order.created\u0000", payload: example("order.created") }, "/type"],
    ])("in %s → 400 invalid_character naming the field", async (_name, method, path, body, pointer) => {
      const res = await server.api(method, path.replace(":id", endpointId), body);
      expect(res.status, res.text).toBe(400);
      const error = expectErrorShape(res.text, pointer);
      expect(error.code).toBe("invalid_character");
      expect(error.details).toEqual([{ in: "body", path: pointer, message: "must not contain U+0000" }]);
    });

    it.each([
      ["/v1/events?type=%00", "type"],
      ["/v1/events?tenant=a%00", "tenant"],
      ["/v1/deliveries?status=failed&endpointId=%00", "endpointId"],
      ["/v1/endpoints?after=%00", "after"],
      ["/v1/endpoints/ep_%00", "id"],
      ["/v1/event-types/order.%00", "type"],
    ])("in %s → 400, not a database error", async (path, name) => {
      const res = await server.api("GET", path);
      expect(res.status, res.text).toBe(400);
      const error = expectErrorShape(res.text, path);
      if (error.code === "invalid_character") expect(error.message).toContain(name);
    });

    it.each([
      ["a description", "POST", "/v1/endpoints", '{"url":"http://127.0.0.1:9/x","description":"a\\udc00b"}', "/description"],
      ["a PATCHed description", "PATCH", "/v1/endpoints/:id", '{"description":"\\ud800"}', "/description"],
      ["a metadata key", "POST", "/v1/endpoints", '{"url":"http://127.0.0.1:9/x","metadata":{"k\\ud83d":1}}', "/metadata/k\ud83d"],
    ])(
      "an unpaired surrogate escape in %s (SQLite and PostgreSQL stored it differently) → 400 invalid_character",
      async (_name, method, path, body, pointer) => {
        const res = await server.raw(method, path.replace(":id", endpointId), body);
        expect(res.status, res.text).toBe(400);
        const error = expectErrorShape(res.text, pointer);
        expect(error.code).toBe("invalid_character");
        expect(error.details).toEqual([
          { in: "body", path: pointer, message: "must not contain an unpaired surrogate (U+D800 to U+DFFF)" },
        ]);
      },
    );

    it("accepts a surrogate pair (an emoji written as escapes) in a text field, stored alike on both backends", async () => {
      const res = await server.raw("POST", "/v1/endpoints", '{"url":"http://127.0.0.1:9/x","description":"ok \\ud83d\\ude00"}');
      expect(res.status, res.text).toBe(201);
      expect((await server.api("GET", `/v1/endpoints/${res.body.id}`)).body.description).toBe("ok \u{1F600}");
    });

    it("leaves NUL characters in an event payload alone: stored and delivered byte for byte", async () => {
      receiver.script("/hook", [{ status: 200 }]);
      const order = example("order.created") as { lineItems: { name: string }[] };
      (order.lineItems[0] as { name: string }).name = "nul:\u0000:end";
      const payload = JSON.stringify(order);
      const body = `{"type":"order.created","payload":${payload}}`;
      const accepted = await server.raw("POST", "/v1/events", body);
      expect(accepted.status, accepted.text).toBe(202);
      const delivered = await waitUntil(() => receiver.requests.find((r) => r.body.toString("utf8").includes("nul:")), 5000, "delivery");
      expect(delivered.body.toString("utf8")).toContain(`"data":${payload}`);
      expect(payload).toContain("nul:\\u0000:end");
    });

    it("stores a receiver's answer that contains NUL bytes (the attempt is recorded, the delivery succeeds)", async () => {
      const ep = (await server.api("POST", "/v1/endpoints", { url: `${receiver.url}/nul-answer`, eventTypes: ["order.shipped"] })).body
        .id as string;
      receiver.script("/nul-answer", [{ status: 200, body: "ok\u0000\u0000done" }]);
      const id = (await server.api("POST", "/v1/events", { type: "order.shipped", payload: example("order.shipped") })).body.id as string;
      await waitUntil(
        async () =>
          (await server.api("GET", `/v1/events/${id}`)).body.deliveries.find((d: { endpointId: string }) => d.endpointId === ep)?.status ===
          "delivered",
        8000,
        "delivered",
      );
      const attempts = await server.api("GET", `/v1/endpoints/${ep}/attempts`);
      expect(attempts.body.data[0].responseBody).toBe("ok\uFFFD\uFFFDdone");
    });
  });

  describe("every error answer has the API's shape", () => {
    const auth = { Authorization: `Bearer ${API_KEY}` };
    it.each([
      ["malformed percent-encoding", requestText("GET", "/v1/endpoints/%ZZ", auth), 400, "invalid_url"],
      ["an id over 100 characters", requestText("GET", `/v1/endpoints/ep_${"a".repeat(200)}`, auth), 414, "uri_too_long"],
      ["oversized headers", requestText("GET", "/v1/endpoints", { ...auth, "X-Big": "a".repeat(20_000) }), 431, "headers_too_large"],
      [
        "a header name with a control character",
        `GET /v1/endpoints HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${API_KEY}\r\nX-\u0001: y\r\n\r\n`,
        400,
        "malformed_request",
      ],
      ["a request line that is not HTTP", "HELLO\r\n\r\n", 400, "malformed_request"],
      [
        "an Expect header other than 100-continue",
        requestText("POST", "/v1/endpoints", { ...auth, Expect: "x-unknown", "Content-Type": "application/json" }, "{}"),
        417,
        "expectation_failed",
      ],
      [
        "a body shorter than its chunked framing says",
        `POST /v1/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\nzz\r\n`,
        400,
        "malformed_request",
      ],
    ])("%s answers in the error shape", async (_name, request, status, code) => {
      const res = await rawRequest(server.url, request);
      expect(res.status).toBe(status);
      expect(res.head.toLowerCase()).toContain("content-type: application/json");
      expect(expectErrorShape(res.body, String(status)).code).toBe(code);
    });

    it("holds for 2,000 fuzzed requests: no 5xx, every 4xx in the shape", { timeout: 60_000 }, async () => {
      let seed = 0x5eed;
      const random = (n: number): number => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed % n;
      };
      const pieces = [
        "/v1",
        "/events",
        "/endpoints",
        `/${endpointId}`,
        "/evt_x",
        "/%ZZ",
        "/%00",
        "/..",
        "//",
        "/secret",
        "/attempts",
        "/replay",
        "?limit=999",
        "?after=%",
        "?type=%00",
        `/${"x".repeat(120)}`,
        ";",
        "%2F",
        "/deliveries",
        "/event-types",
      ];
      const methods = ["GET", "POST", "PATCH", "DELETE", "PUT", "HEAD", "OPTIONS"];
      const bodies = [
        "",
        "{",
        "[]",
        "null",
        '{"url":1}',
        `{"metadata":${nestedObject(70)}}`,
        '{"__proto__":{}}',
        `{"url":"http://127.0.0.1:9/\u0000"}`,
        '"\\ud800"',
      ];
      const failures: string[] = [];
      for (let batch = 0; batch < 100; batch++) {
        await Promise.all(
          Array.from({ length: 20 }, async () => {
            let target = "";
            for (let i = 0, n = 1 + random(4); i < n; i++) target += pieces[random(pieces.length)];
            const method = methods[random(methods.length)] as string;
            const body = bodies[random(bodies.length)] as string;
            const headers: Record<string, string> = random(4) === 0 ? {} : { ...auth };
            if (body !== "") headers["Content-Type"] = random(5) === 0 ? "text/plain" : "application/json";
            const res = await rawRequest(server.url, requestText(method, target || "/", headers, body));
            if (res.status >= 500 || res.status === 0)
              failures.push(`${method} ${target} ${body} → ${res.status} ${res.body.slice(0, 120)}`);
            else if (res.status >= 400 && method !== "HEAD") {
              try {
                expectErrorShape(res.body, target);
              } catch {
                failures.push(`${method} ${target} ${body} → ${res.status} ${res.body.slice(0, 120)}`);
              }
            }
          }),
        );
      }
      expect(failures.slice(0, 10)).toEqual([]);
    });
  });
});
