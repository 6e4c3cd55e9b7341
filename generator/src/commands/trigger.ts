/**
 * `hookline trigger <type>` (send one valid event through the typed client), `trigger --all` (one
 * of every type) and `hookline fixtures [type]` (print a valid payload, or list the types).
 */

import { type Command, Option } from "commander";
import type { EventModel } from "../model/catalog-model.js";
import { type CatalogFlags, type LocalCatalog, openCatalog } from "./catalog-source.js";
import { callServer, clientFor, resolveServer, type ServerFlags, withServerOptions } from "./connection.js";
import { CliError, EXIT, type Io, palette, printJson, printTable, progress } from "./output.js";
import { positiveInt } from "./paging.js";
import { type PayloadOptions, payloadFor } from "./payload.js";

interface TriggerFlags extends CatalogFlags, ServerFlags, PayloadOptions {
  readonly all?: boolean;
  readonly version?: number;
  readonly tenant?: string;
  readonly id?: string;
  readonly json?: boolean;
}

export function registerTrigger(program: Command, io: Io, setExit: (code: number) => void): void {
  const trigger = program
    .command("trigger")
    .argument("[type]", "the event type, e.g. order.paid")
    .description("send a valid event to the server: the catalog's example, or a payload generated from the schema, with --set overrides")
    .option("--all", "send one event of every type in the catalog")
    .addOption(new Option("--version <n>", "the catalog version of the payload (default: the newest)").argParser(positiveInt))
    .option(
      "--set <path=value>",
      "override one value (JSON pointer or dotted path; value parsed as JSON when it is); repeatable",
      collect,
      [],
    )
    .option("--file <payload.json>", "send this payload instead (still validated)")
    .option("--generate", "generate the payload from the schema even when the catalog has an example")
    .addOption(new Option("--seed <n>", "seed of the generated payload (same seed, same payload)").argParser(positiveInt))
    .option("--tenant <tenant>", "only endpoints of this tenant receive it")
    .option("--id <id>", "the event id (idempotency key); default a fresh evt_ id")
    .option("--json", "print the accepted events as JSON")
    .option("--catalog <dir>", "catalog folder (default: from hookline.config.json, else ./catalog)")
    .option("--config <file>", "configuration file");
  withServerOptions(trigger)
    .addHelpText(
      "after",
      `
Examples:
  $ hookline trigger order.paid
  $ hookline trigger order.paid --set amount.value=1250 --set /customer/email=ada@example.com
  $ hookline trigger order.shipped --version 1 --tenant acme
  $ hookline trigger --all --json`,
    )
    .action(async (type: string | undefined, flags: TriggerFlags) => setExit(await runTrigger(type, flags, io)));

  program
    .command("fixtures")
    .argument("[type]", "the event type; without it, list every type")
    .description("print a valid payload for an event type without sending it (or list the catalog's types)")
    .addOption(new Option("--version <n>", "the catalog version (default: the newest)").argParser(positiveInt))
    .option("--set <path=value>", "override one value, as for trigger; repeatable", collect, [])
    .option("--generate", "generate from the schema even when the catalog has an example")
    .addOption(new Option("--seed <n>", "seed of the generated payload").argParser(positiveInt))
    .option("--json", "with no type: list the types as JSON")
    .option("--catalog <dir>", "catalog folder (default: from hookline.config.json, else ./catalog)")
    .option("--config <file>", "configuration file")
    .addHelpText(
      "after",
      `
Examples:
  $ hookline fixtures order.paid > order-paid.json
  $ hookline fixtures user.logged_in --generate --seed 7
  $ hookline fixtures`,
    )
    .action(async (type: string | undefined, flags: TriggerFlags) => {
      const catalog = await openCatalog(flags);
      if (type === undefined) return listTypes(catalog, flags, io);
      printJson(io, await payloadFor(catalog, catalog.event(type, flags.version), flags));
    });
}

async function runTrigger(type: string | undefined, flags: TriggerFlags, io: Io): Promise<number> {
  if ((type === undefined) === (flags.all !== true))
    throw new CliError("Name one event type (hookline trigger order.paid) or pass --all, not both or neither.", EXIT.usage);
  if (
    flags.all === true &&
    ((flags.set?.length ?? 0) > 0 || flags.file !== undefined || flags.id !== undefined || flags.version !== undefined)
  )
    throw new CliError("--set, --file, --id and --version apply to one event type; drop them with --all.", EXIT.usage);
  const catalog = await openCatalog(flags);
  const events = type === undefined ? catalog.types().map((t) => catalog.event(t, undefined)) : [catalog.event(type, flags.version)];
  // Every payload is built and validated before the first request: nothing is sent if one fails.
  const payloads = new Map<EventModel, unknown>();
  for (const event of events) payloads.set(event, await payloadFor(catalog, event, flags));
  const server = resolveServer(flags);
  const client = clientFor(server, catalog.runtime(events));
  const paint = palette(io);
  const bar = progress(io, events.length);
  const accepted: unknown[] = [];
  let failures = 0;
  for (const event of events) {
    bar.tick(event.type);
    try {
      const result = await callServer(server, () =>
        client.send(event.type, payloads.get(event), {
          ...(flags.id === undefined ? {} : { id: flags.id }),
          ...(flags.tenant === undefined ? {} : { tenant: flags.tenant }),
          ...(flags.version === undefined ? {} : { version: flags.version }),
        }),
      );
      accepted.push(result);
      if (flags.json !== true)
        io.out(
          `${paint.green("sent")} ${result.type} ${result.id} → ${result.deliveries} ${result.deliveries === 1 ? "delivery" : "deliveries"}\n`,
        );
    } catch (error) {
      // Unreachable server and wrong key end the run: every next request would fail the same way.
      if (!(error instanceof CliError) || error.exitCode !== EXIT.failed || events.length === 1) {
        bar.done();
        throw error;
      }
      failures++;
      io.err(`${paint.red("failed")} ${event.type}: ${error.message}\n`);
    }
  }
  bar.done();
  if (flags.json === true) printJson(io, type === undefined ? accepted : accepted[0]);
  return failures === 0 ? EXIT.ok : EXIT.failed;
}

function listTypes(catalog: LocalCatalog, flags: TriggerFlags, io: Io): void {
  const rows = catalog.types().map((t) => {
    const e = catalog.event(t, undefined);
    const versions = catalog.model.events.filter((v) => v.type === t).map((v) => v.version);
    return { type: t, version: e.version, versions, domain: e.domain, example: e.examples.length > 0, deprecated: e.deprecated };
  });
  if (flags.json === true) {
    printJson(io, rows);
    return;
  }
  printTable(
    io,
    ["type", "version", "versions", "domain", "payload"],
    rows.map((r) => [r.type, r.version, r.versions.join(","), r.domain, r.example ? "example" : "generated"]),
  );
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
