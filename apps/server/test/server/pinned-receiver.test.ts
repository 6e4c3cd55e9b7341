/**
 * Issue 13's end-to-end test of pinning, on the real catalog: an endpoint pinned to order.shipped v1
 * gets v1 bytes for an event sent as v2 — signature checked with the official `standardwebhooks`
 * library, then verified and handled by a receiver generated (in this test, by the generator
 * library) for v1 only, which refuses v2 bodies with 422; an endpoint pinned to v2 gets the original
 * bytes; re-pinning changes what a replay sends. Runs on both backends (vitest projects).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { loadCatalog, renderOutput } from "@hookline/generator";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FaultReceiver, type ReceivedRequest, startFaultReceiver } from "../support/fault-receiver.js";
import { example, header, startServer, type TestServer } from "../support/server.js";

const TYPE = "order.shipped";
const require = createRequire(import.meta.url);
const catalogDir = dirname(require.resolve("@hookline/catalog/package.json"));
// Inside the workspace (git-ignored .tmp/) so the generated code resolves @hookline/core.
const scratch = join(dirname(fileURLToPath(import.meta.url)), "..", ".tmp");

interface HandledEvent {
  type: string;
  version: number;
  data: Record<string, unknown>;
}
interface GeneratedReceiver {
  events: readonly string[];
  on(type: string, handler: (event: HandledEvent) => void): unknown;
  handle(body: Buffer, headers: Record<string, string>): Promise<{ status: number; body: string }>;
}
type CreateReceiver = (options: { secret: string }) => GeneratedReceiver;

const signatureHeaders = (req: ReceivedRequest): Record<string, string> => ({
  "webhook-id": header(req, "webhook-id"),
  "webhook-timestamp": header(req, "webhook-timestamp"),
  "webhook-signature": header(req, "webhook-signature"),
  "content-type": "application/json",
});

describe("an endpoint pinned to v1, a receiver generated for v1 only", () => {
  let server: TestServer;
  let receiver: FaultReceiver;
  let createReceiver: CreateReceiver;
  let outDir: string;

  beforeAll(async () => {
    mkdirSync(scratch, { recursive: true });
    outDir = mkdtempSync(join(scratch, "receiver-v1-"));
    const model = await loadCatalog(catalogDir);
    const files = await renderOutput(
      model,
      { target: "receiver", runtime: "@hookline/core", versions: { [TYPE]: [1] } },
      "@hookline/catalog",
    );
    for (const file of files) {
      mkdirSync(dirname(join(outDir, file.path)), { recursive: true });
      writeFileSync(join(outDir, file.path), file.text);
    }
    ({ createReceiver } = (await import(pathToFileURL(join(outDir, "index.ts")).href)) as { createReceiver: CreateReceiver });
    receiver = await startFaultReceiver();
    server = await startServer();
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await receiver?.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  const hits = (path: string): ReceivedRequest[] => receiver.requests.filter((r) => r.path === path);
  /** The generated v1 receiver with `secret`: what it answers for `req`, and what its handler saw. */
  const handleWithV1Receiver = async (secret: string, req: ReceivedRequest) => {
    const handled: HandledEvent[] = [];
    const v1Receiver = createReceiver({ secret });
    for (const type of v1Receiver.events) v1Receiver.on(type, (event) => void handled.push(event));
    const response = await v1Receiver.handle(req.body, signatureHeaders(req));
    return { status: response.status, body: response.body, handled };
  };

  it("delivers v1 to the v1 pin (verified, handled as v1), the original bytes to the v2 pin (refused by the v1 receiver), and replays in the new pins", {
    timeout: 60_000,
  }, async () => {
    const create = async (path: string, version: number) => {
      const res = await server.api("POST", "/v1/endpoints", { url: `${receiver.url}${path}`, tenant: "acme", pins: { [TYPE]: version } });
      expect(res.status, res.text).toBe(201);
      expect(res.body.pins[TYPE]).toBe(version);
      return res.body as { id: string; secret: string };
    };
    const onV1 = await create("/pinned-v1", 1);
    const onV2 = await create("/pinned-v2", 2);

    // Sent as v2 with odd spacing: the v2 endpoint must get these very bytes.
    const payload = JSON.stringify(example(TYPE), null, 3);
    const sent = await server.raw("POST", "/v1/events", `{"type":"${TYPE}",  "version":2, "tenant":"acme","payload":${payload}}`);
    expect(sent.status, sent.text).toBe(202);
    expect(sent.body.version).toBe(2);
    await receiver.waitFor(() => hits("/pinned-v1").length >= 1 && hits("/pinned-v2").length >= 1);

    const asV1 = hits("/pinned-v1")[0] as ReceivedRequest;
    const signed = new Webhook(onV1.secret).verify(asV1.body, signatureHeaders(asV1)) as Record<string, unknown>;
    expect(signed).toMatchObject({ type: TYPE, version: 1, timestamp: sent.body.createdAt });
    const handledV1 = await handleWithV1Receiver(onV1.secret, asV1);
    expect(handledV1.status, handledV1.body).toBe(200);
    expect(handledV1.handled).toHaveLength(1);
    const event = handledV1.handled[0] as HandledEvent;
    expect(event).toMatchObject({ type: TYPE, version: 1 });
    const v2 = example(TYPE) as { orderId: string; parcels: { tracking: unknown }[] };
    expect(event.data).toMatchObject({ orderId: v2.orderId, tracking: v2.parcels[0]?.tracking });
    expect(event.data).not.toHaveProperty("parcels");

    const original = hits("/pinned-v2")[0] as ReceivedRequest;
    expect(original.body.toString("utf8")).toBe(`{"type":"${TYPE}","version":2,"timestamp":"${sent.body.createdAt}","data":${payload}}`);
    expect(new Webhook(onV2.secret).verify(original.body, signatureHeaders(original))).toMatchObject({ version: 2 });
    const refused = await handleWithV1Receiver(onV2.secret, original);
    expect(refused.status).toBe(422);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: "unknown_event_version" } });
    expect(refused.handled).toHaveLength(0);

    // Swap the pins; a replay follows them.
    expect((await server.api("PATCH", `/v1/endpoints/${onV1.id}`, { pins: { [TYPE]: 2 } })).status).toBe(200);
    expect((await server.api("PATCH", `/v1/endpoints/${onV2.id}`, { pins: { [TYPE]: 1 } })).status).toBe(200);
    expect((await server.api("GET", `/v1/endpoints/${onV2.id}`)).body.pins[TYPE]).toBe(1);
    const replay = await server.api("POST", `/v1/events/${sent.body.id}/replay`, {});
    expect(replay.status, replay.text).toBe(202);
    await receiver.waitFor(() => hits("/pinned-v1").length >= 2 && hits("/pinned-v2").length >= 2);

    const replayedV2 = hits("/pinned-v1")[1] as ReceivedRequest;
    expect(replayedV2.body.toString("utf8")).toBe(original.body.toString("utf8"));
    expect((await handleWithV1Receiver(onV1.secret, replayedV2)).status).toBe(422);
    const replayedV1 = hits("/pinned-v2")[1] as ReceivedRequest;
    expect(replayedV1.body.equals(asV1.body)).toBe(true);
    const handledAfter = await handleWithV1Receiver(onV2.secret, replayedV1);
    expect(handledAfter.status, handledAfter.body).toBe(200);
    expect(handledAfter.handled[0]).toMatchObject({ type: TYPE, version: 1, data: event.data });
  });
});
