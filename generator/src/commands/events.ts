/**
 * `hookline events list|get`, `hookline deliveries list`, `hookline replay <delivery|event>` and
 * `hookline recover <endpoint> --since 2h`: reading what was sent and delivering it again.
 */

import { type Command, Option } from "commander";
import type { DeliveryItem, EventMapBase, HooklineClient } from "@hookline/core";
import { callServer, clientFor, resolveServer, type ServerFlags, withServerOptions } from "./connection.js";
import { CliError, EXIT, type Io, printJson, printTable } from "./output.js";
import { pageOptions, positiveInt, printPageHint, sinceTime } from "./paging.js";

interface Flags extends ServerFlags {
  readonly json?: boolean;
  readonly limit?: number;
  readonly after?: string;
  readonly type?: string;
  readonly tenant?: string;
  readonly since?: string;
  readonly until?: string;
  readonly status?: DeliveryItem["status"];
  readonly endpoint?: string;
}

const STATUSES = ["pending", "delivering", "delivered", "failed", "cancelled"] as const;

export function registerEvents(program: Command, io: Io): void {
  const events = program.command("events").description("list the events the server accepted, or show one with its deliveries");
  events.addHelpText("after", "\nExample:\n  $ hookline events list --type order.paid --since 1h");

  command(events, "list", "list events, oldest first (the polling order)", "hookline events list --type order.paid --since 2h --json")
    .option("--type <type>", "only this event type")
    .option("--tenant <tenant>", "only this tenant's")
    .option("--since <time>", "accepted since: a duration (30m, 2h, 7d) or an RFC 3339 time")
    .addOption(new Option("--limit <n>", "at most this many").argParser(positiveInt))
    .option("--after <cursor>", "the next page")
    .action(async (flags: Flags) => {
      const { server, client } = connect(flags);
      const page = await callServer(server, () =>
        client.events.list({
          ...pageOptions(flags),
          ...(flags.type === undefined ? {} : { type: flags.type }),
          ...(flags.tenant === undefined ? {} : { tenant: flags.tenant }),
          ...(flags.since === undefined ? {} : { since: sinceTime(flags.since) }),
        }),
      );
      if (flags.json === true) return printJson(io, page);
      printTable(
        io,
        ["id", "type", "tenant", "created"],
        page.data.map((e) => [e.id, e.type, e.tenant, e.createdAt]),
      );
      printPageHint(io, page.nextCursor);
    });

  command(events, "get", "show one event: its payload and each endpoint's delivery", "hookline events get evt_123")
    .argument("<event>", "event id")
    .action(async (id: string, flags: Flags) => {
      const { server, client } = connect(flags);
      const event = await callServer(server, () => client.events.get(id));
      if (flags.json === true) return printJson(io, event);
      io.out(`${event.id}  ${event.type}  ${event.createdAt}${event.tenant === null ? "" : `  tenant ${event.tenant}`}\n`);
      io.out(`${JSON.stringify(event.envelope, null, 2)}\n`);
      printTable(
        io,
        ["endpoint", "status", "attempts", "last attempt", "next attempt"],
        event.deliveries.map((d) => [d.endpointId, d.status, d.attempts, d.lastAttemptAt, d.nextAttemptAt]),
      );
    });

  const deliveries = program.command("deliveries").description("list deliveries across events (the dead letters: --status failed)");
  deliveries.addHelpText("after", "\nExample:\n  $ hookline deliveries list --status failed");
  command(deliveries, "list", "list deliveries, newest first", "hookline deliveries list --status failed --endpoint ep_123 --json")
    .addOption(new Option("--status <status>", "only deliveries in this state").choices(STATUSES))
    .option("--endpoint <endpoint>", "only this endpoint's")
    .addOption(new Option("--limit <n>", "at most this many").argParser(positiveInt))
    .option("--after <cursor>", "the next page")
    .action(async (flags: Flags) => {
      const { server, client } = connect(flags);
      const page = await callServer(server, () =>
        client.deliveries.list({
          ...pageOptions(flags),
          ...(flags.status === undefined ? {} : { status: flags.status }),
          ...(flags.endpoint === undefined ? {} : { endpointId: flags.endpoint }),
        }),
      );
      if (flags.json === true) return printJson(io, page);
      printTable(
        io,
        ["id", "event", "endpoint", "status", "attempts", "last attempt", "reason"],
        page.data.map((d) => [d.id, d.eventId, d.endpointId, d.status, d.attempts, d.lastAttemptAt, d.failureReason]),
      );
      printPageHint(io, page.nextCursor);
    });

  command(program, "replay", "deliver again now: one delivery (dlv_…), or an event to its endpoints", "hookline replay dlv_123")
    .argument("<id>", "a delivery id (dlv_…) or an event id")
    .option("--endpoint <endpoint>", "with an event id: only to this endpoint")
    .action(async (id: string, flags: Flags) => {
      const { server, client } = connect(flags);
      const target = id.startsWith("dlv_")
        ? await callServer(server, () => findDelivery(client, id))
        : { eventId: id, endpointId: flags.endpoint };
      const result = await callServer(server, () =>
        client.events.replay(target.eventId, target.endpointId === undefined ? {} : { endpointId: target.endpointId }),
      );
      if (flags.json === true) return printJson(io, { ...result, eventId: target.eventId, endpointId: target.endpointId ?? null });
      io.out(`replaying ${target.eventId}: ${result.scheduled} ${result.scheduled === 1 ? "delivery" : "deliveries"} scheduled\n`);
    });

  command(program, "recover", "re-send an endpoint's failed deliveries (dead letters) since a time", "hookline recover ep_123 --since 2h")
    .argument("<endpoint>", "endpoint id")
    .requiredOption("--since <time>", "events accepted since: a duration (30m, 2h, 7d) or an RFC 3339 time")
    .option("--until <time>", "and before this time (default: now)")
    .action(async (endpointId: string, flags: Flags & { since: string }) => {
      const { server, client } = connect(flags);
      const window = { since: sinceTime(flags.since), ...(flags.until === undefined ? {} : { until: sinceTime(flags.until) }) };
      const result = await callServer(server, () => client.endpoints.recover(endpointId, window));
      if (flags.json === true) return printJson(io, { endpointId, ...window, ...result });
      io.out(
        `re-queued ${result.recovered} failed ${result.recovered === 1 ? "delivery" : "deliveries"} of ${endpointId} since ${window.since}\n`,
      );
    });
}

function command(parent: Command, name: string, description: string, example: string): Command {
  return withServerOptions(parent.command(name).description(description))
    .option("--json", "print the server's answer as JSON")
    .addHelpText("after", `\nExample:\n  $ ${example}`);
}

function connect(flags: Flags) {
  const server = resolveServer(flags);
  return { server, client: clientFor(server) };
}

/** The server has no GET /v1/deliveries/{id}: walk the list (newest first), which is where a recent delivery is. */
async function findDelivery(client: HooklineClient<EventMapBase>, id: string): Promise<{ eventId: string; endpointId: string }> {
  let after: string | undefined;
  do {
    const page = await client.deliveries.list({ limit: 200, ...(after === undefined ? {} : { after }) });
    const found = page.data.find((d) => d.id === id);
    if (found !== undefined) return { eventId: found.eventId, endpointId: found.endpointId };
    after = page.nextCursor ?? undefined;
  } while (after !== undefined);
  throw new CliError(`No delivery ${id} on the server; list them with \`hookline deliveries list\`.`, EXIT.failed);
}
