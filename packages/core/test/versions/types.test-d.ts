/** Versions at compile time: the chosen version types the payload, and handlers narrow on type and version. */

import { describe, expectTypeOf, it } from "vitest";
import type { EnvelopeOf, WebhookEnvelope } from "../../src/catalog.js";
import { createClientFor, createReceiverFor, createSenderFor } from "../../src/index.js";
import {
  type OrderShippedV1,
  type OrderShippedV2,
  pinnedCatalog,
  shippedV1Example,
  shippedV2Example,
  type UserLoggedInV1,
  versionedCatalog,
  type VersionedEventMap,
  type VersionedEvents,
} from "../fixtures/versioned-catalog.js";

const sender = createSenderFor(versionedCatalog, { secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" });
const client = createClientFor(versionedCatalog, { baseUrl: "http://127.0.0.1:1", apiKey: "k" });

describe("sending a version", () => {
  it("without a version the payload is the newest version's", () => {
    sender.build("order.shipped", shippedV2Example);
    void sender.send("https://example.com", "order.shipped", shippedV2Example, { id: "msg_1" });
    // @ts-expect-error a v1 payload is not the newest (v2) payload
    sender.build("order.shipped", shippedV1Example);
  });

  it("with a version the payload is that version's", () => {
    sender.build("order.shipped", shippedV1Example, { version: 1 });
    void sender.send("https://example.com", "order.shipped", shippedV1Example, { version: 1 });
    sender.build("order.shipped", shippedV2Example, { version: 2 });
    void client.send("order.shipped", shippedV1Example, { version: 1 });
    expectTypeOf(sender.build<"order.shipped", 1>)
      .parameter(1)
      .toEqualTypeOf<OrderShippedV1>();
  });

  it("a wrong payload for the chosen version is a compile error", () => {
    // @ts-expect-error a v2 payload sent as version 1
    sender.build("order.shipped", shippedV2Example, { version: 1 });
    // @ts-expect-error a v2 payload sent as version 1
    void sender.send("https://example.com", "order.shipped", shippedV2Example, { version: 1 });
    // @ts-expect-error a v2 payload sent as version 1
    void client.send("order.shipped", shippedV2Example, { version: 1 });
  });

  it("a version the type does not have is a compile error", () => {
    // @ts-expect-error order.shipped has versions 1 and 2 only
    sender.build("order.shipped", shippedV2Example, { version: 3 });
    // @ts-expect-error user.logged_in has version 1 only
    void sender.send("https://example.com", "user.logged_in", { userId: "u" }, { version: 2 });
    // @ts-expect-error user.logged_in has version 1 only
    void client.send("user.logged_in", { userId: "u" }, { version: 2 });
  });
});

describe("receiving every version", () => {
  it("the event is a union over type and version; narrowing on version narrows data", () => {
    expectTypeOf<EnvelopeOf<VersionedEventMap, "order.shipped", VersionedEvents>>().toEqualTypeOf<
      WebhookEnvelope<"order.shipped", OrderShippedV1, 1> | WebhookEnvelope<"order.shipped", OrderShippedV2, 2>
    >();
    createReceiverFor(versionedCatalog, {
      secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      handlers: {
        "order.shipped": (event) => {
          expectTypeOf(event.version).toEqualTypeOf<1 | 2>();
          if (event.version === 1) expectTypeOf(event.data).toEqualTypeOf<OrderShippedV1>();
          else expectTypeOf(event.data).toEqualTypeOf<OrderShippedV2>();
        },
        "user.logged_in": (event) => {
          expectTypeOf(event.version).toEqualTypeOf<1>();
          expectTypeOf(event.data).toEqualTypeOf<UserLoggedInV1>();
        },
      },
    }).on("order.shipped", (event) => {
      // @ts-expect-error without narrowing on version, data may be v1 (no parcels)
      void event.data.parcels;
    });
  });

  it("verify narrows on type, then version", () => {
    const receiver = createReceiverFor(versionedCatalog, { secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" });
    const event = receiver.verify("", {});
    if (event.type === "order.shipped" && event.version === 2) expectTypeOf(event.data).toEqualTypeOf<OrderShippedV2>();
  });

  it("a receiver generated for v1 only has no v2 type", () => {
    createReceiverFor(pinnedCatalog, {
      secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      handlers: {
        "order.shipped": (event) => {
          expectTypeOf(event.version).toEqualTypeOf<1>();
          expectTypeOf(event.data).toEqualTypeOf<OrderShippedV1>();
          // @ts-expect-error version 2 is not carried: the comparison has no overlap
          if (event.version === 2) return;
        },
      },
    });
  });
});
