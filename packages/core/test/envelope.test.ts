import { expect, it } from "vitest";
import { serializeEnvelope } from "../src/envelope.js";

it("writes type, version, timestamp and data in that order, without spaces", () => {
  expect(serializeEnvelope("order.created", 2, new Date(Date.UTC(2025, 2, 10, 14, 22, 5, 7)), '{"a":1}')).toBe(
    '{"type":"order.created","version":2,"timestamp":"2025-03-10T14:22:05.007Z","data":{"a":1}}',
  );
});

it("writes the payload text verbatim: big numbers, escapes and spacing survive", () => {
  const data = '{ "n": 12345678901234567890, "s": "\\u00e9\\n", "x" : [1.50, 2e3] }';
  const text = serializeEnvelope("t", 1, new Date(0), data);
  expect(text).toBe(`{"type":"t","version":1,"timestamp":"1970-01-01T00:00:00.000Z","data":${data}}`);
});

it("escapes the type as a JSON string", () => {
  expect(JSON.parse(serializeEnvelope('a"b\u2028', 1, new Date(0), "null")).type).toBe('a"b\u2028');
});

it("refuses a version that is not a positive integer: it would not be valid JSON or not a version", () => {
  for (const version of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    expect(() => serializeEnvelope("t", version, new Date(0), "null")).toThrow(/positive integer/);
  }
});
