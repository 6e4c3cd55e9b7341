/**
 * The API client against a real server, field by field: every property the client's types declare
 * (they are generated from the server's document, packages/core/src/client/wire.generated.ts) is read back
 * from a real answer, for events (with the envelope and its data), deliveries, attempts, endpoints,
 * dead letters, event types and the replay and recover counts. The list of fields is checked
 * against the type at compile time (`fields<T>()` refuses a list that leaves one out), so a field
 * added to a type and never answered fails here. Runs on both backends.
 */
import { createClient, type OrderCreated } from "@hookline/sender";
import { schemas } from "@hookline/sender/schemas";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FaultReceiver, startFaultReceiver } from "../support/fault-receiver.js";
import { API_KEY, startServer, type TestServer, waitUntil } from "../support/server.js";

type Client = ReturnType<typeof createClient>;
type Answer<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;
type Item<P> = P extends { readonly data: readonly (infer T)[] } ? T : never;

/** Every key of T, listed: a list missing one does not compile. */
function fields<T>() {
  return <const K extends readonly (keyof T)[]>(
    keys: K & ([Exclude<keyof T, K[number]>] extends [never] ? unknown : { missing: Exclude<keyof T, K[number]> }),
  ): K => keys;
}

/** Every listed field is present in the answer (optional ones too: the scenario makes each appear). */
function readBack<T extends object>(what: string, value: T, keys: readonly (keyof T)[]): void {
  for (const key of keys) expect(value, `${what}.${String(key)}`).toHaveProperty([String(key)]);
  for (const key of keys) expect((value as Record<PropertyKey, unknown>)[key], `${what}.${String(key)}`).not.toBeUndefined();
}

const EVENT_FIELDS = fields<Item<Answer<Client["events"]["list"]>>>()(["id", "type", "version", "tenant", "createdAt", "envelope"]);
const DETAIL_FIELDS = fields<Answer<Client["events"]["get"]>>()(["id", "type", "version", "tenant", "createdAt", "envelope", "deliveries"]);
const ENVELOPE_FIELDS = fields<Answer<Client["events"]["get"]>["envelope"]>()(["type", "version", "timestamp", "data"]);
const EVENT_DELIVERY_FIELDS = fields<Answer<Client["events"]["get"]>["deliveries"][number]>()([
  "endpointId",
  "status",
  "version",
  "attempts",
  "nextAttemptAt",
  "lastAttemptAt",
  "failureReason",
]);
const DELIVERY_FIELDS = fields<Item<Answer<Client["deliveries"]["deadLetters"]>>>()([
  "id",
  "eventId",
  "endpointId",
  "status",
  "version",
  "attempts",
  "nextAttemptAt",
  "lastAttemptAt",
  "failureReason",
  "createdAt",
  "updatedAt",
]);
const ATTEMPT_FIELDS = fields<Item<Answer<Client["events"]["attempts"]>>>()([
  "id",
  "eventId",
  "endpointId",
  "status",
  "statusCode",
  "durationMs",
  "error",
  "responseBody",
  "requestHeaders",
  "responseHeaders",
  "responseHeadersTruncated",
  "createdAt",
]);
/** What create and update answer; GET answers `health` besides (ENDPOINT_FIELDS). */
const ENDPOINT_WRITE_FIELDS = fields<Omit<Answer<Client["endpoints"]["get"]>, "health">>()([
  "id",
  "url",
  "eventTypes",
  "tenant",
  "description",
  "rateLimit",
  "disabled",
  "disabledReason",
  "metadata",
  "pins",
  "createdAt",
  "updatedAt",
]);
const ENDPOINT_FIELDS = fields<Answer<Client["endpoints"]["get"]>>()([...ENDPOINT_WRITE_FIELDS, "health"]);
const HEALTH_FIELDS = fields<NonNullable<Answer<Client["endpoints"]["get"]>["health"]>>()([
  "successRate",
  "attempts24h",
  "failures24h",
  "lastAttemptAt",
  "lastError",
  "failingSince",
]);
const CREATED_FIELDS = fields<Answer<Client["endpoints"]["create"]>>()([...ENDPOINT_WRITE_FIELDS, "secret"]);
const ACCEPTED_FIELDS = fields<Answer<Client["send"]>>()(["id", "type", "version", "tenant", "createdAt", "deliveries"]);
const PAGE_FIELDS = fields<Answer<Client["events"]["list"]>>()(["data", "nextCursor"]);
const EVENT_TYPE_FIELDS = fields<Answer<Client["eventTypes"]["get"]>>()([
  "type",
  "version",
  "versions",
  "domain",
  "title",
  "description",
  "deprecated",
  "schema",
  "examples",
]);
const SUBSCRIBERS_FIELDS = fields<Answer<Client["eventTypes"]["subscribers"]>>()(["data", "count"]);
const SUBSCRIBER_FIELDS = fields<Item<Answer<Client["eventTypes"]["subscribers"]>>>()(["id", "urlHost", "tenant", "disabled"]);
const TOKEN_FIELDS = fields<Answer<Client["tokens"]["create"]>>()([
  "id",
  "token",
  "tenant",
  "access",
  "description",
  "expiresAt",
  "createdAt",
  "lastUsedAt",
]);
const LISTED_TOKEN_FIELDS = fields<Item<Answer<Client["tokens"]["list"]>>>()([
  "id",
  "tenant",
  "access",
  "description",
  "expiresAt",
  "createdAt",
  "lastUsedAt",
]);
const PORTAL_LINK_FIELDS = fields<Answer<Client["portalLinks"]["create"]>>()(["url", "code", "expiresAt"]);
const ME_FIELDS = fields<Answer<Client["me"]>>()(["kind", "access", "tenant", "expiresAt", "portal"]);
const REPLAY_SELECTED_FIELDS = fields<Answer<Client["deliveries"]["replay"]>>()(["scheduled", "notFound"]);
const REPLAY_FIELDS = fields<Answer<Client["events"]["replay"]>>()(["id", "scheduled"]);
const RECOVER_FIELDS = fields<Answer<Client["endpoints"]["recover"]>>()(["recovered"]);

const order = schemas["order.created"].examples[0] as OrderCreated;
const TENANT = "contract";

describe("the API client reads back every field it declares", () => {
  let server: TestServer;
  let receiver: FaultReceiver;
  let client: Client;
  beforeAll(async () => {
    receiver = await startFaultReceiver();
    server = await startServer({ config: { retrySchedule: [10] } });
    client = createClient({ baseUrl: server.url, apiKey: API_KEY });
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  it("events, deliveries, attempts, endpoints, dead letters, event types, replay and recover counts", { timeout: 60_000 }, async () => {
    receiver.script("/ok", () => ({ status: 204 }));
    let failing = true;
    receiver.script("/dead", () => (failing ? { status: 500, body: "down" } : { status: 204 }));
    const ok = await client.endpoints.create({
      url: `${receiver.url}/ok?token=abc`,
      eventTypes: ["order.*"],
      tenant: TENANT,
      description: "contract: answers 204",
      rateLimit: 100,
      metadata: { team: "payments" },
    });
    readBack("created endpoint", ok, CREATED_FIELDS);
    expect(ok.url).toBe(`${receiver.url}/ok?token=abc`);
    expect(ok.secret).toMatch(/^whsec_/);
    const dead = await client.endpoints.create({ url: `${receiver.url}/dead`, eventTypes: ["order.created"], tenant: TENANT });
    // A third that never answers at all: its attempts carry `error` instead of a status code.
    const refused = await client.endpoints.create({ url: "http://127.0.0.1:1/refused", eventTypes: ["order.created"], tenant: TENANT });
    const updated = await client.endpoints.update(refused.id, { description: "refuses connections", metadata: { note: "contract" } });
    readBack("updated endpoint", updated, ENDPOINT_WRITE_FIELDS);
    expect(updated).toMatchObject({
      description: "refuses connections",
      metadata: { note: "contract" },
      disabled: false,
      disabledReason: null,
    });

    const accepted = await client.send("order.created", order, { tenant: TENANT });
    readBack("accepted event", accepted, ACCEPTED_FIELDS);
    expect(accepted).toMatchObject({ type: "order.created", version: 1, tenant: TENANT, deliveries: 3 });

    const settled = async () => {
      const event = await client.events.get(accepted.id);
      const state = (id: string) => event.deliveries.find((d) => d.endpointId === id)?.status;
      return state(ok.id) === "delivered" && state(dead.id) === "failed" && state(refused.id) === "failed" ? event : undefined;
    };
    const detail = await waitUntil(settled, 20_000, "one delivered, two dead letters");
    readBack("event", detail, DETAIL_FIELDS);
    readBack("envelope", detail.envelope, ENVELOPE_FIELDS);
    expect(detail.envelope).toMatchObject({ type: "order.created", version: 1, data: order });
    expect(detail.deliveries).toHaveLength(3);
    for (const delivery of detail.deliveries) readBack("event delivery", delivery, EVENT_DELIVERY_FIELDS);
    expect(detail.deliveries.find((d) => d.endpointId === dead.id)?.failureReason).toMatch(/exhausted/);

    const page = await client.events.list({ tenant: TENANT, limit: 10 });
    readBack("event page", page, PAGE_FIELDS);
    expect(page.data.map((e) => e.id)).toEqual([accepted.id]);
    for (const event of page.data) readBack("listed event", event, EVENT_FIELDS);
    expect(page.data[0]?.envelope.data).toEqual(order);

    const attempts = await client.events.attempts(accepted.id, { limit: 250 });
    const byEndpoint = (id: string) => attempts.data.filter((a) => a.endpointId === id);
    expect(byEndpoint(ok.id)).toHaveLength(1);
    expect(byEndpoint(dead.id).map((a) => a.statusCode)).toEqual([500, 500]);
    const unanswered = byEndpoint(refused.id)[0];
    expect(unanswered?.statusCode).toBeNull();
    if (unanswered === undefined) throw new Error("no attempt to the refusing endpoint");
    readBack("attempt", unanswered, ATTEMPT_FIELDS);
    expect(unanswered.error?.code).toEqual(expect.any(String));
    expect((await client.endpoints.attempts(dead.id)).data.map((a) => a.responseBody)).toEqual(["down", "down"]);

    const letters = await client.deliveries.deadLetters({ endpointId: dead.id });
    expect(letters.data).toHaveLength(1);
    for (const letter of letters.data) readBack("dead letter", letter, DELIVERY_FIELDS);
    expect(letters.data[0]).toMatchObject({ eventId: accepted.id, endpointId: dead.id, status: "failed", attempts: 2 });
    const allLetters = await client.deliveries.deadLetters();
    expect(allLetters.data.map((d) => d.endpointId).sort()).toEqual([dead.id, refused.id].sort());
    expect((await client.deliveries.list({ status: "delivered" })).data.map((d) => d.endpointId)).toEqual([ok.id]);

    // recover re-queues the endpoint's dead letters and says how many; replay says how many it scheduled.
    failing = false;
    const recovered = await client.endpoints.recover(dead.id, { since: "2000-01-01T00:00:00Z" });
    readBack("recover", recovered, RECOVER_FIELDS);
    expect(recovered).toEqual({ recovered: 1 });
    await waitUntil(
      async () => (await client.events.get(accepted.id)).deliveries.find((d) => d.endpointId === dead.id)?.status === "delivered",
    );
    const replayed = await client.events.replay(accepted.id, { endpointId: ok.id });
    readBack("replay", replayed, REPLAY_FIELDS);
    expect(replayed).toEqual({ id: accepted.id, scheduled: 1 });
    expect((await client.events.replay(accepted.id)).scheduled).toBeGreaterThanOrEqual(2);

    const endpoint = await client.endpoints.get(ok.id);
    readBack("endpoint", endpoint, ENDPOINT_FIELDS);
    expect(endpoint.health).toBeDefined();
    if (endpoint.health !== undefined) readBack("endpoint health", endpoint.health, HEALTH_FIELDS);
    expect(endpoint).toMatchObject({ tenant: TENANT, rateLimit: 100, metadata: { team: "payments" }, pins: { "order.created": 1 } });
    expect(endpoint.url).toBe(`${receiver.url}/ok?token=****`);
    const endpoints = await client.endpoints.list({ tenant: TENANT, disabled: false, limit: 2 });
    expect(endpoints.data).toHaveLength(2);
    expect(endpoints.nextCursor).not.toBeNull();
    for (const e of endpoints.data) readBack("listed endpoint", e, ENDPOINT_FIELDS);

    const type = await client.eventTypes.get("order.created");
    readBack("event type", type, EVENT_TYPE_FIELDS);
    const subscribers = await client.eventTypes.subscribers("order.created", 1);
    readBack("subscribers", subscribers, SUBSCRIBERS_FIELDS);
    expect(subscribers.count).toBe(3);
    for (const s of subscribers.data) readBack("subscriber", s, SUBSCRIBER_FIELDS);
  });

  it("tokens, portal links, who am I, and replaying selected deliveries", { timeout: 60_000 }, async () => {
    const admin = await client.me();
    readBack("me (admin)", admin, ME_FIELDS);
    expect(admin).toMatchObject({ kind: "admin", access: "write", tenant: null });

    const token = await client.tokens.create({ tenant: TENANT, access: "read", expiresIn: 3600, description: "contract reader" });
    readBack("created token", token, TOKEN_FIELDS);
    expect(token.token).toMatch(/^hlt_/);
    const reader = createClient({ baseUrl: server.url, apiKey: token.token });
    const me = await reader.me();
    expect(me).toMatchObject({ kind: "token", access: "read", tenant: TENANT });
    expect((await reader.events.list({ limit: 250 })).data.every((e) => e.tenant === TENANT)).toBe(true);
    const listed = await client.tokens.list({ limit: 250 });
    const row = listed.data.find((t) => t.id === token.id);
    expect(row).toBeDefined();
    if (row !== undefined) readBack("listed token", row, LISTED_TOKEN_FIELDS);
    expect(JSON.stringify(listed)).not.toContain(token.token);
    await client.tokens.revoke(token.id);
    await expect(reader.me()).rejects.toMatchObject({ status: 401 });

    const link = await client.portalLinks.create({ tenant: TENANT });
    readBack("portal link", link, PORTAL_LINK_FIELDS);
    expect(link.url).toContain(`/ui/portal#code=${link.code}`);

    const dead = await client.deliveries.deadLetters({ limit: 5 });
    const ids = dead.data.map((d) => d.id);
    const replayed = await client.deliveries.replay([...ids, "dl_missing"]);
    readBack("replay selected", replayed, REPLAY_SELECTED_FIELDS);
    expect(replayed.notFound).toContain("dl_missing");
  });
});
