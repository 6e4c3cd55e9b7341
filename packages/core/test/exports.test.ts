/**
 * The public surface and package shape of @hookline/core, pinned: a change here is an API change.
 * `@hookline/core/internal` is pinned too, so nothing drifts into either entry unnoticed.
 */

import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import * as core from "../src/index.js";
import * as internal from "../src/internal.js";

const PUBLIC = [
  "ConversionError",
  "HooklineApiError",
  "MalformedPayloadError",
  "MemoryDedupeStore",
  "PayloadValidationError",
  "RESPONSE_BODY_LIMIT",
  "UnknownEventTypeError",
  "UnknownEventVersionError",
  "WebhookDeliveryError",
  "WebhookSigner",
  "WebhookVerificationError",
  "WebhookVerifier",
  "captureRawBody",
  "convertPayload",
  "createClientFor",
  "createReceiverFor",
  "createSenderFor",
  "expressHandler",
  "fastifyWebhookPlugin",
  "generateKeyPair",
  "generateSecret",
  "parseRetryAfter",
  "readWebhookHeaders",
  "toNodeListener",
  "toWebHandler",
  "validatePayload",
];

/** Used by the Hookline server only; the sender and receiver runtime use them from the source. */
const INTERNAL = [
  "asyncApiDocument",
  "carriedVersions",
  "isKnownEventType",
  "isVersionNumber",
  "issuesFromErrors",
  "issuesOf",
  "knownEventTypes",
  "mergeWebhooks",
  "openApiWebhooks",
  "openApiWebhooksDocument",
  "serializeEnvelope",
  "unversionedDefault",
  "versionValidator",
];

describe("@hookline/core", () => {
  it("the package entry exports exactly these runtime values", () => {
    expect(Object.keys(core).sort()).toEqual(PUBLIC);
  });

  it("@hookline/core/internal exports exactly these, none of them also public", () => {
    expect(Object.keys(internal).sort()).toEqual(INTERNAL);
    for (const name of INTERNAL) expect(core).not.toHaveProperty(name);
  });

  it("the built package resolves both entries through its exports map", async () => {
    expect(Object.keys(await import("@hookline/core")).sort()).toEqual(PUBLIC);
    expect(Object.keys(await import("@hookline/core/internal")).sort()).toEqual(INTERNAL);
  });

  it("declares an explicit exports map: types first, no wildcard subpaths", async () => {
    const manifest = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as {
      type: string;
      types: string;
      exports: Record<string, unknown>;
      files: string[];
    };
    expect(manifest.type).toBe("module");
    expect(Object.keys(manifest.exports)).toEqual([".", "./internal", "./package.json"]);
    // CommonJS consumers get the same declarations through index.d.cts (see that file for why).
    expect(manifest.exports["."]).toEqual({
      types: { require: "./index.d.cts", default: "./dist/index.d.ts" },
      default: "./dist/index.js",
    });
    expect(manifest.exports["./internal"]).toEqual({ types: "./dist/internal.d.ts", default: "./dist/internal.js" });
    expect(Object.keys(manifest.exports).some((key) => key.includes("*"))).toBe(false);
    expect(manifest.files).toContain("dist");
    expect(manifest.files).toContain("index.d.cts");
    // moduleResolution node10 reads no exports map: the top-level "types" is all it sees.
    expect(manifest.types).toBe("./dist/index.d.ts");
  });
});
