import { WebhookVerificationError } from "./errors.js";

export const ID_HEADER = "webhook-id";
export const TIMESTAMP_HEADER = "webhook-timestamp";
export const SIGNATURE_HEADER = "webhook-signature";

/** Web `Headers` (fetch, undici), or Node's `IncomingHttpHeaders` / a plain object with any key case. */
export type HeadersLike = { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Extracts the three Standard Webhooks headers. Repeated headers given as an array use the first
 * value. Throws `missing_header` naming the header when one is absent or empty, and `invalid_header`
 * when a value is not a string; never anything but WebhookVerificationError, whatever the input.
 */
export function readWebhookHeaders(headers: HeadersLike): { id: string; timestamp: string; signature: string } {
  return {
    id: readHeader(headers, ID_HEADER),
    timestamp: readHeader(headers, TIMESTAMP_HEADER),
    signature: readHeader(headers, SIGNATURE_HEADER),
  };
}

/** One Standard Webhooks header, by the rules of {@link readWebhookHeaders}. */
export function readHeader(headers: unknown, name: string): string {
  let value: unknown;
  try {
    value = lookup(headers, name);
  } catch (error) {
    // A throwing getter or Proxy must not escape as a foreign error type.
    throw new WebhookVerificationError(
      "invalid_header",
      `Reading the "${name}" header failed; pass the request's headers object (Web Headers or Node's req.headers).`,
      { cause: error },
    );
  }
  return requireHeaderValue(value, name);
}

/** A header value as a non-empty string; an array stands for a repeated header and gives its first value. */
export function requireHeaderValue(value: unknown, name: string): string {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (first === undefined || first === null || first === "") {
    throw new WebhookVerificationError(
      "missing_header",
      `The "${name}" header is missing or empty. Standard Webhooks requests carry webhook-id, webhook-timestamp and webhook-signature; check that the sender signs the request and that no proxy strips these headers.`,
    );
  }
  if (typeof first !== "string") {
    throw new WebhookVerificationError(
      "invalid_header",
      `The "${name}" header must be a string (got ${typeof first}); pass the header values as received.`,
    );
  }
  return first;
}

function lookup(headers: unknown, name: string): unknown {
  if (typeof headers !== "object" || headers === null) return undefined;
  const get: unknown = (headers as { get?: unknown }).get;
  if (typeof get === "function") return get.call(headers, name);
  const record = headers as Readonly<Record<string, unknown>>;
  // Node lower-cases incoming header names, so the exact key is the common, allocation-free case.
  if (Object.hasOwn(record, name)) return record[name];
  for (const key of Object.keys(record)) {
    if (key.length === name.length && key.toLowerCase() === name) return record[key];
  }
  return undefined;
}
