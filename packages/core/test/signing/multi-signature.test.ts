import { describe, expect, it } from "vitest";
import { WebhookSigner, WebhookVerifier, generateKeyPair } from "../../src/signing/index.js";
import { BODY, ID, NOW, OTHER_SECRET, SECRET, clockAt, entryValue, expectCode } from "./fixtures.js";

const pair = generateKeyPair();
const input = { id: ID, timestamp: NOW, body: BODY };
const v1 = new WebhookSigner(SECRET).sign(input);
const v1Old = new WebhookSigner(OTHER_SECRET).sign(input);
const v1a = new WebhookSigner(pair.secretKey).sign(input);
const mac = entryValue(v1);

/** A body whose v1 signature contains "+" or "/", so the URL-safe spelling differs. */
function signatureWithUrlUnsafeChars(): { body: string; entry: string } {
  for (let n = 0; ; n += 1) {
    const body = `{"n":${n}}`;
    const entry = new WebhookSigner(SECRET).sign({ ...input, body });
    if (/[+/]/.test(entryValue(entry))) return { body, entry };
  }
}

function withLastCharBitsSet(base64: string): string {
  // 32 bytes → 43 symbols + "=": the last symbol carries 2 unused bits, canonical only when zero.
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const last = alphabet.indexOf(base64.charAt(42));
  return `${base64.slice(0, 42)}${alphabet.charAt(last | 0b01)}=`;
}

describe("multi-signature header", () => {
  const hmacOnly = new WebhookVerifier(SECRET, { now: clockAt(NOW) });
  const ed25519Only = new WebhookVerifier(pair.publicKey, { now: clockAt(NOW) });
  const both = new WebhookVerifier([pair.publicKey, SECRET], { now: clockAt(NOW) });

  it.each([
    ["rotation: old secret's entry, then the new one", hmacOnly, `${v1Old} ${v1}`],
    ["rotation: new secret's entry, then the old one", hmacOnly, `${v1} ${v1Old}`],
    [
      "rotation: verifier holds old and new, header only the old",
      new WebhookVerifier([SECRET, OTHER_SECRET], { now: clockAt(NOW) }),
      v1Old,
    ],
    ["unknown versions around the valid entry", hmacOnly, `v2,${mac} v1b,${mac} v0,${mac} ${v1} v3,abc`],
    ["same MAC under an unknown version does not count, the real one does", hmacOnly, `V1,${mac} v1 ,${mac} ${v1}`],
    ["garbage entries", hmacOnly, `garbage ,,, v1,!!!! v1,${mac}extra ${v1} \u00ff\u00fe`],
    ["entries without a comma", hmacOnly, `v1 ${mac} ${v1}`],
    ["empty parts", hmacOnly, `, v1, ,${mac} ${v1}`],
    ["leading, trailing and repeated spaces", hmacOnly, `   ${v1Old}     ${v1}   `],
    ["v1 + v1a, verifier holds a whsec_ key", hmacOnly, `${v1a} ${v1}`],
    ["v1 + v1a, verifier holds a whpk_ key", ed25519Only, `${v1} ${v1a}`],
    ["v1 + v1a, verifier holds both kinds", both, `${v1} ${v1a}`],
    ["the signer's own multi-key output", both, new WebhookSigner([OTHER_SECRET, pair.secretKey]).sign(input)],
  ])("%s → verifies", (_, verifier, header) => {
    expect(verifier.verifyParts(BODY, ID, String(NOW), header)).toEqual({ id: ID, timestamp: NOW });
  });

  const urlSafe = signatureWithUrlUnsafeChars();
  it.each([
    ["only the old secret's entry", hmacOnly, BODY, v1Old],
    ["missing padding", hmacOnly, BODY, v1.replace(/=+$/, "")],
    ["URL-safe alphabet", hmacOnly, urlSafe.body, urlSafe.entry.replace(/\+/g, "-").replace(/\//g, "_")],
    ["non-zero unused trailing bits (decodes to the same bytes)", hmacOnly, BODY, `v1,${withLastCharBitsSet(mac)}`],
    ["whitespace inside the base64", hmacOnly, BODY, `v1,${mac.slice(0, 20)}\t${mac.slice(20)}`],
    ["tab as the separator glues entries together", hmacOnly, BODY, `${v1Old}\t${v1}`],
    ["extra comma and suffix", hmacOnly, BODY, `${v1},v1`],
    ["upper-case version", hmacOnly, BODY, `V1,${mac}`],
    ["a v1a entry for a whsec_ verifier", hmacOnly, BODY, v1a],
    ["a v1 entry for a whpk_ verifier", ed25519Only, BODY, v1],
    ["a v1 MAC labelled v1a", ed25519Only, BODY, `v1a,${mac}`],
    ["a v1a signature labelled v1", hmacOnly, BODY, `v1,${entryValue(v1a)}`],
    ["only garbage", both, BODY, "v1,, ,v1 v1a, =,= v1,===="],
  ])("%s → no_matching_signature", (_, verifier, body, header) => {
    expectCode(() => verifier.verifyParts(body, ID, String(NOW), header), "no_matching_signature");
  });

  it("the URL-safe and trailing-bit spellings are rejected by rule, not because their bytes differ", () => {
    expect(Buffer.from(urlSafe.entry.slice(3).replace(/\+/g, "-").replace(/\//g, "_"), "base64")).toEqual(
      Buffer.from(entryValue(urlSafe.entry), "base64"),
    );
    expect(Buffer.from(withLastCharBitsSet(mac), "base64")).toEqual(Buffer.from(mac, "base64"));
    expect(withLastCharBitsSet(mac)).not.toBe(mac);
    expect(hmacOnly.verifyParts(urlSafe.body, ID, String(NOW), urlSafe.entry).id).toBe(ID);
  });
});
