import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { WebhookSigner, WebhookVerifier, generateKeyPair, generateSecret } from "../../src/signing/index.js";
import { BODY, ID, NOW, SECRET, clockAt, expectCode } from "./fixtures.js";

const whsec = (bytes: number): string => `whsec_${randomBytes(bytes).toString("base64")}`;

/** Key material that must never show up in a message or a printed object. */
function secretParts(key: string): string[] {
  const payload = key.slice(key.indexOf("_") + 1);
  const parts = [key, payload, Buffer.from(payload, "base64").toString("hex")];
  return parts.filter((part) => part.length >= 8);
}

describe("whsec_ secrets", () => {
  it.each([24, 32, 64])("%i random bytes are accepted by signer and verifier", (bytes) => {
    const secret = whsec(bytes);
    const header = new WebhookSigner(secret).sign({ id: ID, timestamp: NOW, body: BODY });
    expect(new WebhookVerifier(secret, { now: clockAt(NOW) }).verifyParts(BODY, ID, String(NOW), header).id).toBe(ID);
  });

  it.each([
    ["23 bytes", whsec(23), "24–64 bytes"],
    ["65 bytes", whsec(65), "24–64 bytes"],
    ["0 bytes (prefix only)", "whsec_", "canonical standard base64"],
    ["empty string", "", "is empty"],
    ["missing prefix (bare base64)", randomBytes(32).toString("base64"), '"whsec_" prefix'],
    ["wrong prefix", `whsecret_${randomBytes(32).toString("base64")}`, "no recognised prefix"],
    ["not base64", "whsec_not*base64*at*all!!!!!!!!!!!!!", "canonical standard base64"],
    ["URL-safe alphabet", `whsec_-${randomBytes(33).toString("base64url").slice(1)}`, "canonical standard base64"],
    ["missing padding", `whsec_${randomBytes(32).toString("base64").replace(/=+$/, "")}`, "canonical standard base64"],
    ["trailing newline", `${whsec(32)}\n`, "canonical standard base64"],
  ])("%s → invalid_secret naming the rule", (_, secret, rule) => {
    for (const construct of [() => new WebhookSigner(secret), () => new WebhookVerifier(secret)]) {
      const error = expectCode(construct, "invalid_secret");
      expect(error.message).toContain(rule);
      for (const part of secretParts(secret)) expect(error.message).not.toContain(part);
    }
  });

  it("a bad key in a list is reported by position, never by value", () => {
    const bad = whsec(10);
    const error = expectCode(() => new WebhookVerifier([SECRET, bad]), "invalid_secret");
    expect(error.message).toContain("keys[1]");
    expect(error.message).toContain("decodes to 10");
    for (const part of [...secretParts(bad), ...secretParts(SECRET)]) expect(error.message).not.toContain(part);
  });

  it.each([
    ["an empty list", []],
    ["undefined", undefined],
    ["a number", 42],
    ["a list holding a non-string", [SECRET, 7]],
  ])("%s → invalid_secret", (_, keys) => {
    expectCode(() => new WebhookSigner(keys as string[]), "invalid_secret");
    expectCode(() => new WebhookVerifier(keys as string[]), "invalid_secret");
  });

  it("generateSecret gives whsec_ + canonical base64 of 32 bytes, different every time", () => {
    const a = generateSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), "base64")).toHaveLength(32);
    expect(generateSecret()).not.toBe(a);
  });
});

describe("objects holding keys never show key material", () => {
  const { secretKey, publicKey } = generateKeyPair();
  const secret = generateSecret();
  const signer = new WebhookSigner([secret, secretKey]);
  const verifier = new WebhookVerifier([secret, publicKey, secretKey]);
  const forbidden = [...secretParts(secret), ...secretParts(secretKey)];

  it.each([
    ["util.inspect", (value: unknown) => inspect(value)],
    ["util.inspect, showHidden and full depth", (value: unknown) => inspect(value, { showHidden: true, depth: Infinity })],
    [
      "util.inspect without custom inspectors",
      (value: unknown) => inspect(value, { customInspect: false, showHidden: true, depth: Infinity }),
    ],
    ["JSON.stringify", (value: unknown) => JSON.stringify(value)],
    ["String()", (value: unknown) => String(value)],
    ["template literal", (value: unknown) => `${String(value)}`],
    ["enumerable properties", (value: unknown) => JSON.stringify(Object.entries(value as object))],
    ["own property names", (value: unknown) => Object.getOwnPropertyNames(value).join(",")],
  ])("%s", (_, show) => {
    for (const value of [signer, verifier]) {
      const text = show(value);
      for (const part of forbidden) expect(text).not.toContain(part);
      expect(text).not.toMatch(/whs(ec|k)_/);
    }
  });

  it("inspect prints the kind and the key count only", () => {
    expect(inspect(signer)).toBe("WebhookSigner { keys: 2 }");
    expect(inspect(verifier)).toBe("WebhookVerifier { keys: 3 }");
    expect(Object.keys(signer)).toEqual([]);
    expect(Object.keys(verifier)).toEqual([]);
  });
});
