import { describe, expect, it } from "vitest";
import * as core from "../../src/index.js";
import * as signing from "../../src/signing/index.js";

describe("public surface of the signing runtime", () => {
  it("signing/index.ts exports exactly these runtime values", () => {
    expect(Object.keys(signing).sort()).toEqual([
      "WebhookSigner",
      "WebhookVerificationError",
      "WebhookVerifier",
      "generateKeyPair",
      "generateSecret",
      "readWebhookHeaders",
    ]);
  });

  it("the package entry re-exports each of them unchanged", () => {
    for (const [name, value] of Object.entries(signing)) expect(core).toHaveProperty(name, value);
  });
});
