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

/** An endpoint URL checked against the policy, with what every attempt to it needs. */
type Target =
  | { readonly ok: true; readonly url: URL; readonly path: string; readonly secrets: string[]; readonly authorization: string | undefined }
  | { readonly ok: false; readonly code: FailureCode; readonly message: string };

/** Checked URLs kept per Egress; a handful of endpoints receive most attempts, so a small cache serves them. */
const TARGET_CACHE_SIZE = 1024;

export class Egress {
  readonly #policy: EgressPolicy;
  readonly #agent: Agent;
  /** URL string → checked target. The policy is fixed per instance, so the check's answer is too. */
  readonly #targets = new Map<string, Target>();
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
    const target = this.#target(req.url);
    if (!target.ok) return { kind: "error", code: target.code, message: target.message, durationMs: durationMs() };
    const { url, secrets } = target;
    // undici wants whole positive milliseconds; the deadline itself uses the same value.
    const timeoutMs = Math.max(1, Math.ceil(Number.isFinite(req.timeoutMs) ? req.timeoutMs : 0));
    const deadline = new Deadline(timeoutMs, req.signal);
    let gotHeaders = false;
    try {
      const res = await this.#agent.request({
        origin: url.origin,
        path: target.path,
        method: "POST",
        headers: outgoingHeaders(req, target.authorization),
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

  #target(rawUrl: string): Target {
    let target = this.#targets.get(rawUrl);
    if (target !== undefined) return target;
    const checked = checkEndpointUrl(rawUrl, this.#policy);
    if (checked.ok) {
      const { url } = checked;
      const secrets = credentialsOf(url);
      const [user, pass] = secrets;
      const authorization =
        url.username !== "" || url.password !== "" ? `Basic ${Buffer.from(`${user ?? ""}:${pass ?? ""}`).toString("base64")}` : undefined;
      target = { ok: true, url, path: `${url.pathname}${url.search}`, secrets, authorization };
    } else {
      target = checked;
    }
    if (this.#targets.size >= TARGET_CACHE_SIZE) this.#targets.clear();
    this.#targets.set(rawUrl, target);
    return target;
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

/** The caller's headers, our `content-length`, and Basic authorization from URL credentials unless the caller set its own. */
function outgoingHeaders(req: AttemptRequest, authorization: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  let hasAuthorization = false;
  for (const name in req.headers) {
    const lower = name.toLowerCase();
    if (lower === "content-length") continue;
    if (lower === "authorization") hasAuthorization = true;
    headers[name] = req.headers[name] as string;
  }
  headers["content-length"] = String(typeof req.body === "string" ? Buffer.byteLength(req.body) : req.body.byteLength);
  if (!hasAuthorization && authorization !== undefined) headers.authorization = authorization;
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
