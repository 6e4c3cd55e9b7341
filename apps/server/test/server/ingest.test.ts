import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFaultReceiver, type FaultReceiver } from "../support/fault-receiver.js";
import { example, header, startServer, waitUntil, type TestServer } from "../support/server.js";

describe("ingest", () => {
  let server: TestServer;
  let receiver: FaultReceiver;

  beforeAll(async () => {
    receiver = await startFaultReceiver();
    server = await startServer({ config: { maxPayloadBytes: 4096 } });
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  const endpoint = async (path: string, extra: Record<string, unknown> = {}): Promise<string> => {
    const res = await server.api("POST", "/v1/endpoints", { url: `${receiver.url}${path}`, ...extra });
    expect(res.status, res.text).toBe(201);
    return res.body.id as string;
  };

  it("fans out by exact type, trailing wildcard and tenant", async () => {
    const exact = await endpoint("/fan/exact", { eventTypes: ["subscription.created"] });
    const wildcard = await endpoint("/fan/wildcard", { eventTypes: ["subscription.*"] });
    const all = await endpoint("/fan/all", { tenant: "fan-untenanted-check", eventTypes: ["subscription.renewed"] });
    const tenantA = await endpoint("/fan/tenant-a", { tenant: "acme", eventTypes: ["subscription.created", "subscription.renewed"] });
    const tenantB = await endpoint("/fan/tenant-b", { tenant: "globex", eventTypes: ["subscription.*"] });
    const other = await endpoint("/fan/other", { eventTypes: ["order.created"] });

    const send = async (type: string, tenant?: string): Promise<{ id: string; deliveries: number }> => {
      const res = await server.api("POST", "/v1/events", { type, payload: example(type), ...(tenant === undefined ? {} : { tenant }) });
      expect(res.status, res.text).toBe(202);
      return res.body;
    };
    const targets = async (id: string): Promise<string[]> => {
      const res = await server.api("GET", `/v1/events/${id}`);
      return (res.body.deliveries as { endpointId: string }[]).map((d) => d.endpointId).sort();
    };

    const created = await send("subscription.created");
    expect(created.deliveries).toBe(2);
    expect(await targets(created.id)).toEqual([exact, wildcard].sort());

    const renewed = await send("subscription.renewed");
    expect(await targets(renewed.id)).toEqual([wildcard]);

    const forAcme = await send("subscription.created", "acme");
    expect(await targets(forAcme.id)).toEqual([tenantA]);

    const forGlobex = await send("subscription.renewed", "globex");
    expect(await targets(forGlobex.id)).toEqual([tenantB]);

    const nobody = await send("subscription.cancelled", "initech");
    expect(nobody.deliveries).toBe(0);

    await receiver.waitFor((reqs) => reqs.filter((r) => r.path.startsWith("/fan/")).length >= 5);
    await new Promise((r) => setTimeout(r, 100));
    const byPath = (p: string): string[] => receiver.requests.filter((r) => r.path === p).map((r) => header(r, "webhook-id"));
    expect(byPath("/fan/exact")).toEqual([created.id]);
    expect(byPath("/fan/wildcard").sort()).toEqual([created.id, renewed.id].sort());
    expect(byPath("/fan/tenant-a")).toEqual([forAcme.id]);
    expect(byPath("/fan/tenant-b")).toEqual([forGlobex.id]);
    expect(byPath("/fan/all")).toEqual([]);
    expect(byPath("/fan/other")).toEqual([]);
    void all;
    void other;
  });

  it("collapses 50 concurrent identical POSTs with one id into one event and one set of deliveries", async () => {
    await endpoint("/idem/a", { eventTypes: ["order.paid"] });
    await endpoint("/idem/b", { eventTypes: ["order.*"] });
    const body = { id: "order-paid-idem-42", type: "order.paid", payload: example("order.paid") };
    const answers = await Promise.all(Array.from({ length: 50 }, () => server.api("POST", "/v1/events", body)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 202)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(49);
    for (const a of answers) expect(a.body).toMatchObject({ id: body.id, type: "order.paid", deliveries: 2 });
    expect(new Set(answers.map((a) => a.body.createdAt)).size).toBe(1);

    await receiver.waitFor((reqs) => reqs.filter((r) => r.path.startsWith("/idem/")).length >= 2);
    await new Promise((r) => setTimeout(r, 150));
    const hits = receiver.requests.filter((r) => r.path.startsWith("/idem/"));
    expect(hits.map((h) => h.path).sort()).toEqual(["/idem/a", "/idem/b"]);
    const list = await server.api("GET", "/v1/events?type=order.paid&limit=250");
    expect((list.body.data as { id: string }[]).filter((e) => e.id === body.id)).toHaveLength(1);
  });

  it("answers the original (200) for the same id and body, 409 for the same id and another body", async () => {
    const payload = example("inventory.low");
    const first = await server.api("POST", "/v1/events", { id: "inv-1", type: "inventory.low", payload });
    expect(first.status).toBe(202);
    // Key order and spacing do not matter: the same JSON value is the same body.
    const reordered = Object.fromEntries(Object.entries(payload).reverse());
    const again = await server.raw(
      "POST",
      "/v1/events",
      `{ "payload": ${JSON.stringify(reordered, null, 2)}, "type": "inventory.low", "id": "inv-1" }`,
    );
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const changed = await server.api("POST", "/v1/events", {
      id: "inv-1",
      type: "inventory.low",
      payload: { ...payload, sku: "OTHER-SKU" },
    });
    expect(changed.status).toBe(409);
    expect(changed.body.error.code).toBe("idempotency_conflict");
    const otherTenant = await server.api("POST", "/v1/events", { id: "inv-1", type: "inventory.low", payload, tenant: "acme" });
    expect(otherTenant.status).toBe(409);
  });

  it("takes the id from the Idempotency-Key header, and refuses a header that contradicts the body", async () => {
    const payload = example("order.created");
    const res = await server.api("POST", "/v1/events", { type: "order.created", payload }, { "idempotency-key": "from-header-1" });
    expect(res.status).toBe(202);
    expect(res.body.id).toBe("from-header-1");
    const again = await server.api("POST", "/v1/events", { type: "order.created", payload, id: "from-header-1" });
    expect(again.status).toBe(200);
    const mismatch = await server.api("POST", "/v1/events", { type: "order.created", payload, id: "a" }, { "idempotency-key": "b" });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.code).toBe("idempotency_key_mismatch");
    const dotted = await server.api("POST", "/v1/events", { type: "order.created", payload }, { "idempotency-key": "has.dot" });
    expect(dotted.status).toBe(400);
  });

  it.each([
    ["a dot", "evt.1"],
    ["a space", "evt 1"],
    ["a slash", "evt/1"],
    ["non-ASCII", "évt"],
    ["65 characters", "a".repeat(65)],
    ["empty", ""],
  ])("refuses a client id with %s", async (_case, id) => {
    const res = await server.api("POST", "/v1/events", { id, type: "order.created", payload: example("order.created") });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_request");
    expect(res.body.error.details[0].path).toBe("/id");
  });

  it("accepts a body of exactly the limit and answers 413 one byte over", async () => {
    const base = JSON.stringify({ type: "order.created", payload: example("order.created") });
    const pad = (size: number): string => `${base.slice(0, -1)}${" ".repeat(size - base.length)}}`;
    const atLimit = pad(4096);
    expect(Buffer.byteLength(atLimit)).toBe(4096);
    const ok = await server.raw("POST", "/v1/events", atLimit);
    expect(ok.status, ok.text).toBe(202);
    const over = await server.raw("POST", "/v1/events", pad(4097));
    expect(over.status).toBe(413);
    expect(over.body.error.code).toBe("payload_too_large");
  });

  it("has committed the event and its deliveries when it answers 202", async () => {
    const ep = await endpoint("/durable", { eventTypes: ["user.logged_in"], disabled: true });
    const res = await server.api("POST", "/v1/events", { type: "user.logged_in", payload: example("user.logged_in") });
    expect(res.status).toBe(202);
    // A second connection (another process could be reading too) sees the committed rows.
    expect(await server.query("SELECT id, type FROM events WHERE id = $1", [res.body.id])).toEqual([
      { id: res.body.id, type: "user.logged_in" },
    ]);
    expect(await server.query("SELECT endpoint_id FROM deliveries WHERE event_id = $1", [res.body.id])).toEqual([{ endpoint_id: ep }]);
  });

  it("rejects unknown event types and invalid payloads with 422 and JSON pointers", async () => {
    const unknown = await server.api("POST", "/v1/events", { type: "order.craeted", payload: {} });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe("unknown_event_type");
    expect(unknown.body.error.message).toContain('Did you mean "order.created"?');

    const payload = example("order.created");
    delete payload["orderId"];
    payload["channel"] = 42;
    payload["surprise"] = true;
    const invalid = await server.api("POST", "/v1/events", { type: "order.created", payload });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.code).toBe("invalid_payload");
    const paths = (invalid.body.error.details as { path: string; message: string }[]).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(["/orderId", "/channel", "/surprise"]));
    for (const d of invalid.body.error.details) expect(Object.keys(d).sort()).toEqual(["message", "path"]);
  });
});

describe("stored bytes", () => {
  let server: TestServer;
  let receiver: FaultReceiver;

  beforeAll(async () => {
    receiver = await startFaultReceiver();
    server = await startServer({ config: { retrySchedule: [10, 10, 10] } });
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  it("sends the payload exactly as received (&, U+2028, emoji, escapes, odd spacing) on attempt 1 and attempt 3", async () => {
    receiver.script("/bytes", [{ status: 500 }, { status: 503 }, { status: 200 }]);
    await server.api("POST", "/v1/endpoints", { url: `${receiver.url}/bytes`, eventTypes: ["order.cancelled"] });
    const payload = example("order.cancelled");
    payload["note"] = "PLACEHOLDER";
    const note = '"Fish & chips\u2028line \\u2028 escaped 🚀 \\ud83d\\ude80 <b>&amp;</b>"';
    const rawPayload = JSON.stringify(payload, null, "\t ").replace('"PLACEHOLDER"', note).replace('"orderId"', '  "orderId"   ');
    const big = rawPayload.replace('"cancelledBy"', '"cancelledBy"');
    const body = `{\n  "type" :  "order.cancelled",\r\n"payload":${big}   }`;
    const res = await server.raw("POST", "/v1/events", body);
    expect(res.status, res.text).toBe(202);

    await receiver.waitFor((reqs) => reqs.filter((r) => r.path === "/bytes").length >= 3);
    const hits = receiver.requests.filter((r) => r.path === "/bytes");
    const expected = `{"type":"order.cancelled","version":1,"timestamp":"${res.body.createdAt}","data":${big}}`;
    expect(hits[0]?.body.toString("utf8")).toBe(expected);
    expect(hits[2]?.body.equals(hits[0]?.body ?? Buffer.alloc(0))).toBe(true);
    expect(JSON.parse(expected).data.note).toBe("Fish & chips\u2028line \u2028 escaped 🚀 🚀 <b>&amp;</b>");
    // Same id on every attempt; fresh timestamp and signature per attempt.
    expect(new Set(hits.map((h) => header(h, "webhook-id")))).toEqual(new Set([res.body.id]));

    // The polling API returns the very same envelope bytes.
    const listed = await server.api("GET", `/v1/events/${res.body.id}`);
    expect(listed.text).toContain(`"envelope":${expected}`);
    await waitUntil(
      async () => (await server.api("GET", `/v1/events/${res.body.id}`)).body.deliveries[0].status === "delivered",
      2000,
      "delivered",
    );
  });
});
