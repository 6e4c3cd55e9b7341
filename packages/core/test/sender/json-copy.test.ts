/**
 * `build` validates the payload as the receiver will see it: the JSON round trip. For plain data it
 * copies the payload instead of serialising and parsing it; these tests pin the copy to the round
 * trip, and check that everything else still takes the round trip with the same outcome as before.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createSenderFor } from "../../src/sender/index.js";
import { plainJsonCopy } from "../../src/sender/json-copy.js";
import { catalog, now, SECRET } from "../fixtures/catalog.js";

const roundTrip = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;
const sender = createSenderFor(catalog, { secret: SECRET, now, generateId: () => "msg_fixed" });
const dataOf = (body: string): string => body.slice(body.indexOf(',"data":') + ',"data":'.length, -1);

function nested(depth: number): unknown {
  let value: unknown = { leaf: true };
  for (let i = 0; i < depth; i++) value = { child: value };
  return value;
}

describe("plainJsonCopy", () => {
  it("equals the JSON round trip of any JSON value, and serialises to the same text", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const copy = plainJsonCopy(value);
        expect(copy).toStrictEqual(roundTrip(value));
        expect(JSON.stringify(copy)).toBe(JSON.stringify(value));
      }),
      { numRuns: 2000 },
    );
  });

  it("for anything else, either gives up or agrees with the round trip", () => {
    const anything = fc.anything({
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withSparseArray: true,
      withTypedArray: true,
      withBigInt: true,
      withObjectString: true,
    });
    fc.assert(
      fc.property(anything, (value) => {
        const copy = plainJsonCopy(value);
        if (copy === undefined) return;
        expect(copy).toStrictEqual(roundTrip(value));
        expect(JSON.stringify(copy)).toBe(JSON.stringify(value));
      }),
      { numRuns: 3000 },
    );
  });

  it("copies, sharing no object with the input", () => {
    const input = { a: { b: [1, { c: "x" }] } };
    const copy = plainJsonCopy(input) as typeof input;
    expect(copy).not.toBe(input);
    expect(copy.a).not.toBe(input.a);
    expect(copy.a.b).not.toBe(input.a.b);
    expect(copy.a.b[1]).not.toBe(input.a.b[1]);
  });

  it("writes -0 as 0, as the round trip does", () => {
    expect(Object.is((plainJsonCopy({ n: -0 }) as { n: number }).n, 0)).toBe(true);
  });

  it("keeps a __proto__ key as an own property, as JSON.parse does", () => {
    const value = JSON.parse('{"__proto__":{"a":1},"b":2}') as object;
    const copy = plainJsonCopy(value) as object;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(["__proto__", "b"]);
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"a":1},"b":2}');
  });

  it("copies objects without a prototype as plain objects", () => {
    const bare = Object.assign(Object.create(null) as object, { a: 1 });
    expect(plainJsonCopy(bare)).toStrictEqual({ a: 1 });
  });

  class Point {
    constructor(readonly x: number) {}
  }
  const cyclic: Record<string, unknown> = {};
  cyclic["self"] = cyclic;
  const sparse: unknown[] = [1];
  sparse[2] = 3;
  it.each<[string, unknown]>([
    ["undefined", undefined],
    ["an undefined property", { a: undefined }],
    ["an undefined array item", [1, undefined]],
    ["a hole", sparse],
    ["a function", { f: () => 1 }],
    ["a symbol", { s: Symbol("s") }],
    ["a bigint", { n: 1n }],
    ["NaN", { n: Number.NaN }],
    ["Infinity", [Number.POSITIVE_INFINITY]],
    ["a Date (toJSON)", { at: new Date(0) }],
    ["an object with toJSON", { v: { toJSON: () => "x" } }],
    ["a class instance", { p: new Point(1) }],
    ["an inherited property", Object.create({ a: 1 }) as unknown],
    ["a Map", { m: new Map([["a", 1]]) }],
    ["a boxed string", { s: Object("x") as unknown }],
    ["a typed array", { t: new Uint8Array(2) }],
    ["an Array subclass", { a: new (class extends Array<number> {})() }],
    ["a cycle", cyclic],
    ["nesting deeper than 100", nested(120)],
  ])("gives up on %s (the round trip decides)", (_, value) => {
    expect(plainJsonCopy(value)).toBeUndefined();
  });

  it("keeps nesting up to the limit", () => {
    expect(plainJsonCopy(nested(90))).toStrictEqual(roundTrip(nested(90)));
  });
});

describe("build validates and sends the JSON round trip, whichever path it takes", () => {
  it("drops undefined and function properties, as JSON does", () => {
    const payload = { userId: "u", ip: undefined, note: () => "x" };
    const message = sender.build("user.logged_in", payload as unknown as { userId: string });
    expect(dataOf(message.body)).toBe('{"userId":"u"}');
  });

  it("serialises a Date and toJSON values before validating them", () => {
    const message = sender.build("user.logged_in", { userId: new Date(0), ip: { toJSON: () => "10.0.0.1" } } as unknown as {
      userId: string;
    });
    expect(dataOf(message.body)).toBe('{"userId":"1970-01-01T00:00:00.000Z","ip":"10.0.0.1"}');
  });

  it("rejects a toJSON value that serialises to something invalid", () => {
    expect(() =>
      sender.build("user.logged_in", { userId: "u", ip: { toJSON: () => "not an ip" } } as unknown as { userId: string }),
    ).toThrow('/ip must match format "ipv4"');
  });

  it("rejects Infinity (sent as null)", () => {
    expect(() => sender.build("invoice.paid", { invoiceId: "i", amountCents: Number.POSITIVE_INFINITY })).toThrow(
      "/amountCents must be integer",
    );
  });

  it("sends -0 as 0", () => {
    expect(dataOf(sender.build("invoice.paid", { invoiceId: "i", amountCents: -0 }).body)).toBe('{"invoiceId":"i","amountCents":0}');
  });

  it("does not see non-enumerable or inherited properties, which JSON does not send", () => {
    const hidden = Object.defineProperty({ ip: "10.0.0.1" }, "userId", { value: "u", enumerable: false });
    expect(() => sender.build("user.logged_in", hidden as unknown as { userId: string })).toThrow("/userId is required");
    const inherited = Object.create({ userId: "u" }) as { userId: string };
    expect(() => sender.build("user.logged_in", inherited)).toThrow("/userId is required");
  });

  it("reads a getter once: what is validated is what is sent", () => {
    let reads = 0;
    const payload = {
      invoiceId: "i",
      get amountCents() {
        reads += 1;
        return reads === 1 ? 5 : -1;
      },
    };
    const message = sender.build("invoice.paid", payload);
    expect(reads).toBe(1);
    expect(dataOf(message.body)).toBe('{"invoiceId":"i","amountCents":5}');
  });

  it("sends deep payloads unchanged (they take the round trip)", () => {
    const payload = { userId: "u", deep: nested(150) };
    expect(dataOf(sender.build("user.logged_in", payload).body)).toBe(JSON.stringify(payload));
  });

  it("sends plain payloads exactly as JSON.stringify writes them", () => {
    const payload = { userId: 'u\u2028\ud800"\\', ip: "10.0.0.1", extra: { "2": [1.5, 1e21, -1e-7, null, true], "1": "a", z: "" } };
    expect(dataOf(sender.build("user.logged_in", payload).body)).toBe(JSON.stringify(payload));
  });
});
