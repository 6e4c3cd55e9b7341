import { describe, expect, expectTypeOf, it } from "vitest";
import type { ValidatorError } from "../../src/catalog.js";
import {
  isKnownEventType,
  issuesFromErrors,
  PayloadValidationError,
  UnknownEventTypeError,
  validatePayload,
  type ValidationIssue,
} from "../../src/validation.js";
import { catalog, orderExample, type OrderCreated } from "../fixtures/catalog.js";

function ajvError(instancePath: string, keyword: string, params: Record<string, unknown>, message?: string): ValidatorError {
  return { instancePath, schemaPath: `#/${keyword}`, keyword, params, message };
}

describe("issuesFromErrors", () => {
  const cases: [string, ValidatorError[], ValidationIssue[]][] = [
    ["no errors", [], []],
    [
      "required points at the missing property",
      [ajvError("/customer", "required", { missingProperty: "email" }, "must have required property 'email'")],
      [{ path: "/customer/email", keyword: "required", message: "is required" }],
    ],
    [
      "required at the root",
      [ajvError("", "required", { missingProperty: "id" }, "must have required property 'id'")],
      [{ path: "/id", keyword: "required", message: "is required" }],
    ],
    [
      "additionalProperties points at the extra property",
      [ajvError("", "additionalProperties", { additionalProperty: "extra" }, "must NOT have additional properties")],
      [{ path: "/extra", keyword: "additionalProperties", message: "is not allowed (additional property)" }],
    ],
    [
      "unevaluatedProperties points at the extra property",
      [ajvError("/a", "unevaluatedProperties", { unevaluatedProperty: "b" }, "must NOT have unevaluated properties")],
      [{ path: "/a/b", keyword: "unevaluatedProperties", message: "is not allowed (additional property)" }],
    ],
    [
      "property names with / and ~ are escaped (RFC 6901)",
      [ajvError("", "required", { missingProperty: "a/b~c" })],
      [{ path: "/a~1b~0c", keyword: "required", message: "is required" }],
    ],
    [
      "array indexes sort numerically, the root first",
      [
        ajvError("/items/10", "type", {}, "must be object"),
        ajvError("/items/2", "type", {}, "must be object"),
        ajvError("", "type", {}, "must be object"),
      ],
      [
        { path: "", keyword: "type", message: "must be object" },
        { path: "/items/2", keyword: "type", message: "must be object" },
        { path: "/items/10", keyword: "type", message: "must be object" },
      ],
    ],
    [
      "duplicates (e.g. from anyOf branches) are dropped",
      [ajvError("/a", "type", {}, "must be string"), ajvError("/a", "type", {}, "must be string")],
      [{ path: "/a", keyword: "type", message: "must be string" }],
    ],
    [
      "a missing message names the keyword",
      [ajvError("/a", "x-custom", {})],
      [{ path: "/a", keyword: "x-custom", message: 'must pass the "x-custom" keyword' }],
    ],
  ];
  it.each(cases)("%s", (_, errors, expected) => {
    expect(issuesFromErrors(errors)).toEqual(expected);
  });

  it("null and undefined mean no issues", () => {
    expect(issuesFromErrors(null)).toEqual([]);
    expect(issuesFromErrors(undefined)).toEqual([]);
  });

  it("the order does not depend on the validator's order", () => {
    const errors = [
      ajvError("/b", "type", {}, "must be string"),
      ajvError("", "required", { missingProperty: "a" }),
      ajvError("/b", "minLength", {}, "must NOT have fewer than 1 characters"),
    ];
    expect(issuesFromErrors([...errors].reverse())).toEqual(issuesFromErrors(errors));
  });
});

describe("validatePayload", () => {
  it("returns a valid payload typed as the event's payload", () => {
    const payload: unknown = structuredClone(orderExample);
    const valid = validatePayload(catalog, "order.created", payload);
    expect(valid).toBe(payload);
    expectTypeOf(valid).toEqualTypeOf<OrderCreated>();
  });

  it("lists every issue, with real ajv messages, in the error message", () => {
    const payload = { customer: { email: "not-an-email" }, items: [{ sku: "a", quantity: 0 }], currency: "EUR", extra: 1 };
    const error = catchError(() => validatePayload(catalog, "order.created", payload));
    expect(error).toBeInstanceOf(PayloadValidationError);
    if (!(error instanceof PayloadValidationError)) return;
    expect(error.code).toBe("invalid_payload");
    expect(error.eventType).toBe("order.created");
    expect(error.issues).toEqual([
      { path: "/customer/email", keyword: "format", message: 'must match format "email"' },
      { path: "/extra", keyword: "additionalProperties", message: "is not allowed (additional property)" },
      { path: "/id", keyword: "required", message: "is required" },
      { path: "/items/0/quantity", keyword: "minimum", message: "must be >= 1" },
    ]);
    expect(error.message).toBe(
      'Invalid payload for "order.created": /customer/email must match format "email"; /extra is not allowed (additional property); /id is required; /items/0/quantity must be >= 1',
    );
  });

  it("names the root as (root)", () => {
    const error = catchError(() => validatePayload(catalog, "invoice.paid", "a string"));
    expect(error).toBeInstanceOf(PayloadValidationError);
    expect((error as Error).message).toBe('Invalid payload for "invoice.paid": (root) must be object');
  });
});

describe("UnknownEventTypeError", () => {
  const cases: [string, string, string | undefined][] = [
    ["transposed letters", "order.craeted", "order.created"],
    ["wrong case", "Order.Created", "order.created"],
    ["missing segment letter", "invoice.pad", "invoice.paid"],
    ["nothing close", "shipment.dispatched", undefined],
    ["Object.prototype key", "constructor", undefined],
    ["__proto__", "__proto__", undefined],
  ];
  it.each(cases)("%s: %s → suggestion %s", (_, type, suggestion) => {
    expect(isKnownEventType(catalog, type)).toBe(false);
    const error = catchError(() => validatePayload(catalog, type as "order.created", {}));
    expect(error).toBeInstanceOf(UnknownEventTypeError);
    if (!(error instanceof UnknownEventTypeError)) return;
    expect(error.code).toBe("unknown_event_type");
    expect(error.suggestion).toBe(suggestion);
    expect(error.message).toContain(`Unknown event type ${JSON.stringify(type)}.`);
    expect(error.message).toContain("regenerate the SDK (hookline generate); otherwise check the spelling");
    expect(error.message).toContain("Known types: invoice.paid, order.created, user.logged_in.");
    if (suggestion !== undefined) expect(error.message).toContain(`Did you mean "${suggestion}"?`);
  });

  it("keeps the message bounded for a huge type string", () => {
    const error = new UnknownEventTypeError("x".repeat(100_000), ["a.b"]);
    expect(error.message.length).toBeLessThan(500);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}
