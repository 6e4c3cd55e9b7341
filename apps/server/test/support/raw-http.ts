/**
 * HTTP/1.1 over a plain socket, for request targets and framings that fetch and undici normalise or
 * refuse (percent-encoded and absolute-form targets, stalled bodies, oversized headers).
 */
import { connect, type Socket } from "node:net";

export interface RawResponse {
  status: number;
  head: string;
  body: string;
}

/** Sends `request` as is and reads until the server closes the connection (every request sent asks it to). */
export function rawRequest(url: string, request: string | Buffer, timeoutMs = 5000): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms to ${JSON.stringify(String(request).slice(0, 120))}`));
    }, timeoutMs);
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString("utf8");
      const split = text.indexOf("\r\n\r\n");
      const head = split < 0 ? text : text.slice(0, split);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, head, body: split < 0 ? "" : text.slice(split + 4) });
    });
    socket.write(request);
  });
}

/** A request line and headers, `Connection: close` added. */
export function requestText(method: string, target: string, headers: Record<string, string> = {}, body = ""): string {
  const lines = [`${method} ${target} HTTP/1.1`, "Host: 127.0.0.1", "Connection: close"];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body !== "" || method === "POST" || method === "PATCH") lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join("\r\n")}\r\n\r\n${body}`;
}

/** Opens a connection and sends `bytes`, then keeps it open; resolves once connected. */
export function openStalled(url: string, bytes: string): Promise<Socket & { closedAt?: number }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket: Socket & { closedAt?: number } = connect(Number(port), hostname, () => {
      socket.write(bytes);
      resolve(socket);
    });
    socket.on("data", () => undefined);
    socket.on("error", () => undefined);
    socket.once("error", reject);
    socket.on("close", () => {
      socket.closedAt = Date.now();
    });
  });
}
