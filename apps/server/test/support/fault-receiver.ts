/**
 * Fault receiver: a scripted HTTP endpoint on 127.0.0.1:0 for delivery tests.
 *
 * Behaviour is scripted per request path (query string ignored). A script is either a list of steps,
 * consumed one per request with the last step repeating, or a function of the request and `n`, the
 * 0-based count of earlier requests to that path since it was scripted. Unscripted paths answer
 * 200 `{"ok":true}`.
 *
 * Every request is recorded in `requests` once its body has been read completely, whatever the step
 * then does (reset and hang included). Nothing is buffered on the response side: huge and drip bodies
 * are written chunk by chunk with backpressure and stop when the client goes away.
 */
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type FaultStep =
  | { status: number; body?: string; headers?: Record<string, string>; delayMs?: number }
  | { reset: true }
  | { hang: true }
  | { slowHeadersMs: number }
  | { dripBody: { chunk: string; everyMs: number; totalBytes: number }; status?: number }
  | { hugeBody: { bytes: number }; status?: number }
  | { redirect: { status: 301 | 302 | 303 | 307 | 308; location: string } }
  | { status: 429 | 503; retryAfter: string };

export interface ReceivedRequest {
  method: string;
  path: string;
  /** The query string as sent, `?` included ("" when none). */
  search: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  receivedAt: number;
}

export type FaultScript = FaultStep[] | ((req: ReceivedRequest, n: number) => FaultStep);

export interface FaultReceiver {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Every request in arrival order (hits to every path). */
  requests: ReceivedRequest[];
  /** Script one path; replaces any earlier script for it and restarts its count. */
  script(path: string, steps: FaultScript): void;
  /** Resolves once `predicate(requests)` holds; rejects after `timeoutMs` (default 5000). */
  waitFor(predicate: (reqs: ReceivedRequest[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Requests currently being handled (arrived, response not yet finished or aborted). */
  inFlight(path?: string): number;
  /** Highest `inFlight` seen since start. */
  maxInFlight(path?: string): number;
  /** TCP connections accepted since start (keep-alive reuse shows up as fewer connections than requests). */
  connectionCount(): number;
  /** Ends hanging responses, destroys every connection and stops listening. Idempotent. */
  close(): Promise<void>;
}

const OK_BODY = JSON.stringify({ ok: true });
const HUGE_CHUNK = Buffer.alloc(64 * 1024, "x");

class Counter {
  private readonly current = new Map<string, number>();
  private readonly peak = new Map<string, number>();

  add(path: string, delta: number): void {
    for (const key of ["*", path]) {
      const value = (this.current.get(key) ?? 0) + delta;
      this.current.set(key, value);
      if (value > (this.peak.get(key) ?? 0)) this.peak.set(key, value);
    }
  }

  now(path = "*"): number {
    return this.current.get(path) ?? 0;
  }

  max(path = "*"): number {
    return this.peak.get(path) ?? 0;
  }
}

export async function startFaultReceiver(): Promise<FaultReceiver> {
  const scripts = new Map<string, { script: FaultScript; count: number }>();
  const requests: ReceivedRequest[] = [];
  const waiters = new Set<() => void>();
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  const inFlight = new Counter();
  let connections = 0;
  let closed: Promise<void> | undefined;

  const later = (ms: number, fn: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  const nextStep = (req: ReceivedRequest): FaultStep => {
    const entry = scripts.get(req.path);
    if (entry === undefined) return { status: 200, body: OK_BODY, headers: { "content-type": "application/json" } };
    const n = entry.count++;
    if (typeof entry.script === "function") return entry.script(req, n);
    const step = entry.script[Math.min(n, entry.script.length - 1)];
    if (step === undefined) throw new Error(`fault receiver: empty script for ${req.path}`);
    return step;
  };

  const server = http.createServer((req, res) => {
    const target = new URL(req.url ?? "/", "http://receiver");
    const path = target.pathname;
    inFlight.add(path, 1);
    res.once("close", () => inFlight.add(path, -1));

    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.once("end", () => {
      const received: ReceivedRequest = {
        method: req.method ?? "",
        path,
        search: target.search,
        headers: { ...req.headers },
        body: Buffer.concat(chunks),
        receivedAt: Date.now(),
      };
      requests.push(received);
      for (const wake of [...waiters]) wake();
      let step: FaultStep;
      try {
        step = nextStep(received);
      } catch (error) {
        res.writeHead(500, { "content-type": "text/plain" }).end(`fault receiver script threw: ${String(error)}`);
        return;
      }
      perform(step, res, later);
    });
  });

  server.on("connection", (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });

  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script(path, steps) {
      if (Array.isArray(steps) && steps.length === 0) throw new Error(`fault receiver: script for ${path} has no steps`);
      scripts.set(path, { script: steps, count: 0 });
    },
    waitFor(predicate, timeoutMs = 5000) {
      return new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (!predicate(requests)) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`fault receiver: waitFor timed out after ${timeoutMs} ms with ${requests.length} request(s) received`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    inFlight: (path) => inFlight.now(path),
    maxInFlight: (path) => inFlight.max(path),
    connectionCount: () => connections,
    close() {
      closed ??= (async () => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        await stopped;
      })();
      return closed;
    },
  };
}

function perform(step: FaultStep, res: http.ServerResponse, later: (ms: number, fn: () => void) => void): void {
  if ("reset" in step) {
    res.socket?.resetAndDestroy();
    return;
  }
  if ("hang" in step) return;
  if ("slowHeadersMs" in step) {
    later(step.slowHeadersMs, () => respond(res, 200, OK_BODY, { "content-type": "application/json" }));
    return;
  }
  if ("dripBody" in step) {
    drip(res, step.status ?? 200, step.dripBody, later);
    return;
  }
  if ("hugeBody" in step) {
    void streamHuge(res, step.status ?? 200, step.hugeBody.bytes);
    return;
  }
  if ("redirect" in step) {
    respond(res, step.redirect.status, "", { location: step.redirect.location });
    return;
  }
  if ("retryAfter" in step) {
    respond(res, step.status, "", { "retry-after": step.retryAfter });
    return;
  }
  const { status, body = "", headers = {}, delayMs } = step;
  if (delayMs === undefined || delayMs <= 0) respond(res, status, body, headers);
  else later(delayMs, () => respond(res, status, body, headers));
}

function respond(res: http.ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  if (res.destroyed) return;
  res.writeHead(status, { "content-length": String(Buffer.byteLength(body)), ...headers }).end(body);
}

function drip(
  res: http.ServerResponse,
  status: number,
  { chunk, everyMs, totalBytes }: { chunk: string; everyMs: number; totalBytes: number },
  later: (ms: number, fn: () => void) => void,
): void {
  const piece = Buffer.from(chunk);
  if (piece.length === 0) throw new Error("fault receiver: dripBody.chunk must not be empty");
  res.writeHead(status, { "content-length": String(totalBytes) });
  let sent = 0;
  const tick = (): void => {
    if (res.destroyed) return;
    const next = piece.subarray(0, Math.min(piece.length, totalBytes - sent));
    sent += next.length;
    if (sent >= totalBytes) {
      res.end(next);
      return;
    }
    res.write(next);
    later(everyMs, tick);
  };
  tick();
}

async function streamHuge(res: http.ServerResponse, status: number, bytes: number): Promise<void> {
  res.writeHead(status, { "content-length": String(bytes), "content-type": "application/octet-stream" });
  let left = bytes;
  while (left > 0 && !res.destroyed) {
    const chunk = left >= HUGE_CHUNK.length ? HUGE_CHUNK : HUGE_CHUNK.subarray(0, left);
    left -= chunk.length;
    if (!res.write(chunk) && !(await drainedOrClosed(res))) return;
  }
  if (!res.destroyed) res.end();
}

/** true on 'drain', false if the client went away first; leaves no listener behind. */
function drainedOrClosed(res: http.ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const settle = (drained: boolean) => (): void => {
      res.off("drain", onDrain);
      res.off("close", onClose);
      resolve(drained);
    };
    const onDrain = settle(true);
    const onClose = settle(false);
    res.on("drain", onDrain);
    res.on("close", onClose);
  });
}
