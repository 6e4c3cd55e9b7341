import type { DeliveryResult } from "./types.js";
import { WebhookDeliveryError } from "./errors.js";

/** Response bytes kept for the caller; the rest of the body is never read. */
export const RESPONSE_BODY_LIMIT = 64 * 1024;

export interface DeliveryRequest {
  readonly id: string;
  readonly url: URL;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly fetch: typeof fetch;
}

/** One POST attempt. Non-2xx statuses resolve; only a missing response throws. */
export async function deliver(request: DeliveryRequest): Promise<DeliveryResult> {
  const { id, url, timeoutMs } = request;
  const started = performance.now();
  // One signal for the whole exchange, so a slow-drip body cannot outlive the timeout.
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await request.fetch(url, {
      method: "POST",
      redirect: "manual",
      body: request.body,
      headers: { ...request.headers },
      signal,
    });
    const responseBody = await readCapped(response, RESPONSE_BODY_LIMIT);
    const status = response.status;
    return { id, ok: status >= 200 && status < 300, status, responseBody, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    if (signal.aborted) throw new WebhookDeliveryError("timeout", id, url.origin);
    throw new WebhookDeliveryError("network_error", id, url.origin, systemCode(error));
  }
}

async function readCapped(response: Response, limit: number): Promise<string> {
  if (response.body === null) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let remaining = limit;
  try {
    while (remaining > 0) {
      const { done, value } = await reader.read();
      if (done) return text + decoder.decode();
      const chunk = value.byteLength > remaining ? value.subarray(0, remaining) : value;
      remaining -= chunk.byteLength;
      text += decoder.decode(chunk, { stream: true });
    }
    return text + decoder.decode();
  } finally {
    // Stops the download (and frees the connection) when the cap was reached first.
    reader.cancel().catch(() => undefined);
  }
}

/** `ECONNREFUSED` and the like from undici's `cause` chain; never free text (it may hold the URL). */
function systemCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; depth < 4 && typeof current === "object" && current !== null; depth++) {
    const code: unknown = Reflect.get(current, "code");
    if (typeof code === "string" && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code;
    current = Reflect.get(current, "cause");
  }
  return undefined;
}
