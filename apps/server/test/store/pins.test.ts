/** The pin reads and the catalog pass of both stores: counts only subscribed endpoints, skips deleted ones, adds only missing pins. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewEndpoint, Store } from "../../src/store/store.js";
import { testBackend } from "../support/postgres.js";
import { removeStorage, storeFor } from "../support/server.js";

const T0 = 1_700_000_000_000;
const endpoint = (id: string, over: Partial<NewEndpoint>): NewEndpoint => ({
  id,
  url: `http://127.0.0.1:9/${id}`,
  eventTypes: null,
  tenant: null,
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  description: null,
  rateLimit: null,
  disabled: false,
  metadata: {},
  now: T0,
  ...over,
});

describe(`${testBackend()} store pins`, () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "hookline-pins-"));
    store = storeFor(dir);
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    await removeStorage(dir);
  });

  it("counts endpoints per pinned version among those subscribed to the type; deleted endpoints count nowhere", async () => {
    await store.createEndpoint(endpoint("ep_all", { pins: { "order.shipped": 1, "user.invited": 2 } }));
    await store.createEndpoint(endpoint("ep_orders", { eventTypes: ["order.*"], pins: { "order.shipped": 1, "user.invited": 2 } }));
    await store.createEndpoint(endpoint("ep_users", { eventTypes: ["user.invited"], pins: { "order.shipped": 2, "user.invited": 2 } }));
    await store.createEndpoint(endpoint("ep_gone", { pins: { "order.shipped": 2 } }));
    await store.deleteEndpoint("ep_gone", T0);
    expect(await store.pinnedVersionCounts()).toEqual([
      { type: "order.shipped", version: 1, endpoints: 2 },
      { type: "user.invited", version: 2, endpoints: 2 },
    ]);
    const pinned = await store.pinnedEndpoints("order.shipped", 2);
    expect(pinned.map((e) => e.id)).toEqual(["ep_users"]);
    expect(pinned[0]).toMatchObject({ eventTypes: ["user.invited"], tenant: null, disabled: false });
  });

  it("a catalog pass adds only missing pins at the newest version, and a PATCH of pins changes only the types it names", async () => {
    await store.createEndpoint(endpoint("ep_a", { pins: { "order.shipped": 1 } }));
    expect(await store.applyCatalog({ "order.shipped": 3, "refund.issued": 1 })).toEqual({ pinsAdded: 1, versionsFilled: 0 });
    expect((await store.getEndpoint("ep_a"))?.pins).toEqual({ "order.shipped": 1, "refund.issued": 1 });
    expect(await store.applyCatalog({ "order.shipped": 3, "refund.issued": 1 })).toEqual({ pinsAdded: 0, versionsFilled: 0 });
    const updated = await store.updateEndpoint("ep_a", { pins: { "refund.issued": 2 } }, T0 + 1);
    expect(updated?.pins).toEqual({ "order.shipped": 1, "refund.issued": 2 });
    const page = await store.listEndpoints({ limit: 10, maxBytes: 1 << 20 });
    expect(page.rows[0]?.pins).toEqual({ "order.shipped": 1, "refund.issued": 2 });
  });
});
