import { describe, expect, it } from "vitest";
import { WebhookSigner, WebhookVerifier, type RawBody } from "../../src/signing/index.js";
import { BODY, ID, NOW, SECRET, clockAt, entryValue, expectCode } from "./fixtures.js";

const signer = new WebhookSigner(SECRET);
const verifier = new WebhookVerifier(SECRET, { now: clockAt(NOW) });

function signedHeaders(body: RawBody = BODY, timestamp = NOW): Record<string, string> {
  return signer.headers({ id: ID, timestamp, body });
}

describe("raw body only", () => {
  const notRaw: [string, unknown][] = [
    ["parsed JSON object", JSON.parse(BODY)],
    ["number", 42],
    ["undefined", undefined],
    ["null", null],
    ["array of bytes", [1, 2, 3]],
    ["ArrayBuffer", new ArrayBuffer(4)],
  ];
  it.each(notRaw)("%s → invalid_body saying to pass the raw body", (_, body) => {
    const error = expectCode(() => verifier.verify(body as RawBody, signedHeaders()), "invalid_body");
    expect(error.message).toContain(
      "Pass the raw request body (Buffer, Uint8Array or string) exactly as received; a parsed JSON object cannot be verified because re-serialising changes the bytes.",
    );
    expectCode(() => verifier.verifyParts(body as RawBody, ID, String(NOW), "v1,x"), "invalid_body");
  });

  it("the body check comes first, even with no headers at all", () => {
    expectCode(() => verifier.verify({ parsed: true } as unknown as RawBody, {}), "invalid_body");
  });

  it("Buffer, Uint8Array and string forms of the same bytes all verify", () => {
    const headers = signedHeaders();
    expect(verifier.verify(BODY, headers).id).toBe(ID);
    expect(verifier.verify(Buffer.from(BODY), headers).id).toBe(ID);
    expect(verifier.verify(new Uint8Array(Buffer.from(BODY)), headers).id).toBe(ID);
  });
});

describe("bytes, not text", () => {
  const invalidUtf8 = Buffer.from([0x7b, 0xff, 0xfe, 0x80, 0xc3, 0x28, 0x00, 0x7d]);

  it("a body with invalid UTF-8 verifies", () => {
    expect(verifier.verify(invalidUtf8, signedHeaders(invalidUtf8))).toEqual({ id: ID, timestamp: NOW });
  });

  it("decoding that body to text and back breaks it (so the MAC really is over bytes)", () => {
    const headers = signedHeaders(invalidUtf8);
    expectCode(() => verifier.verify(invalidUtf8.toString("utf8"), headers), "no_matching_signature");
  });

  it("an empty body signs and verifies", () => {
    expect(verifier.verify("", signedHeaders("")).id).toBe(ID);
  });
});

describe("any single flipped byte fails with no_matching_signature", () => {
  const headers = signedHeaders();
  it.each([0, 10, BODY.length - 1])("body byte %i", (index) => {
    const body = Buffer.from(BODY);
    body[index] = (body[index] ?? 0) ^ 0x01;
    expectCode(() => verifier.verify(body, headers), "no_matching_signature");
  });
  it.each([0, 4, ID.length - 1])("id byte %i", (index) => {
    const id = ID.slice(0, index) + String.fromCharCode(ID.charCodeAt(index) ^ 0x01) + ID.slice(index + 1);
    expectCode(() => verifier.verify(BODY, { ...headers, "webhook-id": id }), "no_matching_signature");
  });
  it("timestamp last digit (still inside the tolerance)", () => {
    expectCode(() => verifier.verify(BODY, { ...headers, "webhook-timestamp": String(NOW + 1) }), "no_matching_signature");
  });
  it("signature byte", () => {
    const mac = Buffer.from(entryValue(headers["webhook-signature"] ?? ""), "base64");
    mac[5] = (mac[5] ?? 0) ^ 0x01;
    expectCode(() => verifier.verify(BODY, { ...headers, "webhook-signature": `v1,${mac.toString("base64")}` }), "no_matching_signature");
  });
});

describe("timestamp tolerance", () => {
  it.each([
    ["exactly 300 s old", -300],
    ["exactly 300 s ahead", 300],
    ["now", 0],
  ])("%s passes", (_, offset) => {
    expect(verifier.verify(BODY, signedHeaders(BODY, NOW + offset)).timestamp).toBe(NOW + offset);
  });

  it("301 s old → timestamp_too_old", () => {
    const error = expectCode(() => verifier.verify(BODY, signedHeaders(BODY, NOW - 301)), "timestamp_too_old");
    expect(error.message).toContain("301 s in the past");
  });

  it("301 s ahead → timestamp_too_new", () => {
    const error = expectCode(() => verifier.verify(BODY, signedHeaders(BODY, NOW + 301)), "timestamp_too_new");
    expect(error.message).toContain("301 s in the future");
  });

  it("custom tolerance applies in both directions", () => {
    const strict = new WebhookVerifier(SECRET, { toleranceSeconds: 10, now: clockAt(NOW) });
    expect(strict.verify(BODY, signedHeaders(BODY, NOW - 10)).id).toBe(ID);
    expect(strict.verify(BODY, signedHeaders(BODY, NOW + 10)).id).toBe(ID);
    expectCode(() => strict.verify(BODY, signedHeaders(BODY, NOW - 11)), "timestamp_too_old");
    expectCode(() => strict.verify(BODY, signedHeaders(BODY, NOW + 11)), "timestamp_too_new");
  });

  it("zero tolerance accepts only the current second", () => {
    const exact = new WebhookVerifier(SECRET, { toleranceSeconds: 0, now: () => NOW * 1000 + 999 });
    expect(exact.verify(BODY, signedHeaders(BODY, NOW)).id).toBe(ID);
    expectCode(() => exact.verify(BODY, signedHeaders(BODY, NOW - 1)), "timestamp_too_old");
  });

  it("the injected clock is read on every call", () => {
    let nowMs = NOW * 1000;
    const moving = new WebhookVerifier(SECRET, { now: () => nowMs });
    const headers = signedHeaders();
    expect(moving.verify(BODY, headers).id).toBe(ID);
    nowMs += 301_000;
    expectCode(() => moving.verify(BODY, headers), "timestamp_too_old");
  });

  it("defaults to the real clock", () => {
    const real = new WebhookVerifier(SECRET);
    const timestamp = Math.floor(Date.now() / 1000);
    expect(real.verify(BODY, signedHeaders(BODY, timestamp)).timestamp).toBe(timestamp);
    expectCode(() => real.verify(BODY, signedHeaders(BODY, timestamp - 3600)), "timestamp_too_old");
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])("tolerance %s is refused at construction", (toleranceSeconds) => {
    expect(() => new WebhookVerifier(SECRET, { toleranceSeconds })).toThrow(RangeError);
  });
});

describe("timestamp must be strict digits", () => {
  const valid = signedHeaders();
  it.each([
    ["leading space", " 1700000000"],
    ["trailing space", "1700000000 "],
    ["exponent", "1.7e9"],
    ["exponent, integer mantissa", "1e9"],
    ["plus sign", "+1700000000"],
    ["minus sign", "-1700000000"],
    ["decimal", "1700000000.0"],
    ["hex", "0x10"],
    ["16 digits", "1700000000000000"],
    ["letters", "hello"],
    ["Arabic-Indic digits", "\u0661\u0667\u0660\u0660"],
    ["underscore separator", "1_700_000_000"],
  ])("%s (%j) → invalid_timestamp", (_, timestamp) => {
    expectCode(() => verifier.verify(BODY, { ...valid, "webhook-timestamp": timestamp }), "invalid_timestamp");
  });

  it("an empty timestamp is a missing header", () => {
    expectCode(() => verifier.verify(BODY, { ...valid, "webhook-timestamp": "" }), "missing_header");
  });

  it("15 digits are syntactically fine (then too new)", () => {
    expectCode(() => verifier.verify(BODY, { ...valid, "webhook-timestamp": "999999999999999" }), "timestamp_too_new");
  });

  it("leading zeros are digits; the text as sent is what was signed", () => {
    expectCode(() => verifier.verify(BODY, { ...valid, "webhook-timestamp": `0${NOW}` }), "no_matching_signature");
  });
});

describe("check order", () => {
  it("missing header before a bad timestamp", () => {
    expectCode(() => verifier.verify(BODY, { "webhook-timestamp": "x", "webhook-signature": "v1,x" }), "missing_header");
  });
  it("invalid timestamp before tolerance and signature", () => {
    expectCode(
      () => verifier.verify(BODY, { "webhook-id": ID, "webhook-timestamp": "-5", "webhook-signature": "junk" }),
      "invalid_timestamp",
    );
  });
  it("tolerance before signature", () => {
    expectCode(
      () => verifier.verify(BODY, { "webhook-id": ID, "webhook-timestamp": String(NOW - 1000), "webhook-signature": "junk" }),
      "timestamp_too_old",
    );
  });
});

describe("header extraction", () => {
  const valid = signedHeaders();

  it.each(["webhook-id", "webhook-timestamp", "webhook-signature"])("absent %s → missing_header naming it", (name) => {
    const headers: Record<string, string> = { ...valid };
    delete headers[name];
    expect(expectCode(() => verifier.verify(BODY, headers), "missing_header").message).toContain(`"${name}"`);
    expect(expectCode(() => verifier.verify(BODY, { ...valid, [name]: "" }), "missing_header").message).toContain(`"${name}"`);
    expect(expectCode(() => verifier.verify(BODY, { ...valid, [name]: [] }), "missing_header").message).toContain(`"${name}"`);
  });

  it("header names match case-insensitively", () => {
    const mixed = {
      "Webhook-Id": valid["webhook-id"],
      "WEBHOOK-TIMESTAMP": valid["webhook-timestamp"],
      "webhook-Signature": valid["webhook-signature"],
    };
    expect(verifier.verify(BODY, mixed).id).toBe(ID);
  });

  it("a repeated header given as an array uses its first value", () => {
    const headers = { ...valid, "webhook-signature": [valid["webhook-signature"] ?? "", "v1,other"], "webhook-id": [ID, "ignored"] };
    expect(verifier.verify(BODY, headers).id).toBe(ID);
  });

  it("Web Headers objects work", () => {
    expect(verifier.verify(BODY, new Headers(valid)).id).toBe(ID);
  });

  it("values of other types → invalid_header", () => {
    expectCode(() => verifier.verify(BODY, { ...valid, "webhook-id": 42 } as never), "invalid_header");
  });

  it("a throwing getter → invalid_header, not the getter's error", () => {
    const hostile = Object.defineProperty({ ...valid }, "webhook-id", {
      enumerable: true,
      get: () => {
        throw new Error("boom");
      },
    });
    expectCode(() => verifier.verify(BODY, hostile), "invalid_header");
  });

  it("verifyParts applies the same presence rules", () => {
    expectCode(() => verifier.verifyParts(BODY, "", String(NOW), valid["webhook-signature"] ?? ""), "missing_header");
    expectCode(() => verifier.verifyParts(BODY, ID, undefined as unknown as string, "x"), "missing_header");
  });

  it("an id with control characters → invalid_header", () => {
    for (const id of ["msg\u0000x", "msg\r\nx", "msg\u007fx"]) {
      expectCode(() => verifier.verify(BODY, { ...valid, "webhook-id": id }), "invalid_header");
    }
  });
});

describe("bounded signature header", () => {
  const valid = signedHeaders();
  const entry = valid["webhook-signature"] ?? "";

  it("over 8 KiB → invalid_header, even with a valid entry first", () => {
    const header = `${entry} ${"v2,x".padEnd(8192 - entry.length, "x")}`;
    expect(header.length).toBe(8193);
    expectCode(() => verifier.verify(BODY, { ...valid, "webhook-signature": header }), "invalid_header");
  });

  it("exactly 8 KiB is accepted", () => {
    const header = `${entry}${" ".repeat(8192 - entry.length)}`;
    expect(verifier.verify(BODY, { ...valid, "webhook-signature": header }).id).toBe(ID);
  });

  it("the 64th entry is considered, the 65th is not", () => {
    const filler = (count: number): string => Array.from({ length: count }, () => "v2,x").join(" ");
    expect(verifier.verify(BODY, { ...valid, "webhook-signature": `${filler(63)} ${entry}` }).id).toBe(ID);
    expectCode(() => verifier.verify(BODY, { ...valid, "webhook-signature": `${filler(64)} ${entry}` }), "no_matching_signature");
  });
});

describe("error messages", () => {
  it("no_matching_signature names neither the received nor the expected signature", () => {
    const valid = signedHeaders();
    const received = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
    const error = expectCode(() => verifier.verify(BODY, { ...valid, "webhook-signature": received }), "no_matching_signature");
    expect(error.message).not.toContain(entryValue(received));
    expect(error.message).not.toContain(entryValue(valid["webhook-signature"] ?? ""));
    expect(error.message).toContain("raw body");
  });
});
