/**
 * Versions side by side: the sender writes the version into the signed envelope, the receiver reads
 * it and validates `data` against that version; a body without one is the newest of the full
 * catalog; a version that is not carried (or not an integer) is refused naming the carried ones.
 */

import { describe, expect, it, vi } from "vitest";
import { createClientFor, createReceiverFor, createSenderFor, PayloadValidationError, UnknownEventVersionError } from "../../src/index.js";
import { WebhookSigner } from "../../src/signing/index.js";
import { now, NOW_MS, SECRET } from "../fixtures/catalog.js";
import { listen } from "../fixtures/server.js";
import { pinnedCatalog, shippedV1Example, shippedV2Example, versionedCatalog } from "../fixtures/versioned-catalog.js";

const sender = createSenderFor(versionedCatalog, { secret: SECRET, now });
const signer = new WebhookSigner(SECRET);

function signed(envelope: object): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify(envelope);
  return { body, headers: signer.headers({ id: "msg_v", timestamp: NOW_MS / 1000, body }) };
}

const args = (message: { body: string; headers: Record<string, string> }) => [message.body, message.headers] as const;

describe("sending a version", () => {
  it("sends the newest by default and writes its number into the signed envelope, after the type", () => {
    const message = sender.build("order.shipped", shippedV2Example);
    expect(message.version).toBe(2);
    expect(message.body).toMatch(/^\{"type":"order\.shipped","version":2,"timestamp":"[^"]+","data":\{/);
  });

  it("sends an older version when asked, validated by that version's schema", () => {
    const message = sender.build("order.shipped", shippedV1Example, { version: 1 });
    expect(JSON.parse(message.body)).toMatchObject({ type: "order.shipped", version: 1, data: shippedV1Example });
    expect(() => sender.build("order.shipped", shippedV2Example as never, { version: 1 })).toThrow(
      'Invalid payload for "order.shipped" version 1: /carrier is required; /parcels is not allowed (additional property)',
    );
    // Without a version the newest schema applies, and a v1 payload is wrong for it.
    expect(() => sender.build("order.shipped", shippedV1Example as never)).toThrow(PayloadValidationError);
  });

  it("refuses a version the catalog does not carry, naming the ones it does", () => {
    const attempt = () => sender.build("order.shipped", shippedV2Example, { version: 3 as 2 });
    expect(attempt).toThrow(UnknownEventVersionError);
    expect(attempt).toThrow(/Version 3 of "order\.shipped" is not carried by this SDK; it carries versions 1, 2\./);
    expect(() => sender.build("order.shipped", shippedV2Example, { version: 1.5 as 2 })).toThrow(
      /The version of "order\.shipped" must be a positive integer \(got 1\.5\); it carries versions 1, 2\./,
    );
  });
});

describe("receiving by the version received", () => {
  const receiver = createReceiverFor(versionedCatalog, { secret: SECRET, now, dedupe: false });

  it("round-trips each version: the event carries the version it was sent in", () => {
    const v1 = sender.build("order.shipped", shippedV1Example, { version: 1 });
    const v2 = sender.build("order.shipped", shippedV2Example);
    expect(receiver.verify(v1.body, v1.headers)).toEqual({
      type: "order.shipped",
      version: 1,
      timestamp: expect.any(String),
      data: shippedV1Example,
    });
    expect(receiver.verify(v2.body, v2.headers)).toMatchObject({ version: 2, data: shippedV2Example });
  });

  it("validates data against the received version: v2 data labelled version 1 is refused", async () => {
    const response = await receiver.handle(...args(signed({ type: "order.shipped", version: 1, timestamp: "t", data: shippedV2Example })));
    expect(response.status).toBe(422);
    expect(JSON.parse(response.body).error).toMatchObject({
      code: "invalid_payload",
      message: expect.stringContaining('"order.shipped" version 1'),
    });
  });

  it("reads a body without a version as the newest version (senders before versions)", () => {
    const legacy = signed({ type: "order.shipped", timestamp: "t", data: shippedV2Example });
    expect(receiver.verify(legacy.body, legacy.headers)).toMatchObject({ version: 2, data: shippedV2Example });
    const legacyV1 = signed({ type: "order.shipped", timestamp: "t", data: shippedV1Example });
    expect(() => receiver.verify(legacyV1.body, legacyV1.headers)).toThrow(/"order\.shipped" version 2/);
  });

  it("answers 422 naming the carried versions for an unknown version or one that is not an integer", async () => {
    for (const [version, message] of [
      [3, 'Version 3 of "order.shipped" is not carried by this SDK; it carries versions 1, 2.'],
      ["2", 'The version of "order.shipped" must be a positive integer (got "2"); it carries versions 1, 2.'],
      [null, 'The version of "order.shipped" must be a positive integer (got null); it carries versions 1, 2.'],
    ] as const) {
      const response = await receiver.handle(...args(signed({ type: "order.shipped", version, timestamp: "t", data: {} })));
      expect(response.status).toBe(422);
      const { error } = JSON.parse(response.body);
      expect(error.code).toBe("unknown_event_version");
      expect(error.message).toContain(message);
      expect(error.details).toEqual([{ path: "/version", message: error.message }]);
    }
  });

  it("dispatches every version to the type's handler with the version it arrived in", async () => {
    const handler = vi.fn();
    const dispatching = createReceiverFor(versionedCatalog, { secret: SECRET, now, handlers: { "order.shipped": handler } });
    const v1 = sender.build("order.shipped", shippedV1Example, { version: 1, id: "msg_1" });
    const v2 = sender.build("order.shipped", shippedV2Example, { id: "msg_2" });
    expect((await dispatching.handle(v1.body, v1.headers)).status).toBe(200);
    expect((await dispatching.handle(v2.body, v2.headers)).status).toBe(200);
    expect(handler.mock.calls.map(([event]) => [event.version, event.data])).toEqual([
      [1, shippedV1Example],
      [2, shippedV2Example],
    ]);
  });
});

describe("a receiver generated for chosen versions (order.shipped v1 only)", () => {
  const pinned = createReceiverFor(pinnedCatalog, { secret: SECRET, now, dedupe: false });

  it("accepts the version it carries", async () => {
    const v1 = sender.build("order.shipped", shippedV1Example, { version: 1 });
    expect((await pinned.handle(v1.body, v1.headers)).status).toBe(200);
  });

  it("refuses an uncarried version with 422 naming the version it carries", async () => {
    const v2 = sender.build("order.shipped", shippedV2Example);
    const response = await pinned.handle(v2.body, v2.headers);
    expect(response.status).toBe(422);
    expect(JSON.parse(response.body).error.message).toContain(
      'Version 2 of "order.shipped" is not carried by this SDK; it carries version 1.',
    );
  });

  it("reads a body without a version as the full catalog's newest, which it does not carry", () => {
    const legacy = signed({ type: "order.shipped", timestamp: "t", data: shippedV1Example });
    expect(() => pinned.verify(legacy.body, legacy.headers)).toThrow(/Version 2 of "order\.shipped" is not carried/);
  });
});

describe("the API client", () => {
  it("passes the chosen version as the body field version, and validates by it first", async () => {
    const bodies: unknown[] = [];
    const server = await listen((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        bodies.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        res.writeHead(202, { "content-type": "application/json" });
        res.end(JSON.stringify({ id: "evt_1", type: "order.shipped", tenant: null, createdAt: "2026-01-01T00:00:00Z", deliveries: 0 }));
      });
    });
    try {
      const client = createClientFor(versionedCatalog, { baseUrl: server.url, apiKey: "hk_test" });
      await client.send("order.shipped", shippedV1Example, { version: 1, id: "evt_1" });
      await client.send("order.shipped", shippedV2Example, { id: "evt_2" });
      await expect(client.send("order.shipped", shippedV2Example as never, { version: 1 })).rejects.toThrow(PayloadValidationError);
      expect(bodies).toEqual([
        { type: "order.shipped", version: 1, payload: shippedV1Example, id: "evt_1" },
        { type: "order.shipped", payload: shippedV2Example, id: "evt_2" },
      ]);
    } finally {
      await server.close();
    }
  });
});
