import { describe, expect, it } from "vitest";
import { afterConversionFailure, CONVERSION_FAILED } from "../../src/domain/attempt-outcome.js";
import {
  backfillVersion,
  type CatalogVersions,
  deliveryVersion,
  initialPins,
  missingPins,
  needsConversion,
  newestPins,
  pinProblems,
} from "../../src/domain/pinning.js";

const catalog = (versions: Record<string, number[]>): CatalogVersions => ({
  types: Object.keys(versions).sort(),
  versions: (type) => versions[type] ?? [],
});
const shop = catalog({ "order.created": [1], "order.shipped": [1, 2], "user.invited": [3, 4, 5] });

describe("pinning rules", () => {
  it("a new endpoint is pinned to each type's newest version, except the types it names", () => {
    expect(newestPins(shop)).toEqual({ "order.created": 1, "order.shipped": 2, "user.invited": 5 });
    expect(initialPins(shop, undefined)).toEqual({ "order.created": 1, "order.shipped": 2, "user.invited": 5 });
    expect(initialPins(shop, { "order.shipped": 1 })).toEqual({ "order.created": 1, "order.shipped": 1, "user.invited": 5 });
  });

  it("a catalog load adds only the types an endpoint has no pin for, at their newest; existing pins never move", () => {
    const later = catalog({ "order.created": [1], "order.shipped": [1, 2, 3], "refund.issued": [1] });
    expect(missingPins({ "order.created": 1, "order.shipped": 2 }, later)).toEqual({ "refund.issued": 1 });
    expect(missingPins({}, later)).toEqual({ "order.created": 1, "order.shipped": 3, "refund.issued": 1 });
  });

  it.each([
    { what: "a carried version", pins: { "order.shipped": 1 }, problems: [] },
    {
      what: "a version the type does not carry names the ones that exist",
      pins: { "order.shipped": 3 },
      problems: [{ path: "/pins/order.shipped", versions: [1, 2], message: "order.shipped has no version 3; versions that exist: 1, 2" }],
    },
    {
      what: "an unknown type",
      pins: { "order.lost": 1 },
      problems: [{ path: "/pins/order.lost", versions: [], message: '"order.lost" is not a catalog event type (see GET /v1/event-types)' }],
    },
  ])("pin check: $what", ({ pins, problems }) => {
    expect(pinProblems(pins, shop)).toEqual(problems);
  });

  it.each([
    { pin: 1, event: 2, sent: 1, converts: true },
    { pin: 2, event: 2, sent: 2, converts: false },
    { pin: null, event: 2, sent: 2, converts: false },
    { pin: 1, event: null, sent: 1, converts: false },
  ])("a delivery pinned to $pin of an event sent in $event is sent in $sent (conversion: $converts)", ({ pin, event, sent, converts }) => {
    expect(deliveryVersion(pin, event)).toBe(sent);
    expect(needsConversion(event, deliveryVersion(pin, event))).toBe(converts);
  });

  it("rows stored before versions were recorded get the newest version of their type, none for a type gone from the catalog", () => {
    expect(backfillVersion("user.invited", shop)).toBe(5);
    expect(backfillVersion("legacy.gone", shop)).toBeUndefined();
  });

  it("a conversion failure is a dead letter with its own reason, an uncounted attempt and no health signal", () => {
    const outcome = afterConversionFailure("converter order.shipped.v2.convert.ts (v2 → v1) threw: boom");
    expect(outcome).toEqual({
      result: {
        status: "failed",
        statusCode: null,
        errorCode: CONVERSION_FAILED,
        errorMessage: "converter order.shipped.v2.convert.ts (v2 → v1) threw: boom",
        responseBody: "",
      },
      next: { status: "failed", reason: "conversion_failed: converter order.shipped.v2.convert.ts (v2 → v1) threw: boom" },
      counted: false,
    });
    expect("health" in outcome).toBe(false);
  });
});
