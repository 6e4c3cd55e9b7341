/**
 * Which server and key the commands talk to (`--url`/`HOOKLINE_URL`, `--api-key`/`HOOKLINE_API_KEY`),
 * the typed client for them, and the one-line translation of its failures. The key is only ever
 * sent as `Authorization: Bearer`; no message prints it.
 */

import { createClientFor, type EventCatalog, type EventMapBase, HooklineApiError, type HooklineClient } from "@hookline/core";
import type { Command } from "commander";
import { CliError, EXIT } from "./output.js";

export const DEFAULT_URL = "http://127.0.0.1:8787";

export interface ServerFlags {
  readonly url?: string;
  readonly apiKey?: string;
}

export interface Server {
  readonly url: string;
  readonly apiKey: string;
}

/** Adds `--url` and `--api-key` to a command that talks to the server. */
export function withServerOptions(command: Command): Command {
  return command
    .option("--url <url>", `the Hookline server (default: HOOKLINE_URL, else ${DEFAULT_URL})`)
    .option("--api-key <key>", "the server's API key (default: HOOKLINE_API_KEY; prefer the variable, flags show in ps)");
}

export function resolveServer(flags: ServerFlags, env: NodeJS.ProcessEnv = process.env): Server {
  const url = flags.url ?? nonEmpty(env.HOOKLINE_URL) ?? DEFAULT_URL;
  if (!URL.canParse(url) || !["http:", "https:"].includes(new URL(url).protocol))
    throw new CliError(`--url ${url} is not an http(s) URL; pass the server's base URL, e.g. ${DEFAULT_URL}.`, EXIT.usage);
  const apiKey = flags.apiKey ?? nonEmpty(env.HOOKLINE_API_KEY);
  if (apiKey === undefined)
    throw new CliError(
      "No API key: set HOOKLINE_API_KEY to the key the server printed at its first start (or run `hookline-server reset-api-key`), or pass --api-key.",
      EXIT.usage,
    );
  return { url: url.replace(/\/+$/, ""), apiKey };
}

const NO_CATALOG: EventCatalog<EventMapBase> = { eventTypes: {}, validators: {}, versions: {} };

/** The typed client. Few retries: a person is waiting, and an unreachable server should say so quickly. */
export function clientFor<M extends EventMapBase>(server: Server, catalog?: EventCatalog<M>): HooklineClient<M> {
  return createClientFor((catalog ?? NO_CATALOG) as EventCatalog<M>, {
    baseUrl: server.url,
    apiKey: server.apiKey,
    maxRetries: 1,
    baseDelayMs: 200,
    timeoutMs: 10_000,
  });
}

/** One line for a failed API call: unreachable, wrong key, or the server's own error message. */
export function explainApiError(error: unknown, server: Server): unknown {
  if (!(error instanceof HooklineApiError)) return error;
  if (error.status === 0)
    return new CliError(
      `Cannot reach the Hookline server at ${server.url} (${error.code === "timeout" ? "no answer in time" : "connection failed"}): start it (npm start) or set HOOKLINE_URL / --url to where it runs.`,
      EXIT.unreachable,
    );
  if (error.status === 401 || error.status === 403)
    return new CliError(
      `The server at ${server.url} refused the API key (HTTP ${error.status}): set HOOKLINE_API_KEY to the key it printed at its first start, or make a new one with \`hookline-server reset-api-key\`.`,
      EXIT.auth,
    );
  return new CliError(`${error.message} (HTTP ${error.status} ${error.code})`, EXIT.failed);
}

/** Runs one or more client calls, turning their failures into one-line CLI errors. */
export async function callServer<T>(server: Server, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw explainApiError(error, server);
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
