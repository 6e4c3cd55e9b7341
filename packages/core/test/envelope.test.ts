import { expect, it } from "vitest";
import { serializeEnvelope } from "../src/envelope.js";

it("writes type, timestamp and data in that order, without spaces", () => {
  expect(serializeEnvelope("order.created", new Date(Date.UTC(2025, 2, 10, 14, 22, 5, 7)), '{"a":1}')).toBe(
    '{"type":"order.created","timestamp":"2025-03-10T14:22:05.007Z","data":{"a":1}}',
  );
});

it("writes the payload text verbatim: big numbers, escapes and spacing survive", () => {
  const data = '{ "n": 12345678901234567890, "s": "\\u00e9\\n", "x" : [1.50, 2e3] }';
  const text = serializeEnvelope("t", new Date(0), data);
  expect(text).toBe(`{"type":"t","timestamp":"1970-01-01T00:00:00.000Z","data":${data}}`);
});

it("escapes the type as a JSON string", () => {
  expect(JSON.parse(serializeEnvelope('a"b\u2028', new Date(0), "null")).type).toBe('a"b\u2028');
});
