import { describe, expectTypeOf, it } from "vitest";
import type { EnvelopeOf, WebhookEnvelope } from "../../src/catalog.js";
import {
  createReceiverFor,
  MemoryDedupeStore,
  type HandlerContext,
  type Receiver,
  type ReceiverOptions,
  type ReceiverWarning,
} from "../../src/receiver/index.js";
import { catalog, SECRET, type InvoicePaid, type OrderCreated, type TestEventMap, type UserLoggedIn } from "../fixtures/catalog.js";

const noop = () => undefined;

describe("receiver types", () => {
  it("subscribes to every type by default; events narrows the subscription", () => {
    expectTypeOf(createReceiverFor(catalog, { secret: SECRET })).toEqualTypeOf<Receiver<TestEventMap, keyof TestEventMap>>();
    const some = createReceiverFor(catalog, { secret: SECRET, events: ["order.created", "user.logged_in"] });
    expectTypeOf(some).toEqualTypeOf<Receiver<TestEventMap, "order.created" | "user.logged_in">>();
    expectTypeOf(some.events).toEqualTypeOf<readonly ("order.created" | "user.logged_in")[]>();
  });

  it("verify returns a union that narrows on event.type", () => {
    const receiver = createReceiverFor(catalog, { secret: SECRET, events: ["order.created", "user.logged_in"] });
    const event = receiver.verify("", {});
    expectTypeOf(event).toEqualTypeOf<WebhookEnvelope<"order.created", OrderCreated> | WebhookEnvelope<"user.logged_in", UserLoggedIn>>();
    if (event.type === "order.created") {
      expectTypeOf(event.data).toEqualTypeOf<OrderCreated>();
      expectTypeOf(event.data.items[0]).toEqualTypeOf<{ sku: string; quantity: number } | undefined>();
    } else {
      expectTypeOf(event.data).toEqualTypeOf<UserLoggedIn>();
    }
    // @ts-expect-error invoice.paid is not subscribed, so it cannot be the type
    if (event.type === "invoice.paid") noop();
  });

  it("on() types the handler's event from its event type and returns the receiver", () => {
    const receiver = createReceiverFor(catalog, { secret: SECRET, events: ["order.created", "user.logged_in"] });
    const chained = receiver.on("order.created", (event, context) => {
      expectTypeOf(event).toEqualTypeOf<EnvelopeOf<TestEventMap, "order.created">>();
      expectTypeOf(event.data.customer.email).toBeString();
      expectTypeOf(context).toEqualTypeOf<HandlerContext>();
      expectTypeOf(context.id).toBeString();
      expectTypeOf(context.timestamp).toBeNumber();
    });
    expectTypeOf(chained).toEqualTypeOf(receiver);
    // @ts-expect-error invoice.paid is in the catalog but not subscribed here
    receiver.on("invoice.paid", noop);
    // @ts-expect-error not an event type at all
    receiver.on("order.craeted", noop);
    // @ts-expect-error an order.created handler cannot read user.logged_in fields
    receiver.on("order.created", (event) => event.data.userId);
  });

  it("handlers given in the options are typed per event type, without changing the subscription", () => {
    const receiver = createReceiverFor(catalog, {
      secret: SECRET,
      handlers: {
        "invoice.paid": (event) => expectTypeOf(event.data).toEqualTypeOf<InvoicePaid>(),
        "user.logged_in": async (event) => expectTypeOf(event.data.ip).toEqualTypeOf<string | undefined>(),
      },
    });
    expectTypeOf(receiver.events).toEqualTypeOf<readonly (keyof TestEventMap)[]>();
  });

  it("without exhaustive, handlers are optional", () => {
    createReceiverFor(catalog, { secret: SECRET });
    createReceiverFor(catalog, { secret: SECRET, handlers: {} });
    createReceiverFor(catalog, { secret: SECRET, exhaustive: false, handlers: { "order.created": noop } });
  });

  it("with exhaustive: true, a missing handler is a compile error", () => {
    createReceiverFor(catalog, {
      secret: SECRET,
      exhaustive: true,
      handlers: { "order.created": noop, "user.logged_in": noop, "invoice.paid": noop },
    });
    createReceiverFor(catalog, {
      secret: SECRET,
      events: ["user.logged_in"],
      exhaustive: true,
      handlers: { "user.logged_in": noop },
    });
    createReceiverFor(catalog, {
      secret: SECRET,
      exhaustive: true,
      // @ts-expect-error invoice.paid has no handler (the error points at `handlers`)
      handlers: { "order.created": noop, "user.logged_in": noop },
    });
    // @ts-expect-error exhaustive without any handlers
    createReceiverFor(catalog, { secret: SECRET, exhaustive: true });
  });

  it("a generated-style wrapper keeps the rule, with or without forwarding E", () => {
    function createReceiver<S extends keyof TestEventMap = keyof TestEventMap>(options: ReceiverOptions<TestEventMap, S>) {
      return createReceiverFor(catalog, options);
    }
    function createReceiverE<S extends keyof TestEventMap = keyof TestEventMap, E extends boolean = boolean>(
      options: ReceiverOptions<TestEventMap, S, E>,
    ) {
      return createReceiverFor(catalog, options);
    }
    expectTypeOf(
      createReceiver({ secret: SECRET, events: ["invoice.paid"], exhaustive: true, handlers: { "invoice.paid": noop } }),
    ).toEqualTypeOf<Receiver<TestEventMap, "invoice.paid">>();
    createReceiver({ secret: SECRET, events: ["invoice.paid"] });
    // @ts-expect-error without E the option type is a union, so the error is on the whole argument
    createReceiver({ secret: SECRET, events: ["invoice.paid", "order.created"], exhaustive: true, handlers: { "invoice.paid": noop } });
    createReceiverE({
      secret: SECRET,
      events: ["invoice.paid", "order.created"],
      exhaustive: true,
      // @ts-expect-error order.created has no handler
      handlers: { "invoice.paid": noop },
    });
  });

  it("handlers cannot widen or narrow the subscription", () => {
    createReceiverFor(catalog, {
      secret: SECRET,
      events: ["user.logged_in"],
      exhaustive: true,
      handlers: {
        "user.logged_in": noop,
        // @ts-expect-error order.created is not in events
        "order.created": noop,
      },
    });
  });

  it("events accepts only catalog types", () => {
    // @ts-expect-error "order.deleted" is not in the catalog
    createReceiverFor(catalog, { secret: SECRET, events: ["order.deleted"] });
  });

  it("onError sees the subscribed envelope union or undefined", () => {
    createReceiverFor(catalog, {
      secret: SECRET,
      events: ["invoice.paid"],
      onError: (error, event) => {
        expectTypeOf(error).toBeUnknown();
        expectTypeOf(event).toEqualTypeOf<WebhookEnvelope<"invoice.paid", InvoicePaid> | undefined>();
      },
    });
  });

  it("dedupeMaxIds is a number; onWarning gets a ReceiverWarning, from the receiver or a store", () => {
    createReceiverFor(catalog, {
      secret: SECRET,
      dedupeMaxIds: 100_000,
      onWarning: (warning) => {
        expectTypeOf(warning).toEqualTypeOf<ReceiverWarning>();
        expectTypeOf(warning.code).toEqualTypeOf<"dedupe_ids_evicted">();
        expectTypeOf(warning.evicted).toBeNumber();
      },
    });
    new MemoryDedupeStore({ maxEntries: 5, onWarning: (warning) => expectTypeOf(warning.message).toBeString() });
    // @ts-expect-error a count of ids, not a string
    createReceiverFor(catalog, { secret: SECRET, dedupeMaxIds: "10000" });
  });
});
