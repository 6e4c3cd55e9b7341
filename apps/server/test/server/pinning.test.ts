/**
 * Version pinning end to end (issue 13 item 3): pins at creation and after a new version, PATCH,
 * ingest in a chosen version, fan-out converting to each endpoint's pin (signed bytes verified with
 * the official `standardwebhooks` library), conversion failures, replay after re-pinning, and the
 * subscribers of a version. The catalog is the real one plus versions built in
 * test/support/versioned-catalog.ts (order.shipped v1, v2 and a made-up v3, with converters).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFaultReceiver, type FaultReceiver, type ReceivedRequest } from "../support/fault-receiver.js";
import { example, header, removeStorage, startServer, type TestServer, waitUntil } from "../support/server.js";
import { CONVERTER_MESSAGE, EXPLODING_ORDER, TYPE, type VersionedCatalog, versionedCatalog } from "../support/versioned-catalog.js";

function verified(secret: string, req: ReceivedRequest): { type: string; version: number; timestamp: string; data: unknown } {
  return new Webhook(secret).verify(req.body, {
    "webhook-id": header(req, "webhook-id"),
    "webhook-timestamp": header(req, "webhook-timestamp"),
    "webhook-signature": header(req, "webhook-signature"),
  }) as { type: string; version: number; timestamp: string; data: unknown };
}

describe("version pinning", () => {
  let server: TestServer;
  let receiver: FaultReceiver;
  let versioned: VersionedCatalog;

  beforeAll(async () => {
    receiver = await startFaultReceiver();
    versioned = versionedCatalog();
    server = await startServer({ deps: { catalog: versioned.catalog, schemas: versioned.schemas } });
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  const hits = (path: string): ReceivedRequest[] => receiver.requests.filter((r) => r.path === path);
  const createEndpoint = async (
    path: string,
    extra: Record<string, unknown> = {},
  ): Promise<{ id: string; secret: string; pins: Record<string, number> }> => {
    const res = await server.api("POST", "/v1/endpoints", { url: `${receiver.url}${path}`, tenant: path.slice(1), ...extra });
    expect(res.status, res.text).toBe(201);
    return res.body;
  };
  const delivery = async (eventId: string, endpointId: string): Promise<Record<string, unknown>> => {
    const res = await server.api("GET", `/v1/events/${eventId}`);
    return res.body.deliveries.find((d: { endpointId: string }) => d.endpointId === endpointId);
  };

  it("pins PATCH partially; unknown types and versions are a 422 naming the versions that exist", async () => {
    const ep = await createEndpoint("/patch", { pins: { [TYPE]: 1 } });
    expect(ep.pins).toMatchObject({ [TYPE]: 1, "order.created": 1 });
    const patched = await server.api("PATCH", `/v1/endpoints/${ep.id}`, { pins: { [TYPE]: 2 } });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.pins).toEqual({ ...ep.pins, [TYPE]: 2 });
    expect((await server.api("GET", `/v1/endpoints/${ep.id}`)).body.pins[TYPE]).toBe(2);

    const badVersion = await server.api("PATCH", `/v1/endpoints/${ep.id}`, { pins: { [TYPE]: 7 } });
    expect(badVersion.status).toBe(422);
    expect(badVersion.body.error.code).toBe("unknown_version");
    expect(badVersion.body.error.message).toContain("order.shipped has no version 7; versions that exist: 1, 2");
    expect(badVersion.body.error.details).toEqual([{ path: `/pins/${TYPE}`, message: expect.any(String), versions: [1, 2] }]);
    const badType = await server.api("POST", "/v1/endpoints", { url: `${receiver.url}/x`, pins: { "order.teleported": 1 } });
    expect(badType.status).toBe(422);
    expect(badType.body.error.details[0]).toMatchObject({ path: "/pins/order.teleported", versions: [] });
    expect(badType.body.error.message).toContain('"order.teleported" is not a catalog event type');
    expect((await server.api("PATCH", `/v1/endpoints/${ep.id}`, { pins: { [TYPE]: "1" } })).status).toBe(400);
    expect((await server.api("GET", `/v1/endpoints/${ep.id}`)).body.pins[TYPE]).toBe(2);
  });

  it("ingests in the version sent (validated with that version's schema), newest by default; an unknown version is a 422", async () => {
    const documents = versioned.schemas as unknown as { versions: Record<string, Record<string, { examples: unknown[] }>> };
    const v1Payload = documents.versions[TYPE]?.["1"]?.examples[0];
    const v1 = await server.api("POST", "/v1/events", { type: TYPE, version: 1, payload: v1Payload, tenant: "ingest" });
    expect(v1.status, v1.text).toBe(202);
    expect(v1.body.version).toBe(1);
    const read = await server.api("GET", `/v1/events/${v1.body.id}`);
    expect(read.body).toMatchObject({ version: 1, envelope: { type: TYPE, version: 1, data: v1Payload } });

    const asNewest = await server.api("POST", "/v1/events", { type: TYPE, payload: v1Payload, tenant: "ingest" });
    expect(asNewest.status).toBe(422);
    expect(asNewest.body.error.code).toBe("invalid_payload");
    expect(asNewest.body.error.message).toContain(`${TYPE} v2`);
    const newest = await server.api("POST", "/v1/events", { type: TYPE, payload: example(TYPE), tenant: "ingest" });
    expect(newest.body.version).toBe(2);

    const unknown = await server.api("POST", "/v1/events", { type: TYPE, version: 9, payload: v1Payload });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({ code: "unknown_version", details: [{ path: "/version", versions: [1, 2] }] });
    expect(unknown.body.error.message).toContain("order.shipped has no version 9; versions that exist: 1, 2");
  });

  it("sends v1 bytes to endpoints pinned to v1 (converted once, identical for both) and the original bytes to an endpoint pinned to v2", async () => {
    const v1a = await createEndpoint("/fan", { pins: { [TYPE]: 1 } });
    const v1b = await server.api("POST", "/v1/endpoints", { url: `${receiver.url}/fan-b`, tenant: "fan", pins: { [TYPE]: 1 } });
    const v2 = await server.api("POST", "/v1/endpoints", { url: `${receiver.url}/fan-2`, tenant: "fan" });
    expect(v2.body.pins[TYPE]).toBe(2);
    const before = versioned.calls.get("2.down") ?? 0;
    // Odd spacing: the original bytes must reach the v2 endpoint exactly as sent.
    const payload = JSON.stringify(example(TYPE), null, 3);
    const sent = await server.raw("POST", "/v1/events", `{"type":"${TYPE}",  "tenant":"fan","version":2,"payload":${payload}}`);
    expect(sent.status, sent.text).toBe(202);
    await receiver.waitFor(() => hits("/fan").length >= 1 && hits("/fan-b").length >= 1 && hits("/fan-2").length >= 1);

    const original = hits("/fan-2")[0] as ReceivedRequest;
    expect(original.body.toString("utf8")).toBe(`{"type":"${TYPE}","version":2,"timestamp":"${sent.body.createdAt}","data":${payload}}`);
    expect(verified(v2.body.secret, original)).toMatchObject({ type: TYPE, version: 2 });

    const [a, b] = [hits("/fan")[0] as ReceivedRequest, hits("/fan-b")[0] as ReceivedRequest];
    const converted = verified(v1a.secret, a);
    expect(verified(v1b.body.secret, b)).toEqual(converted);
    expect(a.body.equals(b.body)).toBe(true);
    expect(converted).toMatchObject({ type: TYPE, version: 1, timestamp: sent.body.createdAt });
    expect(versioned.validateV1(converted.data), JSON.stringify(versioned.validateV1.errors)).toBe(true);
    expect(versioned.calls.get("2.down")).toBe(before + 1);
    expect(header(a, "webhook-id")).toBe(sent.body.id);

    expect(await delivery(sent.body.id, v1a.id)).toMatchObject({ version: 1, status: "delivered" });
    expect(await delivery(sent.body.id, v2.body.id)).toMatchObject({ version: 2 });
  });

  it("records a converter that throws on the attempt, dead-letters with conversion_failed, uses no attempt, leaves health alone; replay after the fix delivers", async () => {
    const ep = await createEndpoint("/boom", { pins: { [TYPE]: 1 } });
    const sent = await server.api("POST", "/v1/events", {
      type: TYPE,
      tenant: "boom",
      payload: { ...example(TYPE), orderId: EXPLODING_ORDER },
    });
    expect(sent.status, sent.text).toBe(202);
    const failed = await waitUntil(async () => {
      const d = await delivery(sent.body.id, ep.id);
      return d["status"] === "failed" ? d : undefined;
    });
    expect(failed).toMatchObject({ attempts: 0, version: 1 });
    expect(failed["failureReason"]).toMatch(/^conversion_failed: converter order\.shipped\.v2\.convert\.ts \(v2 → v1\) threw: /);
    expect(failed["failureReason"]).toContain(CONVERTER_MESSAGE);
    const attempts = await server.api("GET", `/v1/events/${sent.body.id}/attempts`);
    expect(attempts.body.data).toHaveLength(1);
    expect(attempts.body.data[0]).toMatchObject({ status: "failed", statusCode: null, error: { code: "conversion_failed" } });
    expect(attempts.body.data[0].error.message).toContain(CONVERTER_MESSAGE);
    expect(hits("/boom")).toHaveLength(0);
    const endpoint = await server.api("GET", `/v1/endpoints/${ep.id}`);
    expect(endpoint.body).toMatchObject({ disabled: false, disabledReason: null });
    const health = await server.query<{ failing_since: number | null }>("SELECT failing_since FROM endpoints WHERE id = $1", [ep.id]);
    expect(health[0]?.failing_since).toBeNull();
    const dead = await server.api("GET", `/v1/deliveries?status=failed&endpointId=${ep.id}`);
    expect(dead.body.data[0].failureReason).toContain("conversion_failed");
    expect(await fetch(`${server.url}/metrics`).then((r) => r.text())).toMatch(
      /hookline_internal_errors_total\{stage="conversion"\} [1-9]/,
    );

    versioned.behaviour.explode = false;
    try {
      expect((await server.api("POST", `/v1/events/${sent.body.id}/replay`, {})).status).toBe(202);
      await receiver.waitFor(() => hits("/boom").length >= 1);
      expect(verified(ep.secret, hits("/boom")[0] as ReceivedRequest)).toMatchObject({ version: 1, data: { orderId: EXPLODING_ORDER } });
    } finally {
      versioned.behaviour.explode = true;
    }
  });

  it("recovers in the endpoint's current pin: a dead letter of a failed conversion is sent in the new pin after re-pinning", async () => {
    const ep = await createEndpoint("/recover", { pins: { [TYPE]: 1 } });
    const sent = await server.api("POST", "/v1/events", {
      type: TYPE,
      tenant: "recover",
      payload: { ...example(TYPE), orderId: EXPLODING_ORDER },
    });
    await waitUntil(async () => (await delivery(sent.body.id, ep.id))["status"] === "failed");
    expect((await server.api("PATCH", `/v1/endpoints/${ep.id}`, { pins: { [TYPE]: 2 } })).status).toBe(200);
    const recovered = await server.api("POST", `/v1/endpoints/${ep.id}/recover`, { since: "2000-01-01T00:00:00Z" });
    expect(recovered.status, recovered.text).toBe(202);
    await receiver.waitFor(() => hits("/recover").length >= 1);
    expect(verified(ep.secret, hits("/recover")[0] as ReceivedRequest)).toMatchObject({ version: 2, data: { orderId: EXPLODING_ORDER } });
    expect(await delivery(sent.body.id, ep.id)).toMatchObject({ version: 2 });
  });

  it("replays in the endpoint's current pin: re-pinning changes what replay sends", async () => {
    const ep = await createEndpoint("/repin");
    const sent = await server.api("POST", "/v1/events", { type: TYPE, tenant: "repin", payload: example(TYPE) });
    await receiver.waitFor(() => hits("/repin").length >= 1);
    expect(verified(ep.secret, hits("/repin")[0] as ReceivedRequest)).toMatchObject({ version: 2 });

    expect((await server.api("PATCH", `/v1/endpoints/${ep.id}`, { pins: { [TYPE]: 1 } })).status).toBe(200);
    expect((await server.api("POST", `/v1/events/${sent.body.id}/replay`, {})).status).toBe(202);
    await receiver.waitFor(() => hits("/repin").length >= 2);
    const replayed = verified(ep.secret, hits("/repin")[1] as ReceivedRequest);
    expect(replayed).toMatchObject({ type: TYPE, version: 1 });
    expect(versioned.validateV1(replayed.data)).toBe(true);
    expect(await delivery(sent.body.id, ep.id)).toMatchObject({ version: 1 });
  });
});

describe("pins across catalog versions, subscribers and deprecation", () => {
  const dir = mkdtempSync(join(tmpdir(), "hookline-pins-"));
  let receiver: FaultReceiver;
  beforeAll(async () => {
    receiver = await startFaultReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await removeStorage(dir);
  });

  it("keeps pins at creation when a newer version appears; new endpoints get the newest; lists subscribers per version", {
    timeout: 30_000,
  }, async () => {
    const before = versionedCatalog();
    let server = await startServer({ dir, deps: { catalog: before.catalog, schemas: before.schemas, startWorker: false } });
    const create = async (body: Record<string, unknown>): Promise<Record<string, any>> => {
      const res = await server.api("POST", "/v1/endpoints", { url: `${receiver.url}/hook`, ...body });
      expect(res.status, res.text).toBe(201);
      return res.body;
    };
    const early = await create({});
    const old = await create({ pins: { [TYPE]: 1 }, eventTypes: ["order.*"], tenant: "acme" });
    const unsubscribed = await create({ pins: { [TYPE]: 1 }, eventTypes: ["user.*"] });
    expect(early.pins[TYPE]).toBe(2);
    expect(Object.keys(early.pins).sort()).toEqual(Object.keys(before.catalog.eventTypes).sort());
    await server.close();

    const after = versionedCatalog({ withV3: true });
    server = await startServer({ dir, deps: { catalog: after.catalog, schemas: after.schemas, startWorker: false } });
    try {
      expect((await server.api("GET", `/v1/endpoints/${early.id}`)).body.pins[TYPE]).toBe(2);
      expect((await server.api("GET", `/v1/endpoints/${old.id}`)).body.pins[TYPE]).toBe(1);
      const late = await create({});
      expect(late.pins[TYPE]).toBe(3);

      const v1 = await server.api("GET", `/v1/event-types/${TYPE}/versions/1/subscribers`);
      expect(v1.status, v1.text).toBe(200);
      const host = new URL(receiver.url).host;
      // The endpoint filtered to user.* is pinned to v1 too, but does not receive order.shipped.
      expect(v1.body).toEqual({ data: [{ id: old.id, urlHost: host, tenant: "acme", disabled: false }], count: 1 });
      expect(unsubscribed.pins[TYPE]).toBe(1);
      const v2 = await server.api("GET", `/v1/event-types/${TYPE}/versions/2/subscribers`);
      expect(v2.body.data.map((e: { id: string }) => e.id)).toEqual([early.id]);
      const missing = await server.api("GET", `/v1/event-types/${TYPE}/versions/4/subscribers`);
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toContain("versions that exist: 1, 2, 3");
      expect((await server.api("GET", "/v1/event-types/order.teleported/versions/1/subscribers")).status).toBe(404);

      const type = await server.api("GET", `/v1/event-types/${TYPE}`);
      expect(type.body.version).toBe(3);
      expect(type.body.versions).toEqual([
        { version: 1, deprecated: true, pinnedEndpoints: 1 },
        { version: 2, deprecated: false, pinnedEndpoints: 1 },
        { version: 3, deprecated: false, pinnedEndpoints: 1 },
      ]);
      const list = await server.api("GET", "/v1/event-types");
      expect(list.body.data.find((t: { type: string }) => t.type === "order.created").versions).toEqual([
        { version: 1, deprecated: false, pinnedEndpoints: 3 },
      ]);
      const metrics = await fetch(`${server.url}/metrics`).then((r) => r.text());
      expect(metrics).toContain(`hookline_deprecated_pins{type="${TYPE}",version="1"} 1`);
      expect(metrics).not.toContain(`hookline_deprecated_pins{type="${TYPE}",version="2"}`);
    } finally {
      await server.close();
    }
  });
});
