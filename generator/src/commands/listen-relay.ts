/**
 * The loopback half of `hookline listen`: an HTTP listener on 127.0.0.1 that the server delivers to,
 * passing each request on to `--forward-to` with the exact body bytes and the delivery headers, and
 * answering the server with the local receiver's status and body (so a failure there is retried by
 * the server like any failed delivery).
 */

import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ForwardedDelivery {
  /** When the delivery arrived. */
  readonly at: Date;
  readonly type: string | undefined;
  /** `webhook-id`: the event id. */
  readonly id: string | undefined;
  /** The local receiver's HTTP status, or undefined when it could not be reached. */
  readonly status: number | undefined;
  readonly latencyMs: number;
  /** The local answer's body (first 2 KiB) or the connection error. */
  readonly detail: string;
}

/** Connection-level headers are the hop's own; everything else (webhook-*, content-type, …) is passed on. */
const HOP_BY_HOP = new Set([
  "host",
  "connection",
  "keep-alive",
  "content-length",
  "transfer-encoding",
  "upgrade",
  "te",
  "trailer",
  "expect",
]);
const DETAIL_LIMIT = 2048;
const FORWARD_TIMEOUT_MS = 30_000;

export interface Relay {
  /** The URL the server delivers to. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startRelay(forwardTo: URL, onDelivery: (d: ForwardedDelivery) => void, port = 0): Promise<Relay> {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      void forward(forwardTo, request, Buffer.concat(chunks)).then(({ delivery, status, body, contentType }) => {
        onDelivery(delivery);
        response.writeHead(status, contentType === undefined ? {} : { "content-type": contentType });
        response.end(body);
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function forward(
  target: URL,
  request: http.IncomingMessage,
  body: Buffer,
): Promise<{ delivery: ForwardedDelivery; status: number; body: Buffer | string; contentType: string | undefined }> {
  const at = new Date();
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const id = header(request, "webhook-id");
  const type = envelopeType(body);
  const started = performance.now();
  try {
    const answer = await fetch(target, {
      method: request.method ?? "POST",
      headers,
      body: new Uint8Array(body),
      redirect: "manual",
      signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
    });
    const answerBody = Buffer.from(await answer.arrayBuffer());
    const latencyMs = Math.round(performance.now() - started);
    return {
      delivery: { at, type, id, status: answer.status, latencyMs, detail: answerBody.subarray(0, DETAIL_LIMIT).toString("utf8") },
      status: answer.status,
      body: answerBody,
      contentType: answer.headers.get("content-type") ?? undefined,
    };
  } catch (error) {
    const latencyMs = Math.round(performance.now() - started);
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    const detail = `could not reach ${target.href} (${cause}); is your receiver running?`;
    // 502: the server sees a failed attempt and retries it on its schedule.
    return { delivery: { at, type, id, status: undefined, latencyMs, detail }, status: 502, body: detail, contentType: "text/plain" };
  }
}

function header(request: http.IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function envelopeType(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString("utf8")) as { type?: unknown };
    return typeof parsed.type === "string" ? parsed.type : undefined;
  } catch {
    return undefined;
  }
}
