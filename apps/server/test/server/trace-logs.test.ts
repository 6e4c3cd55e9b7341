/**
 * At the most verbose log level, malformed and hostile requests that carry the API key must not put
 * it in the log in any encoding: Node's parser errors hold the raw request bytes (`rawPacket`), which
 * a logger writes as numbers, so a plain text search is not enough.
 */
import { describe, expect, it } from "vitest";
import { openStalled, rawRequest, requestText } from "../support/raw-http.js";
import { API_KEY, startServer, waitUntil } from "../support/server.js";

/** Every way a logger might have written `secret`: text, escaped, bytes as numbers, base64 (any alignment), hex, URL-encoded. */
export function encodingsOf(secret: string): string[] {
  const bytes = Buffer.from(secret);
  const out = [
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    bytes.toString("hex"),
    bytes.toString("hex").toUpperCase(),
  ];
  out.push([...bytes].join(","), [...bytes].join(", "), [...bytes].join(" "));
  for (let skip = 0; skip < 3; skip++) {
    const slice = bytes.subarray(skip, skip + 3 * Math.floor((bytes.length - skip) / 3));
    out.push(slice.toString("base64"), slice.toString("base64url"));
  }
  return out;
}

describe("the API key never reaches the logs, even at trace level", () => {
  it("checks its own encodings list finds a key written as a byte array", () => {
    const logged = JSON.stringify({
      err: { rawPacket: { type: "Buffer", data: [...Buffer.from(`GET / HTTP/1.1\r\nAuthorization: Bearer ${API_KEY}\r\n`)] } },
    });
    expect(encodingsOf(API_KEY).some((e) => logged.includes(e))).toBe(true);
    const b64 = Buffer.from(`xyAuthorization: Bearer ${API_KEY}`).toString("base64");
    expect(encodingsOf(API_KEY).some((e) => b64.includes(e))).toBe(true);
  });

  it("after malformed, oversized, stalled and fuzzed requests carrying the key", { timeout: 30_000 }, async () => {
    const server = await startServer({ captureLogs: "trace", config: { httpHeadersTimeoutMs: 500, httpRequestTimeoutMs: 1000 } });
    try {
      const auth = `Authorization: Bearer ${API_KEY}\r\n`;
      const requests = [
        `GET /v1/endpoints HTTP/1.1\r\nHost: x\r\n${auth}X-\u0001: y\r\n\r\n`,
        requestText("GET", "/v1/endpoints", { Authorization: `Bearer ${API_KEY}`, "X-Big": "a".repeat(20_000) }),
        `GET /v1/endpoints HTTP/1.1\r\n${auth}Host: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n`,
        `POST /v1/events HTTP/1.1\r\nHost: x\r\n${auth}Transfer-Encoding: chunked\r\n\r\nzz\r\n`,
        `GET /v1/endpoints/%ZZ HTTP/1.1\r\nHost: x\r\n${auth}Connection: close\r\n\r\n`,
        `GET /v1/endpoints/${"a".repeat(300)} HTTP/1.1\r\nHost: x\r\n${auth}Connection: close\r\n\r\n`,
        `GET /v1/endpoints HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${API_KEY}x\r\nConnection: close\r\n\r\n`,
        `G\u0000T /v1/endpoints HTTP/1.1\r\nHost: x\r\n${auth}\r\n`,
        requestText(
          "POST",
          "/v1/endpoints",
          { Authorization: `Bearer ${API_KEY}`, "Content-Type": "application/json" },
          `{"url":"${API_KEY}"}`,
        ),
        requestText(
          "POST",
          "/v1/events",
          { Authorization: `Bearer ${API_KEY}`, "Content-Type": "application/json" },
          `{"type":"${API_KEY}","payload":{}}`,
        ),
      ];
      for (const request of requests) await rawRequest(server.url, request);
      // A stalled request, cut by the request timeout.
      const stalled = await openStalled(server.url, `POST /v1/endpoints HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: 100\r\n\r\n{`);
      await waitUntil(() => stalled.closedAt !== undefined, 10_000, "stalled request cut");
      // Fuzz: random bytes spliced into an authenticated request.
      let seed = 7;
      const random = (n: number): number => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed % n;
      };
      for (let i = 0; i < 200; i++) {
        const base = Buffer.from(`GET /v1/endpoints HTTP/1.1\r\nHost: x\r\n${auth}Connection: close\r\n\r\n`);
        // Mutate the request line and the headers up to Connection: close, so every connection ends.
        const at = random(base.indexOf("Connection: close"));
        base[at] = random(256);
        await rawRequest(server.url, base);
      }

      const logs = server.logs.join("");
      expect(logs).toContain("client error");
      for (const encoding of encodingsOf(API_KEY))
        expect(logs.includes(encoding), `the log holds the API key as ${encoding.slice(0, 12)}…`).toBe(false);
      expect(logs).not.toContain("rawPacket");
    } finally {
      await server.close();
    }
  });
});
