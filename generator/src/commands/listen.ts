/**
 * `hookline listen --forward-to <url>`: subscribes a temporary endpoint on the server that points at
 * a loopback relay (listen-relay.ts), forwards every delivery to the local receiver, prints one line
 * per delivery, and deletes the endpoint on Ctrl-C / SIGTERM. When the server stops answering, listen
 * stops; the next listen removes the endpoint it left (listen-marker.ts).
 */

import type { Command } from "commander";
import { type Endpoint, type EndpointInput, type EventMapBase, HooklineApiError, type HooklineClient } from "@hookline/core";
import { callServer, clientFor, resolveServer, type Server, type ServerFlags, withServerOptions } from "./connection.js";
import { isStale, MARKER_KEY, markerForThisProcess } from "./listen-marker.js";
import { type ForwardedDelivery, startRelay } from "./listen-relay.js";
import { withTypeSuggestions } from "./type-suggestions.js";
import { CliError, EXIT, type Io, palette } from "./output.js";

interface ListenFlags extends ServerFlags {
  readonly forwardTo: string;
  readonly events?: string[];
  readonly secret?: string;
  readonly tenant?: string;
  readonly json?: boolean;
}

/** The server is checked this often; this many misses in a row mean it went away. */
const HEALTH_INTERVAL_MS = 1000;
const HEALTH_MISSES = 3;

export function registerListen(program: Command, io: Io, setExit: (code: number) => void): void {
  const listen = program
    .command("listen")
    .description("receive the server's deliveries on a temporary endpoint and forward them, byte for byte, to a local URL")
    .requiredOption("--forward-to <url>", "your local receiver, e.g. http://localhost:3000/webhooks")
    .option("--events <types...>", "only these event types (exact, or a prefix such as order.*); default every type")
    .option("--secret <whsec>", "the signing secret to use (default: a new one, printed at start)")
    .option("--tenant <tenant>", "only events of this tenant")
    .option("--json", "one JSON line per delivery instead of text");
  withServerOptions(listen)
    .addHelpText(
      "after",
      `
The server delivers to a listener on 127.0.0.1, so it must be allowed to reach loopback addresses:
\`npm start\` runs it with --dev-allow-loopback (or set HOOKLINE_EGRESS_ALLOW=127.0.0.1/32).

Examples:
  $ hookline listen --forward-to http://localhost:3000/webhooks
  $ hookline listen --forward-to http://localhost:3000/webhooks --events 'order.*' --secret whsec_...`,
    )
    .action(async (flags: ListenFlags) => setExit(await runListen(flags, io)));
}

async function runListen(flags: ListenFlags, io: Io): Promise<number> {
  if (!URL.canParse(flags.forwardTo) || !["http:", "https:"].includes(new URL(flags.forwardTo).protocol))
    throw new CliError(
      `--forward-to ${flags.forwardTo} is not an http(s) URL; pass your receiver's, e.g. http://localhost:3000/webhooks.`,
      EXIT.usage,
    );
  const server = resolveServer(flags);
  const client = clientFor(server);
  const paint = palette(io);

  const removed = await callServer(server, () => removeStaleEndpoints(client));
  if (removed.length > 0)
    io.err(paint.dim(`removed ${removed.length} temporary endpoint(s) left by an earlier listen: ${removed.join(", ")}\n`));

  const relay = await startRelay(new URL(flags.forwardTo), (d) => printDelivery(io, d, flags.json === true));
  let endpoint: Endpoint & { secret: string };
  try {
    endpoint = await createEndpoint(client, server, relay.url, flags);
  } catch (error) {
    await relay.close();
    throw error;
  }
  const started = [
    `Forwarding ${flags.events?.join(", ") ?? "every event type"} from ${server.url} to ${flags.forwardTo}`,
    `Temporary endpoint ${endpoint.id} (removed when listen stops)`,
    `Signing secret: ${endpoint.secret}  (give it to your receiver, e.g. RECEIVER_SECRET=${endpoint.secret})`,
    "Ready. Ctrl-C to stop.",
  ];
  if (flags.json === true) io.out(`${JSON.stringify({ ready: true, endpointId: endpoint.id, secret: endpoint.secret, url: relay.url })}\n`);
  else io.err(`${started.join("\n")}\n`);

  const stopReason = await waitForStop(server);
  await relay.close();
  if (stopReason === "server_gone") {
    io.err(
      `${paint.red("The server at")} ${server.url} stopped answering, so listen stopped. Its temporary endpoint ${endpoint.id} is removed by the next \`hookline listen\` on this machine.\n`,
    );
    return EXIT.failed;
  }
  try {
    await callServer(server, () => client.endpoints.delete(endpoint.id));
    io.err(`removed temporary endpoint ${endpoint.id}\n`);
    return EXIT.ok;
  } catch (error) {
    io.err(`${(error as Error).message} The next \`hookline listen\` removes ${endpoint.id}.\n`);
    return EXIT.failed;
  }
}

async function createEndpoint(
  client: HooklineClient<EventMapBase>,
  server: Server,
  url: string,
  flags: ListenFlags,
): Promise<Endpoint & { secret: string }> {
  const input: EndpointInput<EventMapBase> = {
    url,
    description: `hookline listen → ${flags.forwardTo} (temporary)`,
    metadata: { [MARKER_KEY]: markerForThisProcess() },
    ...(flags.events === undefined ? {} : { eventTypes: flags.events.flatMap((e) => e.split(",")).filter((e) => e !== "") as never }),
    ...(flags.secret === undefined ? {} : { secret: flags.secret }),
    ...(flags.tenant === undefined ? {} : { tenant: flags.tenant }),
  };
  // The URL refusal is recognised inside the call: withTypeSuggestions explains every other API error.
  const create = () =>
    client.endpoints.create(input).catch((error: unknown) => {
      // The server's URL policy answers 422 with a detail at /url: it does not deliver to loopback.
      const details = error instanceof HooklineApiError && error.status === 422 ? error.details : undefined;
      if (Array.isArray(details) && details.some((d: { path?: unknown }) => d.path === "/url"))
        throw new CliError(
          `The server at ${server.url} does not deliver to 127.0.0.1, where listen receives (${(error as Error).message}). Start it with \`npm start\` (hookline-server serve --dev-allow-loopback) or HOOKLINE_EGRESS_ALLOW=127.0.0.1/32.`,
          EXIT.failed,
        );
      throw error;
    });
  return withTypeSuggestions(client, server, input.eventTypes, create);
}

async function removeStaleEndpoints(client: HooklineClient<EventMapBase>): Promise<string[]> {
  const removed: string[] = [];
  let after: string | undefined;
  do {
    const page = await client.endpoints.list({ limit: 100, ...(after === undefined ? {} : { after }) });
    for (const endpoint of page.data)
      if (isStale(endpoint)) {
        await client.endpoints.delete(endpoint.id);
        removed.push(endpoint.id);
      }
    after = page.nextCursor ?? undefined;
  } while (after !== undefined);
  return removed;
}

/** Resolves on SIGINT/SIGTERM ("signal") or after the server missed HEALTH_MISSES checks ("server_gone"). */
function waitForStop(server: Server): Promise<"signal" | "server_gone"> {
  return new Promise((resolve) => {
    let misses = 0;
    const stop = (reason: "signal" | "server_gone") => {
      clearInterval(timer);
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      resolve(reason);
    };
    const onSignal = () => stop("signal");
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    const timer = setInterval(() => {
      fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(HEALTH_INTERVAL_MS) }).then(
        (r) => {
          misses = r.ok ? 0 : misses + 1;
          if (misses >= HEALTH_MISSES) stop("server_gone");
        },
        () => {
          misses++;
          if (misses >= HEALTH_MISSES) stop("server_gone");
        },
      );
    }, HEALTH_INTERVAL_MS);
  });
}

function printDelivery(io: Io, d: ForwardedDelivery, json: boolean): void {
  if (json) {
    io.out(
      `${JSON.stringify({ at: d.at.toISOString(), type: d.type, id: d.id, status: d.status ?? null, latencyMs: d.latencyMs, ...(ok(d) ? {} : { detail: d.detail }) })}\n`,
    );
    return;
  }
  const paint = palette(io);
  const status = d.status === undefined ? paint.red("---") : ok(d) ? paint.green(String(d.status)) : paint.red(String(d.status));
  io.out(`${d.at.toISOString().slice(11, 19)}  ${d.type ?? "?"}  ${d.id ?? "?"}  → ${status}  ${d.latencyMs} ms\n`);
  if (!ok(d)) io.out(`${paint.dim(indent(d.detail === "" ? "(empty body)" : d.detail))}\n`);
}

function ok(d: ForwardedDelivery): boolean {
  return d.status !== undefined && d.status >= 200 && d.status < 300;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
}
