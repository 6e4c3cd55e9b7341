/** `hookline endpoints list|create|update|disable|enable|rotate|delete`: the server's endpoints over the typed client. */

import { type Command, Option } from "commander";
import type { Endpoint, EndpointInput, EventMapBase } from "@hookline/core";
import { callServer, clientFor, resolveServer, type ServerFlags, withServerOptions } from "./connection.js";
import { CliError, EXIT, type Io, printJson, printTable } from "./output.js";
import { pageOptions, positiveInt, printPageHint } from "./paging.js";
import { withTypeSuggestions } from "./type-suggestions.js";

interface Flags extends ServerFlags {
  readonly json?: boolean;
  readonly limit?: number;
  readonly after?: string;
  readonly tenant?: string;
  readonly disabled?: boolean;
  readonly events?: string[];
  readonly secret?: string;
  readonly description?: string;
  readonly rateLimit?: number;
  readonly newUrl?: string;
  readonly grace?: number;
}

export function registerEndpoints(program: Command, io: Io): void {
  const endpoints = program.command("endpoints").description("list, create, change, disable and rotate the server's endpoints");
  endpoints.addHelpText("after", "\nExample:\n  $ hookline endpoints list --json");

  command(endpoints, "list", "list endpoints, newest first", "hookline endpoints list --tenant acme")
    .option("--tenant <tenant>", "only this tenant's")
    .option("--disabled", "only disabled ones")
    .addOption(new Option("--limit <n>", "at most this many").argParser(positiveInt))
    .option("--after <cursor>", "the next page (the cursor the previous page printed)")
    .action(async (flags: Flags) => {
      const { server, client } = connect(flags);
      const page = await callServer(server, () =>
        client.endpoints.list({
          ...pageOptions(flags),
          ...(flags.tenant === undefined ? {} : { tenant: flags.tenant }),
          ...(flags.disabled === true ? { disabled: true } : {}),
        }),
      );
      if (flags.json === true) return printJson(io, page);
      printTable(
        io,
        ["id", "url", "events", "tenant", "state", "description"],
        page.data.map((e) => [e.id, e.url, e.eventTypes ?? "*", e.tenant, e.disabled ? "disabled" : "enabled", e.description]),
      );
      printPageHint(io, page.nextCursor);
    });

  command(
    endpoints,
    "create",
    "create an endpoint and print its signing secret",
    "hookline endpoints create https://example.com/hooks --events 'order.*'",
  )
    .argument("<url>", "where the server delivers")
    .option("--events <types...>", "event types (exact or prefix.*); default every type")
    .option("--tenant <tenant>", "only this tenant's events")
    .option("--secret <whsec>", "the signing secret (default: the server makes one)")
    .option("--description <text>", "a note for people")
    .addOption(new Option("--rate-limit <n>", "deliveries per second").argParser(positiveInt))
    .action(async (url: string, flags: Flags) => {
      const { server, client } = connect(flags);
      const input = { url, ...changes(flags) };
      const created = await withTypeSuggestions(client, server, input.eventTypes, () => client.endpoints.create(input));
      if (flags.json === true) return printJson(io, created);
      io.out(`created ${created.id} → ${created.url}\nsigning secret: ${created.secret}\n`);
    });

  command(
    endpoints,
    "update",
    "change an endpoint's URL, event types, description or rate limit",
    "hookline endpoints update ep_123 --events order.paid order.shipped",
  )
    .argument("<endpoint>", "endpoint id")
    .option("--new-url <url>", "deliver here instead")
    .option("--events <types...>", "replace the event types")
    .option("--description <text>", "replace the description")
    .addOption(new Option("--rate-limit <n>", "deliveries per second").argParser(positiveInt))
    .action(async (id: string, flags: Flags) => {
      const patch = { ...changes(flags), ...(flags.newUrl === undefined ? {} : { url: flags.newUrl }) };
      if (Object.keys(patch).length === 0)
        throw new CliError("Nothing to change: pass --new-url, --events, --description or --rate-limit.", EXIT.usage);
      const { server, client } = connect(flags);
      const endpoint = await withTypeSuggestions(client, server, patch.eventTypes, () => client.endpoints.update(id, patch));
      printEndpoint(io, flags, endpoint);
    });

  command(endpoints, "disable", "stop deliveries to an endpoint (they wait until it is enabled)", "hookline endpoints disable ep_123")
    .argument("<endpoint>", "endpoint id")
    .action(async (id: string, flags: Flags) => showEndpoint(io, flags, (client) => client.endpoints.update(id, { disabled: true })));

  command(endpoints, "enable", "resume deliveries to a disabled endpoint", "hookline endpoints enable ep_123")
    .argument("<endpoint>", "endpoint id")
    .action(async (id: string, flags: Flags) => showEndpoint(io, flags, (client) => client.endpoints.update(id, { disabled: false })));

  command(
    endpoints,
    "rotate",
    "replace an endpoint's signing secret and print the new one",
    "hookline endpoints rotate ep_123 --grace 3600",
  )
    .argument("<endpoint>", "endpoint id")
    .addOption(new Option("--grace <seconds>", "the old secret keeps signing alongside for this long").argParser(positiveInt))
    .option("--secret <whsec>", "the new secret (default: the server makes one)")
    .action(async (id: string, flags: Flags) => {
      const { server, client } = connect(flags);
      const secret = await callServer(server, () =>
        client.endpoints.rotateSecret(id, {
          ...(flags.grace === undefined ? {} : { gracePeriodSeconds: flags.grace }),
          ...(flags.secret === undefined ? {} : { secret: flags.secret }),
        }),
      );
      if (flags.json === true) return printJson(io, { id, secret });
      io.out(`rotated ${id}\nsigning secret: ${secret}\n`);
    });

  command(endpoints, "delete", "delete an endpoint", "hookline endpoints delete ep_123")
    .argument("<endpoint>", "endpoint id")
    .action(async (id: string, flags: Flags) => {
      const { server, client } = connect(flags);
      await callServer(server, () => client.endpoints.delete(id));
      if (flags.json === true) return printJson(io, { id, deleted: true });
      io.out(`deleted ${id}\n`);
    });
}

/** A subcommand with the server flags, --json and an example in its help. */
function command(parent: Command, name: string, description: string, example: string): Command {
  return withServerOptions(parent.command(name).description(description))
    .option("--json", "print the server's answer as JSON")
    .addHelpText("after", `\nExample:\n  $ ${example}`);
}

function connect(flags: Flags) {
  const server = resolveServer(flags);
  return { server, client: clientFor(server) };
}

function changes(flags: Flags): Partial<EndpointInput<EventMapBase>> {
  return {
    ...(flags.events === undefined ? {} : { eventTypes: flags.events.flatMap((e) => e.split(",")).filter((e) => e !== "") as never }),
    ...(flags.tenant === undefined ? {} : { tenant: flags.tenant }),
    ...(flags.secret === undefined ? {} : { secret: flags.secret }),
    ...(flags.description === undefined ? {} : { description: flags.description }),
    ...(flags.rateLimit === undefined ? {} : { rateLimit: flags.rateLimit }),
  };
}

async function showEndpoint(io: Io, flags: Flags, call: (client: ReturnType<typeof clientFor>) => Promise<Endpoint>): Promise<void> {
  const { server, client } = connect(flags);
  printEndpoint(io, flags, await callServer(server, () => call(client)));
}

function printEndpoint(io: Io, flags: Flags, endpoint: Endpoint): void {
  if (flags.json === true) {
    printJson(io, endpoint);
    return;
  }
  printTable(
    io,
    ["id", "url", "events", "state", "description"],
    [[endpoint.id, endpoint.url, endpoint.eventTypes ?? "*", endpoint.disabled ? "disabled" : "enabled", endpoint.description]],
  );
}
