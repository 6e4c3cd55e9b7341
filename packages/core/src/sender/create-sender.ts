import type { EventCatalog, EventMapBase, EventVersionsBase } from "../catalog.js";
import { serializeEnvelope } from "../envelope.js";
import { WebhookSigner } from "../signing/index.js";
import { isKnownEventType, knownEventTypes, PayloadValidationError, UnknownEventTypeError, validatePayload } from "../validation.js";
import { versionValidator } from "../versions.js";
import { deliver } from "./deliver.js";
import { plainJsonCopy } from "./json-copy.js";
import { assertMessageId, generateMessageId } from "./message-id.js";
import type { Sender, SenderOptions } from "./types.js";

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_USER_AGENT = "hookline/0.1.0";

/**
 * Creates a sender for the event types of `catalog`. Generated SDKs call this with their catalog;
 * the event map is inferred from the catalog's declared type.
 *
 * @throws WebhookVerificationError (`invalid_secret`) when a key is malformed.
 */
export function createSenderFor<M extends EventMapBase, V extends EventVersionsBase<M>>(
  catalog: EventCatalog<M, V>,
  options: SenderOptions,
): Sender<M, V> {
  const signer = new WebhookSigner(options.secret);
  const now = options.now ?? Date.now;
  const generateId = options.generateId ?? (() => generateMessageId(now()));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new RangeError(`timeoutMs must be a positive number of milliseconds (got ${timeoutMs}).`);
  }
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;

  const build: Sender<M, V>["build"] = (type, payload, buildOptions = {}) => {
    const version = buildOptions.version;
    const data = serializePayload(catalog, type, payload, version);
    const id = buildOptions.id ?? generateId();
    assertMessageId(id);
    const nowMs = now();
    const eventTime = buildOptions.timestamp ?? new Date(nowMs);
    if (Number.isNaN(eventTime.getTime())) throw new RangeError("The event timestamp is an invalid Date.");
    const sentVersion = version ?? catalog.eventTypes[type].version;
    const body = serializeEnvelope(type, sentVersion, eventTime, data);
    const timestamp = Math.floor(nowMs / 1000);
    const headers = {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": signer.sign({ id, timestamp, body }),
    } as const;
    return { id, type, version: sentVersion, timestamp, body, headers };
  };

  return {
    build,
    async send(url, type, payload, buildOptions) {
      const endpoint = parseEndpointUrl(url);
      const message = build(type, payload, buildOptions);
      return deliver({
        id: message.id,
        url: endpoint,
        body: message.body,
        headers: { ...message.headers, "user-agent": userAgent },
        timeoutMs,
        fetch: options.fetch ?? fetch,
      });
    },
  };
}

/**
 * Validates what the receiver will see, i.e. the JSON round trip of the payload: `NaN` becomes
 * `null`, `undefined` properties vanish, and a `Date` becomes a string. Returns the JSON text.
 * Plain data (the usual payload) is copied as the round trip would give it instead of parsing the
 * text back; the copy is then both what is validated and what is serialised.
 */
function serializePayload<M extends EventMapBase>(
  catalog: EventCatalog<M>,
  type: string,
  payload: unknown,
  version: number | undefined,
): string {
  if (!isKnownEventType(catalog, type)) throw new UnknownEventTypeError(type, knownEventTypes(catalog));
  // A wrong version is reported before the payload is looked at: its schema is the wrong one.
  if (version !== undefined) versionValidator(catalog, type, version);
  const copy = plainJsonCopy(payload);
  const json = stringifyPayload(type, copy === undefined ? payload : copy);
  validatePayload(catalog, type, copy === undefined ? JSON.parse(json) : copy, version);
  return json;
}

function stringifyPayload(type: string, payload: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(payload);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : "serialisation failed";
    throw new PayloadValidationError(type, [{ path: "", keyword: "json", message: `is not serialisable to JSON (${reason})` }]);
  }
  if (json === undefined) {
    throw new PayloadValidationError(type, [{ path: "", keyword: "json", message: "is not serialisable to JSON (got undefined)" }]);
  }
  return json;
}

function parseEndpointUrl(url: string | URL): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The TypeError from URL carries the input, which may hold credentials; do not chain it.
    throw new TypeError("Invalid webhook URL: expected an absolute http: or https: URL.");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new TypeError(`Webhook URL must use http: or https: (got ${JSON.stringify(parsed.protocol)}).`);
  }
  if (parsed.username !== "" || parsed.password !== "") {
    throw new TypeError("Webhook URL must not contain credentials (user:password@); fetch refuses them and they would leak into logs.");
  }
  return parsed;
}
