/**
 * What a hostile `webhook-signature` header can make the verifier compute, counted (not timed):
 * node:crypto is wrapped so every Ed25519 verification, HMAC and comparison is counted.
 */
import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { WebhookSigner, WebhookVerifier, generateKeyPair, generateSecret } from "../../src/signing/index.js";
import { MAX_SIGNATURE_ENTRIES, MAX_V1A_ENTRIES_CHECKED } from "../../src/signing/signature-header.js";
import { ID, NOW, OTHER_SECRET, SECRET, clockAt, expectCode } from "./fixtures.js";

const calls = vi.hoisted(() => ({ verify: 0, createHmac: 0, timingSafeEqual: 0 }));

vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:crypto")>();
  return {
    ...actual,
    verify: (...args: Parameters<typeof actual.verify>) => {
      calls.verify++;
      return actual.verify(...args);
    },
    createHmac: (...args: Parameters<typeof actual.createHmac>) => {
      calls.createHmac++;
      return actual.createHmac(...args);
    },
    timingSafeEqual: (...args: Parameters<typeof actual.timingSafeEqual>) => {
      calls.timingSafeEqual++;
      return actual.timingSafeEqual(...args);
    },
  };
});

beforeEach(() => {
  calls.verify = 0;
  calls.createHmac = 0;
  calls.timingSafeEqual = 0;
});

/** A 1 MiB body, as in the report: every Ed25519 check hashes all of it. */
const BODY = Buffer.alloc(1024 * 1024, 0x61);
const TIMESTAMP = String(NOW);

/** A well-formed `v1a` entry that verifies nothing; S < L, so it is not refused before hashing. */
function junkV1a(): string {
  const signature = randomBytes(64);
  signature[63] = 0;
  return `v1a,${signature.toString("base64")}`;
}

function junkV1(): string {
  return `v1,${randomBytes(32).toString("base64")}`;
}

function ed25519Verifier(keys: number): { verifier: WebhookVerifier; secretKeys: string[] } {
  const pairs = Array.from({ length: keys }, () => generateKeyPair());
  return {
    verifier: new WebhookVerifier(
      pairs.map((pair) => pair.publicKey),
      { now: clockAt(NOW) },
    ),
    secretKeys: pairs.map((pair) => pair.secretKey),
  };
}

describe("v1a: a bounded number of distinct entries is checked", () => {
  it.each([1, 3])("64 junk v1a entries, %i whpk_ key(s): at most MAX_V1A_ENTRIES_CHECKED verifications per key", (keys) => {
    const { verifier } = ed25519Verifier(keys);
    const header = Array.from({ length: MAX_SIGNATURE_ENTRIES }, junkV1a).join(" ");
    const error = expectCode(() => verifier.verifyParts(BODY, ID, TIMESTAMP, header), "no_matching_signature");
    expect(calls.verify).toBe(MAX_V1A_ENTRIES_CHECKED * keys);
    expect(MAX_V1A_ENTRIES_CHECKED).toBe(8);
    expect(error.message).toContain(
      `found 0 well-formed v1 and 64 well-formed v1a entries, of which only the first 8 distinct ones are checked`,
    );
  });

  it("a repeated entry is checked once", () => {
    const { verifier } = ed25519Verifier(2);
    const header = Array(MAX_SIGNATURE_ENTRIES).fill(junkV1a()).join(" ");
    const error = expectCode(() => verifier.verifyParts(BODY, ID, TIMESTAMP, header), "no_matching_signature");
    expect(calls.verify).toBe(2);
    expect(error.message).toContain("found 0 well-formed v1 and 1 well-formed v1a entries;");
  });

  it("repeats do not use up the bound: the valid entry after 60 copies of one junk entry verifies", () => {
    const { verifier, secretKeys } = ed25519Verifier(1);
    const valid = new WebhookSigner(secretKeys).sign({ id: ID, timestamp: NOW, body: BODY });
    const header = [...Array(60).fill(junkV1a()), valid].join(" ");
    expect(verifier.verifyParts(BODY, ID, TIMESTAMP, header)).toEqual({ id: ID, timestamp: NOW });
    expect(calls.verify).toBe(2);
  });

  it("a rotation signed with 8 keys verifies with any one of them, the last included", () => {
    const keys = Array.from({ length: MAX_V1A_ENTRIES_CHECKED }, () => generateKeyPair());
    const header = new WebhookSigner(keys.map((pair) => pair.secretKey)).sign({ id: ID, timestamp: NOW, body: BODY });
    for (const pair of keys) {
      expect(new WebhookVerifier(pair.publicKey, { now: clockAt(NOW) }).verifyParts(BODY, ID, TIMESTAMP, header).id).toBe(ID);
    }
  });

  it("a valid entry after 8 distinct other v1a entries is not checked", () => {
    const { verifier, secretKeys } = ed25519Verifier(1);
    const valid = new WebhookSigner(secretKeys).sign({ id: ID, timestamp: NOW, body: BODY });
    const eighth = [...Array.from({ length: MAX_V1A_ENTRIES_CHECKED - 1 }, junkV1a), valid].join(" ");
    expect(verifier.verifyParts(BODY, ID, TIMESTAMP, eighth).id).toBe(ID);
    const ninth = [...Array.from({ length: MAX_V1A_ENTRIES_CHECKED }, junkV1a), valid].join(" ");
    expectCode(() => verifier.verifyParts(BODY, ID, TIMESTAMP, ninth), "no_matching_signature");
  });
});

describe("v1: one HMAC per key, one comparison per distinct entry and key", () => {
  const verifier = new WebhookVerifier([SECRET, OTHER_SECRET, generateSecret()], { now: clockAt(NOW) });

  it("64 junk v1 entries, 3 whsec_ keys: 3 HMACs and at most 64 comparisons per key", () => {
    const header = Array.from({ length: MAX_SIGNATURE_ENTRIES }, junkV1).join(" ");
    expectCode(() => verifier.verifyParts(BODY, ID, TIMESTAMP, header), "no_matching_signature");
    expect(calls.createHmac).toBe(3);
    expect(calls.timingSafeEqual).toBe(MAX_SIGNATURE_ENTRIES * 3);
    expect(calls.verify).toBe(0);
  });

  it("entries past the 64th are not looked at", () => {
    const valid = new WebhookSigner(SECRET).sign({ id: ID, timestamp: NOW, body: BODY });
    const header = [...Array.from({ length: MAX_SIGNATURE_ENTRIES }, junkV1), valid].join(" ");
    expectCode(() => verifier.verifyParts(BODY, ID, TIMESTAMP, header), "no_matching_signature");
  });

  it("a repeated entry is compared once per key", () => {
    const header = Array(MAX_SIGNATURE_ENTRIES).fill(junkV1()).join(" ");
    expectCode(() => verifier.verifyParts(BODY, ID, TIMESTAMP, header), "no_matching_signature");
    expect(calls.createHmac).toBe(3);
    expect(calls.timingSafeEqual).toBe(3);
  });
});
