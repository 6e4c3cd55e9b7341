/**
 * Receivers' response headers are shown on the dashboard, so they are stored: capped at 8 KiB, as
 * untrusted text. A raw TCP receiver answers with header sections no well-behaved HTTP server
 * would write (both backends).
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { example, startServer, waitUntil, type TestServer } from "../support/server.js";

type Item = Record<string, any>;

/** Raw header lines per path, each answered `HTTP/1.1 200` with them and an empty body. */
const RESPONSES: Record<string, () => Buffer> = {
  "/ten-thousand": () => headerBlock(Array.from({ length: 10_000 }, (_, i) => `x-h${i}: v`)),
  "/many-small": () => headerBlock(Array.from({ length: 600 }, (_, i) => `x-n${i}: ${"v".repeat(12)}`)),
  "/huge-value": () => headerBlock([`x-big: ${"A".repeat(15_000)}`]),
  "/odd-bytes": () =>
    Buffer.concat([
      headerBlock(
        ["x-html: <script>alert(1)</script>\t\"'&", "__proto__: polluted", "set-cookie: a=1", "set-cookie: b=2", "constructor: x"],
        false,
      ),
      Buffer.from([0x78, 0x2d, 0x6c, 0x61, 0x74, 0x69, 0x6e, 0x3a, 0x20, 0xff, 0xfe, 0x0d, 0x0a, 0x0d, 0x0a]),
    ]),
  "/nul": () => headerBlock(["x-nul: a\u0000b"]),
  "/control": () => headerBlock(["x-ctl: a\u0001b\u001b[31mc\u007f"]),
};

function headerBlock(lines: string[], end = true): Buffer {
  return Buffer.from(
    `HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n${lines.map((l) => `${l}\r\n`).join("")}${end ? "\r\n" : ""}`,
    "latin1",
  );
}

/** Answers once the whole request (headers and content-length bytes) has arrived. */
function startRawReceiver(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let data = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const end = data.indexOf("\r\n\r\n");
      if (end < 0) return;
      const head = data.subarray(0, end).toString("latin1");
      const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
      if (data.length < end + 4 + length) return;
      const path = head.split(" ")[1] ?? "/";
      const respond = RESPONSES[path];
      socket.end(respond === undefined ? headerBlock([]) : respond());
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

describe("hostile response headers", () => {
  let server: TestServer;
  let receiver: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    receiver = await startRawReceiver();
    server = await startServer({ config: { retrySchedule: [] } });
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  const attemptFor = async (path: string): Promise<Item> => {
    const ep = (await server.api("POST", "/v1/endpoints", { url: `${receiver.url}${path}`, tenant: `hostile${path.replaceAll("/", "-")}` }))
      .body.id as string;
    const event = await server.api("POST", "/v1/events", {
      type: "order.created",
      payload: example("order.created"),
      tenant: `hostile${path.replaceAll("/", "-")}`,
    });
    expect(event.status).toBe(202);
    const attempts = await waitUntil(
      async () => {
        const res = await server.api("GET", `/v1/endpoints/${ep}/attempts`);
        expect(res.status).toBe(200);
        return (res.body.data as Item[])[0];
      },
      10_000,
      `an attempt to ${path}`,
    );
    return attempts;
  };
  const storedBytes = async (attemptId: string): Promise<string> =>
    (await server.query<{ response_headers: string | null }>("SELECT response_headers FROM attempts WHERE id = $1", [attemptId]))[0]
      ?.response_headers ?? "";
  const headerBytes = (headers: Record<string, string>): number =>
    Object.entries(headers).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);

  it("10,000 headers: one failed attempt (the header section is over the client's limit), nothing stored past the cap", async () => {
    const attempt = await attemptFor("/ten-thousand");
    if (attempt.responseHeaders === null) {
      expect(attempt).toMatchObject({ status: "failed", statusCode: null, responseHeadersTruncated: false });
      expect(attempt.error.code).toEqual(expect.any(String));
    } else {
      expect(attempt.responseHeadersTruncated).toBe(true);
      expect(headerBytes(attempt.responseHeaders)).toBeLessThanOrEqual(8192 + 2);
    }
    expect((await storedBytes(attempt.id)).length).toBeLessThan(12_000);
  });

  it("600 headers within the client's limit: kept in order up to 8 KiB, marked truncated", async () => {
    const attempt = await attemptFor("/many-small");
    expect(attempt).toMatchObject({ status: "succeeded", statusCode: 200, responseHeadersTruncated: true });
    const names = Object.keys(attempt.responseHeaders);
    expect(names.slice(0, 3)).toEqual(["content-length", "connection", "x-n0"]);
    expect(names.length).toBeGreaterThan(300);
    expect(names.length).toBeLessThan(600);
    expect(headerBytes(attempt.responseHeaders)).toBeLessThanOrEqual(8192 + 2);
    expect((await storedBytes(attempt.id)).length).toBeLessThan(12_000);
  });

  it("a 15,000-byte value is cut at the cap", async () => {
    const attempt = await attemptFor("/huge-value");
    expect(attempt.responseHeadersTruncated).toBe(true);
    expect(attempt.responseHeaders["x-big"]).toMatch(/^A{8000,8192}$/);
    expect(headerBytes(attempt.responseHeaders)).toBeLessThanOrEqual(8192 + 2);
  });

  it("markup, latin-1 bytes, __proto__ and repeated set-cookie stay plain text in a plain object", async () => {
    const attempt = await attemptFor("/odd-bytes");
    expect(attempt.status, JSON.stringify(attempt.error)).toBe("succeeded");
    const headers = attempt.responseHeaders as Record<string, string>;
    expect(headers["x-html"]).toBe("<script>alert(1)</script>\t\"'&");
    // The HTTP client drops a header named __proto__ (never a prototype change); if kept, it is plain text.
    const own = Object.getOwnPropertyDescriptor(headers, "__proto__");
    if (own !== undefined) expect(own.value).toBe("polluted");
    expect(headers["set-cookie"]).toBe("a=1, b=2");
    expect(headers["constructor"]).toBe("x");
    expect(headers["x-latin"]).toBe("\u00ff\u00fe");
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(attempt.responseHeadersTruncated).toBe(false);
  });

  it("control characters in a header value: the client refuses the response, a failed attempt without headers", async () => {
    const attempt = await attemptFor("/control");
    expect(attempt).toMatchObject({ status: "failed", statusCode: null, responseHeaders: null, error: { code: "network_error" } });
  });

  it("U+0000 in a header: refused by the client or stored replaced, never a failed write", async () => {
    const attempt = await attemptFor("/nul");
    expect(JSON.stringify(attempt)).not.toContain("\\u0000");
    expect(await storedBytes(attempt.id)).not.toContain("\u0000");
    // The server still answers and records attempts.
    expect((await server.api("GET", "/v1/deliveries?limit=1")).status).toBe(200);
  });
});
