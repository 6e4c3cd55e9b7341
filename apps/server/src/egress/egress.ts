/**
 * The server's only outbound HTTP: one POST per `attempt()`, over a single undici Agent whose connector
 * enforces the egress policy (see connector.ts), keeping a keep-alive pool per origin.
 *
 * Contract: never follows redirects (a 3xx is a response like any other); never throws (every failure
 * is an `error` outcome); one deadline covers connect, response headers and the whole body; the stored
 * response body is capped and the remainder is never read; headers are the caller's plus
 * `content-length` and, when the URL has credentials and the caller set no `authorization`, HTTP Basic
 * authorization from those credentials.
 */
import type dns from "node:dns";
import { Agent } from "undici";
import { createCheckedConnector } from "./connector.js";
import { Deadline } from "./deadline.js";
import { describeFailure, type FailureCode } from "./failure.js";
import { assertValidPolicy, type EgressPolicy } from "./policy.js";
import { readCapped } from "./read-capped.js";
import { checkEndpointUrl, describeOrigin } from "./url.js";

export interface AttemptRequest {
  url: string;
  headers: Record<string, string>;
  body: string | Uint8Array;
  timeoutMs: number;
  maxResponseBytes: number;
  signal?: AbortSignal;
}

export type AttemptOutcome =
  | {
      kind: "response";
      statusCode: number;
      headers: Record<string, string>;
      /** UTF-8, at most maxResponseBytes bytes; the rest was never read. */
      responseBody: string;
      durationMs: number;
      /** Raw `Retry-After` of a 429 or 503, for the retry module to parse. */
      retryAfter?: string;
    }
  | {
      kind: "error";
      code: FailureCode;
      /** Never contains URL credentials, path, query, request headers or body. */
      message: string;
      durationMs: number;
    };

export interface EgressOptions {
  /** Maximum connections per origin (keep-alive pool size); unlimited when absent. */
  connections?: number;
  /** DNS resolver, injectable for tests; called once per new connection with `all: true`. */
  lookup?: typeof dns.lookup;
}

export class Egress {
  readonly #policy: EgressPolicy;
  readonly #agent: Agent;
  #closed: Promise<void> | undefined;

  constructor(policy: EgressPolicy, options: EgressOptions = {}) {
    assertValidPolicy(policy);
    this.#policy = policy;
    this.#agent = new Agent({
      connect: createCheckedConnector(policy, options.lookup),
      ...(options.connections === undefined ? {} : { connections: options.connections }),
    });
  }

  async attempt(req: AttemptRequest): Promise<AttemptOutcome> {
    const started = performance.now();
    const durationMs = (): number => Math.round(performance.now() - started);
    const checked = checkEndpointUrl(req.url, this.#policy);
    if (!checked.ok) return { kind: "error", code: checked.code, message: checked.message, durationMs: durationMs() };
    const { url } = checked;
    const secrets = credentialsOf(url);
    // undici wants whole positive milliseconds; the deadline itself uses the same value.
    const timeoutMs = Math.max(1, Math.ceil(Number.isFinite(req.timeoutMs) ? req.timeoutMs : 0));
    const deadline = new Deadline(timeoutMs, req.signal);
    let gotHeaders = false;
    try {
      const res = await this.#agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: "POST",
        headers: outgoingHeaders(req, url),
        body: req.body,
        signal: deadline.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      gotHeaders = true;
      const responseBody = await readCapped(res.body, req.maxResponseBytes);
      const headers = flattenHeaders(res.headers);
      const retryAfter = res.statusCode === 429 || res.statusCode === 503 ? headers["retry-after"] : undefined;
      return {
        kind: "response",
        statusCode: res.statusCode,
        headers,
        responseBody,
        durationMs: durationMs(),
        ...(retryAfter === undefined ? {} : { retryAfter }),
      };
    } catch (error) {
      const failure = describeFailure(error, {
        origin: describeOrigin(url),
        timeoutMs,
        expired: deadline.expired,
        callerAborted: req.signal?.aborted === true,
        gotHeaders,
        secrets,
      });
      return { kind: "error", ...failure, durationMs: durationMs() };
    } finally {
      deadline.dispose();
    }
  }

  /**
   * Waits for in-flight attempts (each bounded by its deadline), then closes every pooled connection.
   * Idempotent; later attempts fail with `network_error`.
   */
  close(): Promise<void> {
    this.#closed ??= this.#agent.close();
    return this.#closed;
  }
}

function outgoingHeaders(req: AttemptRequest, url: URL): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.toLowerCase() !== "content-length") headers[name] = value;
  }
  const length = typeof req.body === "string" ? Buffer.byteLength(req.body) : req.body.byteLength;
  headers["content-length"] = String(length);
  const hasAuthorization = Object.keys(headers).some((name) => name.toLowerCase() === "authorization");
  if (!hasAuthorization && (url.username !== "" || url.password !== "")) {
    const [user, pass] = credentialsOf(url);
    headers.authorization = `Basic ${Buffer.from(`${user ?? ""}:${pass ?? ""}`).toString("base64")}`;
  }
  return headers;
}

/** Decoded username and password, plus their raw (percent-encoded) forms for scrubbing. */
function credentialsOf(url: URL): string[] {
  const decode = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return [decode(url.username), decode(url.password), url.username, url.password];
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}
