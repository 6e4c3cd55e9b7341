import { describe, expect, it } from "vitest";
import { DISABLED_AT_INGEST, fanOut, type FanOutEndpoint } from "../../src/domain/fan-out.js";

const NOW = 1_700_000_000_000;
const endpoint = (id: string, over: Partial<FanOutEndpoint> = {}): FanOutEndpoint => ({
  id,
  eventTypes: null,
  tenant: null,
  disabled: false,
  pin: null,
  ...over,
});
const pending = (endpointId: string, version: number | null = null) => ({
  endpointId,
  version,
  status: "pending",
  nextAttemptAt: NOW,
  failureReason: null,
});
const deadLetter = (endpointId: string, version: number | null = null) => ({
  endpointId,
  version,
  status: "failed",
  nextAttemptAt: null,
  failureReason: DISABLED_AT_INGEST,
});

describe("fanOut", () => {
  it.each([
    { what: "no endpoints: no deliveries", endpoints: [], event: { type: "order.created", tenant: null }, deliveries: [] },
    {
      what: "every receiving endpoint gets one delivery due now, in the endpoints' order",
      endpoints: [endpoint("ep_b"), endpoint("ep_a")],
      event: { type: "order.created", tenant: null },
      deliveries: [pending("ep_b"), pending("ep_a")],
    },
    {
      what: "a disabled endpoint gets a dead letter, not a pending delivery",
      endpoints: [endpoint("ep_on"), endpoint("ep_off", { disabled: true })],
      event: { type: "order.created", tenant: null },
      deliveries: [pending("ep_on"), deadLetter("ep_off")],
    },
    {
      what: "a disabled endpoint that does not receive the type gets nothing",
      endpoints: [endpoint("ep_off", { disabled: true, eventTypes: ["user.*"] })],
      event: { type: "order.created", tenant: null },
      deliveries: [],
    },
    {
      what: "types and wildcards filter",
      endpoints: [
        endpoint("ep_exact", { eventTypes: ["order.created"] }),
        endpoint("ep_wild", { eventTypes: ["order.*"] }),
        endpoint("ep_other", { eventTypes: ["user.*"] }),
      ],
      event: { type: "order.created", tenant: null },
      deliveries: [pending("ep_exact"), pending("ep_wild")],
    },
    {
      what: "tenants never cross: a tenant's event skips untenanted and other tenants' endpoints",
      endpoints: [endpoint("ep_none"), endpoint("ep_acme", { tenant: "acme" }), endpoint("ep_globex", { tenant: "globex" })],
      event: { type: "order.created", tenant: "acme" },
      deliveries: [pending("ep_acme")],
    },
  ])("$what", ({ endpoints, event, deliveries }) => {
    expect(fanOut(endpoints, { version: null, ...event }, NOW)).toEqual(deliveries);
  });

  it("sends each delivery in its endpoint's pin for the type, and in the event's own version when the endpoint has no pin", () => {
    const endpoints = [
      endpoint("ep_v1", { pin: 1 }),
      endpoint("ep_v2", { pin: 2 }),
      endpoint("ep_unpinned"),
      endpoint("ep_off", { pin: 1, disabled: true }),
    ];
    expect(fanOut(endpoints, { type: "order.shipped", tenant: null, version: 2 }, NOW)).toEqual([
      pending("ep_v1", 1),
      pending("ep_v2", 2),
      pending("ep_unpinned", 2),
      deadLetter("ep_off", 1),
    ]);
  });

  it("names the dead letter's reason so an operator knows to recover after re-enabling", () => {
    expect(DISABLED_AT_INGEST).toBe("endpoint disabled when the event was accepted");
  });
});
