/**
 * Hostile input on the version and pinning path (issue 13): ingest and pin versions that are not
 * positive integers, a thousand unknown pins, converters that misbehave (return undefined, a cyclic
 * object, a 50 MB string, throw something that is not an Error), and an event stored before versions
 * were recorded (no `version` in its envelope), replayed to an endpoint pinned to v1, and the replay
 * of an event whose type the catalog no longer has. Both backends.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConverterModule } from "../../src/catalog/catalog-view.js";
import { type FaultReceiver, type ReceivedRequest, startFaultReceiver } from "../support/fault-receiver.js";
import { sql } from "../support/postgres.js";
import { example, removeStorage, startServer, type TestServer, waitUntil } from "../support/server.js";
import { TYPE, versionedCatalog } from "../support/versioned-catalog.js";

/** order ids that make the v2 → v1 converter misbehave, and what it then does. */
const MISBEHAVING: Record<string, (v1: Record<string, unknown>) => unknown> = {
  ord_ReturnsUndefined: () => undefined,
  ord_ReturnsCycle: (v1) => Object.assign(v1, { self: v1 }),
  ord_Returns50MBString: () => "x".repeat(50_000_000),
  ord_Returns50MBUrl: (v1) => ({
    ...v1,
    tracking: { ...(v1["tracking"] as object), trackingUrl: `https://track.example/${"a".repeat(50_000_000)}` },
  }),
  ord_ThrowsNoText: () => {
    throw Object.create(null);
  },
};

describe("hostile versions, pins and converters", () => {
  let server: TestServer;
  let receiver: FaultReceiver;
  beforeAll(async () => {
    receiver = await startFaultReceiver();
    const versioned = versionedCatalog();
    const converters = versioned.catalog.converters as Record<string, Record<string, ConverterModule>>;
    const real = converters[TYPE]?.["2"] as ConverterModule;
    const down = (payload: Record<string, unknown>): unknown => {
      const v1 = real.down(payload as never) as Record<string, unknown>;
      const misbehave = MISBEHAVING[String(payload["orderId"])];
      return misbehave === undefined ? v1 : misbehave(v1);
    };
    converters[TYPE] = { ...converters[TYPE], "2": { down: down as ConverterModule["down"], ...(real.up ? { up: real.up } : {}) } };
    server = await startServer({ deps: { catalog: versioned.catalog, schemas: versioned.schemas } });
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  it("ingest refuses every version that is not a positive integer with a 400 at /version", async () => {
    for (const version of ["0", "-1", "1.5", '"2"', "9007199254740992", "null", "1e400", '""', "true", "[2]", '{"v":2}']) {
      const res = await server.raw(
        "POST",
        "/v1/events",
        `{"type":"${TYPE}","version":${version},"payload":${JSON.stringify(example(TYPE))}}`,
      );
      expect(res.status, `version ${version}: ${res.text}`).toBe(400);
      expect(res.body.error.details[0]).toMatchObject({ path: "/version" });
    }
  });

  it("pins: non-integer versions are a 400; a thousand unknown types a 422 with every one in details and a short message", async () => {
    const ep = await server.api("POST", "/v1/endpoints", { url: `${receiver.url}/pins` });
    for (const version of [0, -1, 1.5, null, 2 ** 53, "1", [1]]) {
      const res = await server.api("PATCH", `/v1/endpoints/${ep.body.id}`, { pins: { [TYPE]: version } });
      expect(res.status, `pin ${JSON.stringify(version)}: ${res.text}`).toBe(400);
    }
    const tooMany = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`type.${i}`, 1]));
    expect((await server.api("PATCH", `/v1/endpoints/${ep.body.id}`, { pins: tooMany })).status).toBe(400);
    const unknown = Object.fromEntries(Array.from({ length: 999 }, (_, i) => [`type.${i}`, 1]));
    const res = await server.api("PATCH", `/v1/endpoints/${ep.body.id}`, { pins: { ...unknown, [TYPE]: 1 } });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toHaveLength(999);
    expect(res.body.error.message).toContain("and 994 more (every one is in details)");
    expect(res.body.error.message.length).toBeLessThan(1000);
    expect((await server.api("GET", `/v1/endpoints/${ep.body.id}`)).body.pins).toEqual(ep.body.pins);
    expect((await server.raw("PATCH", `/v1/endpoints/${ep.body.id}`, '{"pins":{"__proto__":{"x":1}}}')).status).toBe(400);
  });

  it("a converter that misbehaves fails that delivery with a reason (no attempt used); the worker goes on", {
    timeout: 60_000,
  }, async () => {
    const ep = await server.api("POST", "/v1/endpoints", { url: `${receiver.url}/converted`, pins: { [TYPE]: 1 } });
    const reasons: Record<string, string> = {};
    for (const orderId of Object.keys(MISBEHAVING)) {
      const sent = await server.api("POST", "/v1/events", { type: TYPE, payload: { ...example(TYPE), orderId } });
      expect(sent.status, sent.text).toBe(202);
      const delivery = await waitUntil(
        async () => {
          const event = await server.api("GET", `/v1/events/${sent.body.id}`);
          const d = event.body.deliveries.find((x: { endpointId: string }) => x.endpointId === ep.body.id);
          return d?.status === "pending" || d?.status === "delivering" ? undefined : d;
        },
        30_000,
        `the delivery of ${orderId}`,
      );
      expect(delivery, orderId).toMatchObject({ status: "failed", attempts: 0, version: 1 });
      reasons[orderId] = delivery.failureReason;
    }
    expect(reasons).toEqual({
      ord_ReturnsUndefined: "conversion_failed: converting order.shipped v2 to v1 gave a payload that v1 rejects: / must be object",
      ord_ReturnsCycle:
        "conversion_failed: converting order.shipped v2 to v1 gave a payload that v1 rejects: /self is not allowed (additional property)",
      ord_Returns50MBString: "conversion_failed: converting order.shipped v2 to v1 gave a payload that v1 rejects: / must be object",
      ord_Returns50MBUrl: expect.stringMatching(/^conversion_failed: converting order\.shipped v2 to v1 failed: /),
      ord_ThrowsNoText:
        "conversion_failed: converter order.shipped.v2.convert.ts (v2 → v1) threw: a value that cannot be shown as text (throw an Error with a message)",
    });
    expect(receiver.requests.filter((r) => r.path === "/converted")).toHaveLength(0);
    const fine = await server.api("POST", "/v1/events", { type: TYPE, payload: example(TYPE) });
    expect(fine.status).toBe(202);
    await receiver.waitFor(() => receiver.requests.some((r) => r.path === "/converted"));
  });
});

describe("an event stored before versions were recorded", () => {
  const dir = mkdtempSync(join(tmpdir(), "hookline-legacy-"));
  afterAll(() => removeStorage(dir));

  it("is read as the newest version of its type and replayed converted to a v1 pin", { timeout: 60_000 }, async () => {
    const receiver = await startFaultReceiver();
    const versioned = versionedCatalog();
    let server = await startServer({ dir, deps: { catalog: versioned.catalog, schemas: versioned.schemas } });
    try {
      const ep = await server.api("POST", "/v1/endpoints", { url: `${receiver.url}/legacy`, pins: { [TYPE]: 1 } });
      const sent = await server.api("POST", "/v1/events", { type: TYPE, payload: example(TYPE) });
      await receiver.waitFor(() => receiver.requests.length >= 1);
      await server.close();

      // The row as migration 5 leaves it: no version column value, an envelope without `version`.
      const legacy = Buffer.from(JSON.stringify({ type: TYPE, timestamp: sent.body.createdAt, data: example(TYPE) }));
      const update = "UPDATE events SET body = $1, version = NULL WHERE id = $2";
      if (server.backend === "postgres") await sql(update, [legacy, sent.body.id], server.schema);
      else {
        const db = new Database(server.dbPath);
        db.prepare(update.replace("$1", "?").replace("$2", "?")).run(legacy, sent.body.id);
        db.close();
      }
      server = await startServer({ dir, deps: { catalog: versioned.catalog, schemas: versioned.schemas } });
      const event = await server.api("GET", `/v1/events/${sent.body.id}`);
      expect(event.body.version).toBe(2);
      expect(event.body.envelope).not.toHaveProperty("version");

      expect((await server.api("POST", `/v1/events/${sent.body.id}/replay`, {})).status).toBe(202);
      await receiver.waitFor(() => receiver.requests.length >= 2);
      const replayed = JSON.parse((receiver.requests[1] as ReceivedRequest).body.toString("utf8"));
      expect(replayed).toMatchObject({ type: TYPE, version: 1, timestamp: sent.body.createdAt });
      expect(versioned.validateV1(replayed.data), JSON.stringify(versioned.validateV1.errors)).toBe(true);
      expect(ep.body.pins[TYPE]).toBe(1);
    } finally {
      await server.close();
      await receiver.close();
    }
  });
});

describe("an event whose type is no longer in the catalog", () => {
  const dir = mkdtempSync(join(tmpdir(), "hookline-removed-"));
  afterAll(() => removeStorage(dir));

  // Only a catalog given in code can drop a type endpoints are pinned to (a catalog directory doing
  // so is refused at start and on reload, catalog-reload-pins.test.ts): then a replay sends the
  // stored bytes as they are, in the version the event was sent in.
  it("is replayed as stored, its version and the endpoint's old pin kept", { timeout: 60_000 }, async () => {
    const receiver = await startFaultReceiver();
    const versioned = versionedCatalog();
    let server = await startServer({ dir, deps: { catalog: versioned.catalog, schemas: versioned.schemas } });
    try {
      const ep = await server.api("POST", "/v1/endpoints", { url: `${receiver.url}/removed` });
      const sent = await server.api("POST", "/v1/events", { type: "order.created", payload: example("order.created") });
      await receiver.waitFor(() => receiver.requests.length >= 1);
      await server.close();

      const drop = <T extends object>(record: T): T =>
        Object.fromEntries(Object.entries(record).filter(([type]) => type !== "order.created")) as T;
      const catalog = {
        ...versioned.catalog,
        eventTypes: drop(versioned.catalog.eventTypes),
        validators: drop(versioned.catalog.validators),
      };
      server = await startServer({ dir, deps: { catalog, schemas: drop(versioned.schemas) } });
      expect((await server.api("GET", "/v1/event-types/order.created")).status).toBe(404);
      const replay = await server.api("POST", `/v1/events/${sent.body.id}/replay`, {});
      expect(replay.status, replay.text).toBe(202);
      await receiver.waitFor(() => receiver.requests.length >= 2);
      const [first, second] = receiver.requests as [ReceivedRequest, ReceivedRequest];
      expect(second.body.equals(first.body)).toBe(true);
      const event = await waitUntil(async () => {
        const read = await server.api("GET", `/v1/events/${sent.body.id}`);
        return read.body.deliveries[0]?.status === "delivered" ? read.body : undefined;
      });
      expect(event).toMatchObject({ type: "order.created", version: 1 });
      expect(event.deliveries).toEqual([expect.objectContaining({ endpointId: ep.body.id, version: 1, attempts: 2 })]);
    } finally {
      await server.close();
      await receiver.close();
    }
  });
});
