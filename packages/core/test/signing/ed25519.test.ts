import { createPublicKey, generateKeyPairSync, randomBytes, sign, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { WebhookSigner, WebhookVerifier, generateKeyPair } from "../../src/signing/index.js";
import { BODY, ID, NOW, clockAt, entryValue, expectCode } from "./fixtures.js";

const input = { id: ID, timestamp: NOW, body: BODY };
const at = { now: clockAt(NOW) };

function raw(key: string): Buffer {
  return Buffer.from(key.slice(key.indexOf("_") + 1), "base64");
}

describe("Ed25519 (v1a)", () => {
  const pair = generateKeyPair();
  const header = new WebhookSigner(pair.secretKey).sign(input);

  it("generateKeyPair gives whsk_ + base64(32-byte seed) and whpk_ + base64(32-byte public key)", () => {
    expect(pair.secretKey).toMatch(/^whsk_[A-Za-z0-9+/]{43}=$/);
    expect(pair.publicKey).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
    expect(raw(pair.secretKey)).toHaveLength(32);
    expect(raw(pair.publicKey)).toHaveLength(32);
    expect(generateKeyPair().secretKey).not.toBe(pair.secretKey);
  });

  it("signs one v1a entry with a 64-byte signature", () => {
    expect(header).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
  });

  it("round trip: whsk_ signs, whpk_ verifies", () => {
    expect(new WebhookVerifier(pair.publicKey, at).verifyParts(BODY, ID, String(NOW), header)).toEqual({ id: ID, timestamp: NOW });
  });

  it("a verifier given the whsk_ derives the public key", () => {
    expect(new WebhookVerifier(pair.secretKey, at).verifyParts(BODY, ID, String(NOW), header).id).toBe(ID);
  });

  // biome-ignore lint/suspicious/noTemplateCurlyInString: the test name quotes the signed content's template.
  it("the signature is plain RFC 8032 Ed25519 over `${id}.${timestamp}.${body}`", () => {
    const spki = Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), raw(pair.publicKey)]);
    const key = createPublicKey({ key: spki, format: "der", type: "spki" });
    expect(verify(null, Buffer.from(`${ID}.${NOW}.${BODY}`), key, Buffer.from(entryValue(header), "base64"))).toBe(true);
  });

  it("the 64-byte libsodium form (seed ‖ public key) signs identically to the 32-byte seed", () => {
    const libsodium = `whsk_${Buffer.concat([raw(pair.secretKey), raw(pair.publicKey)]).toString("base64")}`;
    expect(new WebhookSigner(libsodium).sign(input)).toBe(header);
  });

  it("a 64-byte form whose public half does not match the seed is refused", () => {
    const spliced = `whsk_${Buffer.concat([raw(pair.secretKey), randomBytes(32)]).toString("base64")}`;
    expect(expectCode(() => new WebhookSigner(spliced), "invalid_secret").message).toContain("last 32 bytes");
  });

  it.each([
    ["whsk_ of 31 bytes", `whsk_${randomBytes(31).toString("base64")}`, "32-byte Ed25519 seed"],
    ["whsk_ of 33 bytes", `whsk_${randomBytes(33).toString("base64")}`, "32-byte Ed25519 seed"],
    ["whsk_ not base64", "whsk_%%%%", "canonical standard base64"],
    ["whpk_ of 31 bytes", `whpk_${randomBytes(31).toString("base64")}`, "32-byte Ed25519 public key"],
    ["whpk_ of 64 bytes", `whpk_${randomBytes(64).toString("base64")}`, "32-byte Ed25519 public key"],
  ])("%s → invalid_secret", (_, key, rule) => {
    const error = expectCode(() => (key.startsWith("whpk_") ? new WebhookVerifier(key) : new WebhookSigner(key)), "invalid_secret");
    expect(error.message).toContain(rule);
    expect(error.message).not.toContain(key.slice(5));
  });

  it("a whpk_ public key cannot sign", () => {
    expect(expectCode(() => new WebhookSigner(pair.publicKey), "invalid_secret").message).toContain("whsk_");
  });

  it.each([
    ["body", { body: `${BODY} ` }],
    ["id", { id: `${ID}x` }],
    ["timestamp", { timestamp: String(NOW + 1) }],
  ])("tampered %s → no_matching_signature", (_, change) => {
    const parts = { body: BODY, id: ID, timestamp: String(NOW), ...change };
    expectCode(
      () => new WebhookVerifier(pair.publicKey, at).verifyParts(parts.body, parts.id, parts.timestamp, header),
      "no_matching_signature",
    );
  });

  it("another key pair's public key does not verify", () => {
    expectCode(
      () => new WebhookVerifier(generateKeyPair().publicKey, at).verifyParts(BODY, ID, String(NOW), header),
      "no_matching_signature",
    );
  });

  it("v1a never satisfies a whsec_ key, even one holding the same 32 bytes as the seed", () => {
    const sameBytes = `whsec_${raw(pair.secretKey).toString("base64")}`;
    expectCode(() => new WebhookVerifier(sameBytes, at).verifyParts(BODY, ID, String(NOW), header), "no_matching_signature");
  });

  it("v1 never satisfies a whpk_ key, even relabelled", () => {
    const sameBytes = `whsec_${raw(pair.secretKey).toString("base64")}`;
    const v1 = new WebhookSigner(sameBytes).sign(input);
    const verifier = new WebhookVerifier([pair.publicKey], at);
    expectCode(() => verifier.verifyParts(BODY, ID, String(NOW), v1), "no_matching_signature");
    expectCode(() => verifier.verifyParts(BODY, ID, String(NOW), `v1a,${entryValue(v1)}`), "no_matching_signature");
  });

  it("a signature over other content, or random 64 bytes, is simply no match", () => {
    const other = sign(null, Buffer.from(`${ID}.${NOW}.${BODY}`), generateKeyPairSync("ed25519").privateKey);
    const forged = `v1a,${other.toString("base64")} v1a,${randomBytes(64).toString("base64")} v1a,${Buffer.alloc(64).toString("base64")}`;
    expectCode(() => new WebhookVerifier(pair.publicKey, at).verifyParts(BODY, ID, String(NOW), forged), "no_matching_signature");
  });
});
