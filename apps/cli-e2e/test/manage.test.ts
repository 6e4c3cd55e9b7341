/**
 * Management commands against a real server process, their `--json` output parsed: endpoints
 * (create, list, update, disable, enable, rotate, delete), events (list, get), the dead letters
 * (`deliveries list --status failed`), `replay <delivery>` and `recover <endpoint> --since`.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, eventually, hookline, hooklineJson, type ServerProcess, startReceiver, startServer, tempDir } from "./support.js";

let s: ServerProcess;
let local: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  assertBuilt();
  s = await startServer(tempDir());
  local = await startReceiver();
});
afterAll(async () => {
  await s.kill("SIGKILL");
  await local.close();
});

interface Endpoint {
  id: string;
  url: string;
  eventTypes: string[] | null;
  description: string | null;
  disabled: boolean;
  secret?: string;
}

describe("hookline endpoints", () => {
  it("create, list, update, disable, enable, rotate, delete", async () => {
    const created = await hooklineJson<Endpoint>(s, "endpoints", "create", local.url, "--events", "order.*", "--description", "orders");
    expect(created).toMatchObject({ url: local.url, eventTypes: ["order.*"], description: "orders", disabled: false });
    expect(created.secret).toMatch(/^whsec_/);

    const listed = await hooklineJson<{ data: Endpoint[]; nextCursor: string | null }>(s, "endpoints", "list");
    expect(listed.data.map((e) => e.id)).toContain(created.id);

    const updated = await hooklineJson<Endpoint>(
      s,
      "endpoints",
      "update",
      created.id,
      "--events",
      "order.paid",
      "--description",
      "paid only",
    );
    expect(updated).toMatchObject({ eventTypes: ["order.paid"], description: "paid only" });
    expect(await hooklineJson<Endpoint>(s, "endpoints", "disable", created.id)).toMatchObject({ disabled: true });
    expect((await hooklineJson<{ data: Endpoint[] }>(s, "endpoints", "list", "--disabled")).data.map((e) => e.id)).toEqual([created.id]);
    expect(await hooklineJson<Endpoint>(s, "endpoints", "enable", created.id)).toMatchObject({ disabled: false });

    const rotated = await hooklineJson<{ id: string; secret: string }>(s, "endpoints", "rotate", created.id, "--grace", "60");
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.secret);

    expect(await hooklineJson(s, "endpoints", "delete", created.id)).toEqual({ id: created.id, deleted: true });
    const missing = await hookline(s, "endpoints", "disable", created.id);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^hookline: .*HTTP 404 not_found\)\n$/);
  });

  it("prints a table on a terminal-less run without --json, and never the API key", async () => {
    const { code, out, err } = await hookline(s, "endpoints", "list");
    expect(code).toBe(0);
    expect(out.split("\n")[0]).toMatch(/^ID\s+URL\s+EVENTS\s+TENANT\s+STATE\s+DESCRIPTION$/);
    expect(out + err).not.toContain("e2e-api-key");
  });
});

describe("hookline events, deliveries, replay, recover", () => {
  it("lists and shows events, lists the dead letters, replays one delivery and recovers an endpoint", async () => {
    const endpoint = await hooklineJson<Endpoint>(s, "endpoints", "create", local.url, "--events", "inventory.low");
    local.useSecret(endpoint.secret as string);
    local.failWith(500);
    const sent = await hooklineJson<{ id: string }>(s, "trigger", "inventory.low");

    const events = await hooklineJson<{ data: { id: string; type: string }[] }>(
      s,
      "events",
      "list",
      "--type",
      "inventory.low",
      "--since",
      "1h",
    );
    expect(events.data.map((e) => e.id)).toContain(sent.id);
    const failed = await eventually(async () => {
      const page = await hooklineJson<{ data: { id: string; eventId: string; endpointId: string; status: string }[] }>(
        s,
        "deliveries",
        "list",
        "--status",
        "failed",
        "--endpoint",
        endpoint.id,
      );
      return page.data.find((d) => d.eventId === sent.id);
    }, "the delivery to dead-letter (retry schedule 50ms,50ms)");
    expect(failed).toMatchObject({ endpointId: endpoint.id, status: "failed" });
    const shown = await hooklineJson<{ id: string; deliveries: { endpointId: string; status: string; attempts: number }[] }>(
      s,
      "events",
      "get",
      sent.id,
    );
    expect(shown.deliveries).toEqual([expect.objectContaining({ endpointId: endpoint.id, status: "failed", attempts: 3 })]);

    local.failWith(undefined);
    expect(await hooklineJson(s, "replay", failed.id)).toMatchObject({ id: sent.id, scheduled: 1, endpointId: endpoint.id });
    await eventually(() => local.handled.some((e) => e.id === sent.id), "the replayed delivery");

    local.failWith(500);
    const second = await hooklineJson<{ id: string }>(s, "trigger", "inventory.low");
    await eventually(async () => {
      const page = await hooklineJson<{ data: { eventId: string }[] }>(
        s,
        "deliveries",
        "list",
        "--status",
        "failed",
        "--endpoint",
        endpoint.id,
      );
      return page.data.some((d) => d.eventId === second.id);
    }, "the second delivery to dead-letter");
    local.failWith(undefined);
    expect(await hooklineJson(s, "recover", endpoint.id, "--since", "1h")).toMatchObject({ endpointId: endpoint.id, recovered: 1 });
    await eventually(() => local.handled.some((e) => e.id === second.id), "the recovered delivery");
  });

  it("replay of an unknown delivery is one line, exit 1", async () => {
    const { code, err } = await hookline(s, "replay", "dlv_doesnotexist");
    expect(code).toBe(1);
    expect(err).toBe("hookline: No delivery dlv_doesnotexist on the server; list them with `hookline deliveries list`.\n");
  });
});
