import { describe, expect, it } from "vitest";
import * as core from "../../src/index.js";
import * as internal from "../../src/internal.js";
import * as receiver from "../../src/receiver/index.js";
import * as sender from "../../src/sender/index.js";
import * as validation from "../../src/validation.js";

describe("public surface of the sender and receiver runtime", () => {
  it.each([
    ["sender/index.ts", sender, ["RESPONSE_BODY_LIMIT", "WebhookDeliveryError", "createSenderFor"]],
    [
      "receiver/index.ts",
      receiver,
      [
        "MalformedPayloadError",
        "MemoryDedupeStore",
        "captureRawBody",
        "createReceiverFor",
        "expressHandler",
        "fastifyWebhookPlugin",
        "toNodeListener",
        "toWebHandler",
      ],
    ],
    [
      "validation.ts",
      validation,
      [
        "PayloadValidationError",
        "UnknownEventTypeError",
        "isKnownEventType",
        "issuesFromErrors",
        "issuesOf",
        "knownEventTypes",
        "validatePayload",
      ],
    ],
  ])("%s exports exactly these runtime values, re-exported unchanged by the package entry or by internal.ts", (_, module, names) => {
    expect(Object.keys(module).sort()).toEqual(names);
    for (const [name, value] of Object.entries(module)) expect(name in core ? core : internal).toHaveProperty(name, value);
  });
});
