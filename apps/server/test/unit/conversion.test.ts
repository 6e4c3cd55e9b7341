/**
 * The bytes a delivery sends (src/delivery/conversion.ts), on the repository's real catalog:
 * order.shipped v1 and v2 with the converter between them, as the generated sender SDK carries it.
 */
import { serializeEnvelope } from "@hookline/core/internal";
import { catalog } from "@hookline/sender";
import { schemas } from "@hookline/sender/schemas";
import { describe, expect, it } from "vitest";
import { catalogView, type GeneratedCatalog, type GeneratedSchemas } from "../../src/catalog/catalog-view.js";
import { DeliveryBodies, ENVELOPE_ALLOWANCE } from "../../src/delivery/conversion.js";

const view = catalogView(catalog as unknown as GeneratedCatalog, schemas as unknown as GeneratedSchemas);
const v2Example = view.schema("order.shipped", 2)?.examples[0];
const stored = Buffer.from(serializeEnvelope("order.shipped", 2, new Date("2026-12-05T10:00:00.000Z"), JSON.stringify(v2Example)));
const claim = (version: number | null, eventVersion: number | null = 2, eventId = "evt_1") => ({
  eventId,
  eventType: "order.shipped",
  eventVersion,
  version,
  body: stored,
});

describe("delivery bodies", () => {
  it("sends the stored bytes unchanged when the endpoint is pinned to the event's own version", () => {
    const bodies = new DeliveryBodies(() => view, 256 * 1024);
    const same = bodies.bodyFor(claim(2));
    expect(same.ok && same.body).toBe(stored);
    // Rows from before versions were recorded (NULL) are sent as stored.
    const legacy = bodies.bodyFor(claim(null, null));
    expect(legacy.ok && legacy.body).toBe(stored);
  });

  it("converts down once per event and version: a valid v1 envelope with the original timestamp, shared by every endpoint", () => {
    const bodies = new DeliveryBodies(() => view, 256 * 1024);
    const first = bodies.bodyFor(claim(1));
    if (!first.ok) throw new Error(first.reason);
    const envelope = JSON.parse(first.body.toString("utf8")) as { type: string; version: number; timestamp: string; data: unknown };
    expect(Object.keys(envelope)).toEqual(["type", "version", "timestamp", "data"]);
    expect(envelope).toMatchObject({ type: "order.shipped", version: 1, timestamp: "2026-12-05T10:00:00.000Z" });
    expect(view.validator("order.shipped", 1)?.(envelope.data)).toBe(true);
    const again = bodies.bodyFor(claim(1));
    expect(again.ok && again.body).toBe(first.body);
  });

  it("refuses a converted envelope larger than an ingested event may be, naming the limit and the fix", () => {
    const limit = 1024;
    // A converter whose result the target version accepts (validation is the view's part) but that is too big.
    const generous: typeof view = { ...view, convert: () => ({ ok: true, payload: { note: "x".repeat(5000) } }) };
    const bodies = new DeliveryBodies(() => generous, limit);
    const result = bodies.bodyFor(claim(1));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(
      new RegExp(
        `^converting order\\.shipped v2 to v1 gave \\d+ bytes, more than the ${limit + ENVELOPE_ALLOWANCE} a delivery may carry .*: fix the converter$`,
      ),
    );
  });

  it("a version the catalog does not carry is a reason, not an exception", () => {
    const bodies = new DeliveryBodies(() => view, 256 * 1024);
    const result = bodies.bodyFor(claim(7));
    expect(result).toEqual({ ok: false, reason: "order.shipped has no version 7 in the loaded catalog" });
  });

  it("drops its conversions when the catalog is replaced (a reload may bring a fixed converter)", () => {
    let current = view;
    const bodies = new DeliveryBodies(() => current, 256 * 1024);
    const before = bodies.bodyFor(claim(1));
    current = catalogView(catalog as unknown as GeneratedCatalog, schemas as unknown as GeneratedSchemas);
    const after = bodies.bodyFor(claim(1));
    expect(before.ok && after.ok).toBe(true);
    expect(before.ok && after.ok && after.body).not.toBe(before.ok && before.body);
    expect(after.ok && before.ok && after.body.equals(before.body)).toBe(true);
  });
});
