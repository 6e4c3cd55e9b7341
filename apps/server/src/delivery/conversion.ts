/**
 * The bytes a delivery sends: the stored envelope when the delivery's version is the event's own
 * (src/domain/pinning.ts `needsConversion`), else the event converted to the endpoint's pinned
 * version through the catalog's converters (`CatalogView.convert`) and wrapped in a new envelope
 * with that version and the original timestamp.
 *
 * A conversion depends only on the event, the target version and the catalog, so it runs once per
 * distinct (event, version): several endpoints pinned to v1 share one conversion and get identical
 * bytes. Successful results are kept in a small LRU, enough for a claimed batch and its retries,
 * and dropped when the catalog is replaced (a reload may bring fixed converters). Failures are not
 * kept: a replay after the converter was fixed converts again. A converted envelope larger than
 * `maxBytes` (the largest accepted event body plus room for the envelope) is a failure too: a
 * converter cannot make the server send more than a producer could.
 */
import { serializeEnvelope } from "@hookline/core/internal";
import type { CatalogView } from "../catalog/catalog-view.js";
import { needsConversion } from "../domain/pinning.js";
import type { ClaimedDelivery } from "../store/store.js";

export type DeliveryBody = { readonly ok: true; readonly body: Buffer } | { readonly ok: false; readonly reason: string };

interface StoredEnvelope {
  readonly timestamp: string;
  readonly data: unknown;
}

/** Conversions kept: a batch is at most the global concurrency (64 by default) of deliveries. */
const CACHE_SIZE = 512;

/** Room for the envelope around a payload of the largest accepted size (type, version, timestamp). */
export const ENVELOPE_ALLOWANCE = 1024;

export class DeliveryBodies {
  readonly #catalog: () => CatalogView;
  readonly #maxBytes: number;
  readonly #cache = new Map<string, Buffer>();
  /** The catalog the cached conversions came from. */
  #view: CatalogView | undefined;

  /** `maxPayloadBytes`: the largest `POST /v1/events` body the server accepts (HOOKLINE_MAX_PAYLOAD_BYTES). */
  constructor(catalog: () => CatalogView, maxPayloadBytes: number) {
    this.#catalog = catalog;
    this.#maxBytes = maxPayloadBytes + ENVELOPE_ALLOWANCE;
  }

  /** The body to sign and send for `claim`. Never throws: a failure is a reason for the attempt record. */
  bodyFor(claim: Pick<ClaimedDelivery, "eventId" | "eventType" | "eventVersion" | "version" | "body">): DeliveryBody {
    const { eventVersion: from, version: to } = claim;
    if (!needsConversion(from, to) || from === null || to === null) return { ok: true, body: claim.body };
    const view = this.#catalog();
    if (view !== this.#view) {
      this.#cache.clear();
      this.#view = view;
    }
    const key = `${claim.eventId}\u0000${to}`;
    const cached = this.#cache.get(key);
    if (cached !== undefined) {
      // Most recently used last: Map keeps insertion order, so the first key is the eldest.
      this.#cache.delete(key);
      this.#cache.set(key, cached);
      return { ok: true, body: cached };
    }
    const result = convertSafely(view, claim.eventType, from, to, claim.body);
    if (!result.ok) return result;
    if (result.body.length > this.#maxBytes)
      return {
        ok: false,
        reason: `converting ${claim.eventType} v${from} to v${to} gave ${result.body.length} bytes, more than the ${this.#maxBytes} a delivery may carry (HOOKLINE_MAX_PAYLOAD_BYTES + ${ENVELOPE_ALLOWANCE}): fix the converter`,
      };
    if (this.#cache.size >= CACHE_SIZE) {
      const eldest = this.#cache.keys().next().value;
      if (eldest !== undefined) this.#cache.delete(eldest);
    }
    this.#cache.set(key, result.body);
    return result;
  }
}

/**
 * Converter code is the catalog's, not the server's: whatever it does (a payload JSON cannot write,
 * a getter that throws while validating), the delivery fails with a reason instead of looping as an
 * internal error on every lease.
 */
function convertSafely(view: CatalogView, type: string, from: number, to: number, stored: Buffer): DeliveryBody {
  try {
    return convertEnvelope(view, type, from, to, stored);
  } catch (error) {
    const message = (() => {
      try {
        return error instanceof Error ? error.message : String(error);
      } catch {
        return "an error that cannot be shown as text";
      }
    })();
    return { ok: false, reason: `converting ${type} v${from} to v${to} failed: ${message.slice(0, 500)}` };
  }
}

function convertEnvelope(view: CatalogView, type: string, from: number, to: number, stored: Buffer): DeliveryBody {
  let envelope: StoredEnvelope;
  try {
    envelope = JSON.parse(stored.toString("utf8")) as StoredEnvelope;
  } catch (error) {
    return { ok: false, reason: `the stored envelope of this ${type} event is not JSON: ${(error as Error).message}` };
  }
  const converted = view.convert(type, from, to, envelope.data);
  if (!converted.ok) return { ok: false, reason: converted.reason };
  const data = JSON.stringify(converted.payload);
  return { ok: true, body: Buffer.from(serializeEnvelope(type, to, new Date(envelope.timestamp), data), "utf8") };
}
