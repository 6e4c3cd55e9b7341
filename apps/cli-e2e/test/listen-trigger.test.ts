/**
 * The local loop end to end, over loopback with real processes: the delivery server, `hookline
 * listen` forwarding to a receiver built with the generated SDK, and `hookline trigger`.
 */

import { schemas } from "@hookline/sender/schemas";
import { generateSecret } from "@hookline/sender";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  assertBuilt,
  eventually,
  hookline,
  hooklineJson,
  type ServerProcess,
  startListen,
  startReceiver,
  startServer,
  tempDir,
} from "./support.js";

beforeAll(assertBuilt);

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function server(dir = tempDir()): Promise<ServerProcess> {
  const started = await startServer(dir);
  cleanups.push(() => started.kill("SIGKILL"));
  return started;
}

async function receiver() {
  const started = await startReceiver();
  cleanups.push(started.close);
  return started;
}

const listenEndpoints = async (s: ServerProcess) =>
  (await hooklineJson<{ data: { id: string; metadata: Record<string, unknown> }[] }>(s, "endpoints", "list")).data.filter(
    (e) => e.metadata.hooklineListen !== undefined,
  );

describe("hookline listen + trigger", () => {
  it("forwards a triggered event to an SDK receiver that verifies it with the printed secret; Ctrl-C removes the endpoint", async () => {
    const s = await server();
    const local = await receiver();
    const listen = await startListen(s, "--forward-to", local.url);
    cleanups.push(async () => listen.child.kill("SIGKILL"));
    expect(listen.secret).toMatch(/^whsec_/);
    local.useSecret(listen.secret);

    const accepted = await hooklineJson<{ id: string; type: string; deliveries: number }>(s, "trigger", "order.paid");
    expect(accepted).toMatchObject({ type: "order.paid", deliveries: 1 });
    const handled = await eventually(() => local.handled.find((e) => e.id === accepted.id), "the receiver to handle the event");
    expect(handled).toEqual({ id: accepted.id, type: "order.paid", data: schemas["order.paid"].examples[0] });
    const line = await eventually(() => listen.lines().find((l) => l.id === accepted.id), "listen's delivery line");
    expect(line).toMatchObject({ type: "order.paid", status: 200 });
    expect(typeof line.latencyMs).toBe("number");

    expect((await listenEndpoints(s)).map((e) => e.id)).toEqual([listen.endpointId]);
    listen.child.kill("SIGINT");
    expect(await listen.exited).toBe(0);
    expect(listen.stderr()).toContain(`removed temporary endpoint ${listen.endpointId}`);
    expect(await listenEndpoints(s)).toEqual([]);
  });

  it("shows the local receiver's status and body when it fails (the server retries, as for any endpoint)", async () => {
    const s = await server();
    const local = await receiver();
    local.failWith(500);
    const listen = await startListen(s, "--forward-to", local.url, "--events", "order.*");
    cleanups.push(async () => listen.child.kill("SIGKILL"));
    const accepted = await hooklineJson<{ id: string }>(s, "trigger", "order.created");
    const lines = await eventually(() => {
      const mine = listen.lines().filter((l) => l.id === accepted.id);
      return mine.length >= 2 && mine;
    }, "a retried delivery");
    expect(lines[0]).toMatchObject({ type: "order.created", status: 500, detail: "receiver says no" });
    // --events order.* : another domain's event creates no delivery for the listen endpoint.
    expect(await hooklineJson(s, "trigger", "user.logged_in")).toMatchObject({ deliveries: 0 });
  });

  it("when the server goes away, listen stops; after a restart the next listen removes the endpoint left behind", async () => {
    const dir = tempDir();
    const first = await startServer(dir);
    const local = await receiver();
    const listen = await startListen(first, "--forward-to", local.url);
    cleanups.push(async () => listen.child.kill("SIGKILL"));
    await first.kill("SIGKILL");
    expect(await listen.exited).toBe(1);
    expect(listen.stderr()).toContain("stopped answering, so listen stopped");

    const port = new URL(first.url).port;
    const restarted = await startServer(dir, { port: Number(port) });
    cleanups.push(() => restarted.kill("SIGKILL"));
    expect((await listenEndpoints(restarted)).map((e) => e.id)).toEqual([listen.endpointId]);
    const next = await startListen(restarted, "--forward-to", local.url);
    cleanups.push(async () => next.child.kill("SIGKILL"));
    expect(next.stderr()).toContain(`removed 1 temporary endpoint(s) left by an earlier listen: ${listen.endpointId}`);
    expect((await listenEndpoints(restarted)).map((e) => e.id)).toEqual([next.endpointId]);
    next.child.kill("SIGTERM");
    expect(await next.exited).toBe(0);
    expect(await listenEndpoints(restarted)).toEqual([]);
  });

  it("a server that does not deliver to loopback: listen says so in one line and how to start it (exit 1)", async () => {
    const strict = await startServer(tempDir(), { loopback: false });
    cleanups.push(() => strict.kill("SIGKILL"));
    const { code, out, err } = await hookline(strict, "listen", "--forward-to", "http://127.0.0.1:3000/webhooks");
    expect({ code, out }).toEqual({ code: 1, out: "" });
    expect(err).toMatch(/^hookline: The server at .* does not deliver to 127\.0\.0\.1, .*--dev-allow-loopback.*\n$/);
    expect((await hooklineJson<{ data: unknown[] }>(strict, "endpoints", "list")).data).toEqual([]);
  });

  it("trigger --all: every type of the real catalog is accepted and delivered to the SDK receiver (--secret)", async () => {
    const s = await server();
    const local = await receiver();
    const secret = generateSecret();
    local.useSecret(secret);
    const listen = await startListen(s, "--forward-to", local.url, "--secret", secret);
    cleanups.push(async () => listen.child.kill("SIGKILL"));
    expect(listen.secret).toBe(secret);

    const accepted = await hooklineJson<{ id: string; type: string; deliveries: number }[]>(s, "trigger", "--all");
    // Every event type: the keys of `schemas` but `versions` (every version's documents, not a type).
    const types = Object.keys(schemas)
      .filter((key) => key !== "versions")
      .sort();
    expect(accepted.map((a) => a.type)).toEqual(types);
    expect(accepted.every((a) => a.deliveries === 1)).toBe(true);
    await eventually(() => local.handled.length >= types.length, "every event handled");
    expect(local.handled.map((e) => e.type).sort()).toEqual(types);
  });

  it("a wrong --set is refused before sending (exit 2, the schema's message); unknown types get the nearest names", async () => {
    const s = await server();
    const bad = await hookline(s, "trigger", "order.paid", "--set", "amount.currency=euro");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('/amount/currency must match pattern "^[A-Z]{3}$"');
    const unknown = await hookline(s, "trigger", "order.payed");
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("Did you mean order.paid");
    expect((await hooklineJson<{ data: unknown[] }>(s, "events", "list")).data).toEqual([]);
    // listen --events and endpoints --events: the server's catalog names the nearest types.
    const listen = await hookline(s, "listen", "--forward-to", "http://127.0.0.1:3000/webhooks", "--events", "order.piad", "ordr.*");
    expect(listen.code).toBe(2);
    expect(listen.err).toContain("order.piad: did you mean order.paid");
    expect(listen.err).toContain("ordr.*: did you mean order.*?");
    expect((await hooklineJson<{ data: unknown[] }>(s, "endpoints", "list")).data).toEqual([]);
  });
});
