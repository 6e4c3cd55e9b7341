/**
 * The verifier's per-request checks are written for speed (a regex instead of decode + re-encode,
 * digit loops instead of a regex, MACs compared as base64 text). These tests pin each one to the
 * plain definition it replaces, so the accepted set cannot drift.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeCanonicalBase64 } from "../../src/signing/base64.js";
import { WebhookSigner, WebhookVerifier } from "../../src/signing/index.js";
import { parseTimestamp } from "../../src/signing/timestamp.js";
import { BODY, ID, NOW, SECRET, clockAt, entryValue, expectCode } from "./fixtures.js";

/** The rule as documented: decoding and re-encoding gives back the input. */
function roundTripDefinition(text: string): Buffer | undefined {
  if (text.length === 0 || text.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(text, "base64");
  return bytes.toString("base64") === text ? bytes : undefined;
}

const base64ish = fc
  .array(fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \t\n.\u00ff\u0141"), { maxLength: 48 })
  .map((chars) => chars.join(""));
const encoded = fc.uint8Array({ maxLength: 70 }).map((bytes) => Buffer.from(bytes).toString("base64"));
/** Canonical encodings with one character changed: the near misses a regex could get wrong. */
const mutated = fc
  .tuple(
    encoded.filter((text) => text.length > 0),
    fc.nat(),
    fc.constantFrom(..."AQgwBRhx+/=-_ \u0100\u0141"),
  )
  .map(([text, at, char]) => {
    const i = at % text.length;
    return text.slice(0, i) + char + text.slice(i + 1);
  });

describe("fast paths agree with their definitions", () => {
  it("decodeCanonicalBase64 accepts exactly what survives decode + re-encode", () => {
    fc.assert(
      fc.property(fc.oneof(base64ish, encoded, mutated, fc.string(), fc.string({ unit: "binary" })), (text) => {
        expect(decodeCanonicalBase64(text)).toEqual(roundTripDefinition(text));
      }),
      { numRuns: 5000 },
    );
  });

  it("parseTimestamp accepts exactly 1–15 ASCII digits and returns Number(text)", () => {
    const digitsLike = fc.array(fc.constantFrom(..."0123456789 +-.eE\u0660x"), { maxLength: 18 }).map((chars) => chars.join(""));
    fc.assert(
      fc.property(fc.oneof(digitsLike, fc.string(), fc.integer({ min: 0 }).map(String)), (text) => {
        if (/^[0-9]{1,15}$/.test(text)) expect(parseTimestamp(text)).toBe(Number(text));
        else expectCode(() => parseTimestamp(text), "invalid_timestamp");
      }),
      { numRuns: 3000 },
    );
  });

  it("ids with C0 control characters or DEL are refused, every other character passes that check", () => {
    const verifier = new WebhookVerifier(SECRET, { now: clockAt(NOW) });
    fc.assert(
      fc.property(fc.string({ unit: "binary", minLength: 1, maxLength: 12 }), (id) => {
        const signature = new WebhookSigner(SECRET).sign({ id: "x", timestamp: NOW, body: BODY });
        let code: string | undefined;
        try {
          verifier.verifyParts(BODY, id, String(NOW), signature);
        } catch (error) {
          code = (error as { code?: string }).code;
        }
        if (/[\u0000-\u001F\u007F]/.test(id)) expect(code).toBe("invalid_header");
        else expect(code).not.toBe("invalid_header");
      }),
      { numRuns: 2000 },
    );
  });
});

describe("v1 entries are compared as canonical base64 text", () => {
  const verifier = new WebhookVerifier(SECRET, { now: clockAt(NOW) });
  const entry = new WebhookSigner(SECRET).sign({ id: ID, timestamp: NOW, body: BODY });
  const mac = entryValue(entry);
  const at = 10;
  const code = mac.charCodeAt(at);

  it.each([
    // Each has 44 UTF-16 units, like the real MAC: only the byte comparison can tell them apart.
    ["a character whose Latin-1 truncation is the right one", String.fromCharCode(0x100 + code)],
    ["its full-width form", String.fromCharCode(0xff00 + code - 0x20)],
    ["a lone surrogate", "\ud800"],
    ["a NUL", "\u0000"],
  ])("one character replaced by %s → no_matching_signature", (_, replacement) => {
    const spoofed = `v1,${mac.slice(0, at)}${replacement}${mac.slice(at + 1)}`;
    expect(spoofed.length).toBe(entry.length);
    expectCode(() => verifier.verifyParts(BODY, ID, String(NOW), spoofed), "no_matching_signature");
  });

  it("the error still counts only canonical 32-byte entries as well-formed", () => {
    const urlSafe = mac.replace(/\+/g, "-").replace(/\//g, "_").replace(/^./, "-");
    const error = expectCode(
      () => verifier.verifyParts(BODY, ID, String(NOW), `v1,${urlSafe} v1,${"A".repeat(43)}= v1,${"A".repeat(43)}B`),
      "no_matching_signature",
    );
    expect(error.message).toContain("found 1 well-formed v1 and 0 well-formed v1a entries");
  });

  it("the real entry still verifies next to its look-alikes", () => {
    const spoofed = `v1,${mac.slice(0, at)}${String.fromCharCode(0x100 + code)}${mac.slice(at + 1)}`;
    expect(verifier.verifyParts(BODY, ID, String(NOW), `${spoofed} ${entry}`)).toEqual({ id: ID, timestamp: NOW });
  });
});
