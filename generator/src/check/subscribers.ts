/**
 * `--server`: asks a running Hookline server which endpoints receive an event type at a version
 * (`GET /v1/event-types/{type}/versions/{version}/subscribers`: subscribed to the type and pinned to
 * the version). One request per (type, version), remembered for the run. The API key is sent as
 * `Authorization: Bearer` and never appears in a message.
 */

import { CheckError } from "./check-error.js";

export interface Subscriber {
  readonly id: string;
  readonly urlHost: string;
  readonly tenant: string | null;
  readonly disabled: boolean;
}

export interface Subscribers {
  readonly endpoints: readonly Subscriber[];
  /** Every matching endpoint, when the server lists fewer than it counts. */
  readonly count: number;
}

export type SubscriberLookup = (type: string, version: number) => Promise<Subscribers>;

export interface ServerOptions {
  readonly url: string;
  readonly apiKey: string;
  /** Defaults to the global fetch. */
  readonly fetch?: typeof fetch | undefined;
}

export function serverLookup(options: ServerOptions): SubscriberLookup {
  if (!URL.canParse(options.url) || !["http:", "https:"].includes(new URL(options.url).protocol))
    throw new CheckError(`--server ${options.url} is not an http(s) URL; pass the server's base URL, e.g. http://127.0.0.1:3000.`);
  const base = options.url.replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;
  const cache = new Map<string, Promise<Subscribers>>();
  return (type, version) => {
    const key = `${type}@${version}`;
    let answer = cache.get(key);
    if (answer === undefined) {
      answer = ask(doFetch, base, options.apiKey, type, version);
      cache.set(key, answer);
    }
    return answer;
  };
}

async function ask(doFetch: typeof fetch, base: string, apiKey: string, type: string, version: number): Promise<Subscribers> {
  const url = `${base}/v1/event-types/${encodeURIComponent(type)}/versions/${version}/subscribers`;
  let response: Response;
  try {
    response = await doFetch(url, { headers: { authorization: `Bearer ${apiKey}`, accept: "application/json" } });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new CheckError(
      `Cannot reach the Hookline server at ${base} (${cause?.code ?? cause?.message ?? (error as Error).message}); start it or pass the right --server URL.`,
    );
  }
  const body = (await response.json().catch(() => undefined)) as
    | { data?: unknown; count?: unknown; error?: { code?: unknown; message?: unknown } }
    | undefined;
  if (response.status === 401 || response.status === 403)
    throw new CheckError(
      `The Hookline server at ${base} refused the API key (${response.status}); set HOOKLINE_API_KEY to a key that server accepts.`,
    );
  if (response.status === 404) {
    const message = typeof body?.error?.message === "string" ? body.error.message : "";
    if (body?.error === undefined || message.startsWith("No route"))
      throw new CheckError(
        `The Hookline server at ${base} has no subscriber listing (GET ${url.slice(base.length)} answered 404); upgrade the server to a version with pinning.`,
      );
    // The server's catalog has no such type or version, so no endpoint can be pinned to it.
    return { endpoints: [], count: 0 };
  }
  if (!response.ok || !Array.isArray(body?.data))
    throw new CheckError(
      `The Hookline server at ${base} answered GET ${url.slice(base.length)} with ${response.status}${
        typeof body?.error?.message === "string" ? `: ${body.error.message}` : " and no subscriber list"
      }; check the server's log.`,
    );
  const endpoints = body.data.map(toSubscriber);
  return { endpoints, count: typeof body.count === "number" ? body.count : endpoints.length };
}

function toSubscriber(item: unknown): Subscriber {
  const o = (typeof item === "object" && item !== null ? item : {}) as Record<string, unknown>;
  return {
    id: String(o.id),
    urlHost: String(o.urlHost),
    tenant: typeof o.tenant === "string" ? o.tenant : null,
    disabled: o.disabled === true,
  };
}
