import { Command } from "commander";
import { schemas } from "@hookline/sender/schemas";
import { createHookline, resetApiKey, VERSION, type Hookline } from "./app.js";
import { ConfigError, describeDatabase, loadConfig, resolveConfig, type Config } from "./config.js";
import { SchemaTooNewError, StoreUnavailableError } from "./store/errors.js";
import { openStore } from "./store/open.js";

/** Loopback only, for `npm start` on a developer machine. */
export const DEV_LOOPBACK_ALLOW = ["127.0.0.1/32", "::1/128"];

/** `hookline-server [serve] [--dev-allow-loopback]`, `migrate`, `reset-api-key`. */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  const program = new Command("hookline-server")
    .version(VERSION)
    .description("Hookline reference webhook delivery server (SQLite by default, PostgreSQL with DATABASE_URL).");
  program
    .command("serve", { isDefault: true })
    .description("start the API and the delivery loop (configured by environment variables, see the README)")
    .option("--dev-allow-loopback", "when HOOKLINE_EGRESS_ALLOW is unset, allow deliveries to 127.0.0.1 and ::1 (local development only)")
    .action(async (options: { devAllowLoopback?: boolean }) => {
      const devLoopback = options.devAllowLoopback === true && process.env["HOOKLINE_EGRESS_ALLOW"] === undefined;
      const config = withConfig(() => {
        const loaded = loadConfig();
        return devLoopback ? resolveConfig({ ...loaded, egressAllow: DEV_LOOPBACK_ALLOW }) : loaded;
      });
      const server = await createHookline(config).catch((error: unknown) => {
        const message = listenFailure(error, config);
        if (message === undefined) throw error;
        process.stderr.write(`hookline-server: ${message}\n`);
        process.exit(1);
      });
      // Handlers first: anything that reads the banner may signal the process the moment it appears.
      handleSignals(server);
      printBanner(server, devLoopback);
    });
  program
    .command("migrate")
    .description("create or upgrade the database schema, then exit")
    .action(async () => {
      const config = withConfig(() => loadConfig());
      const store = openStore(config);
      try {
        const report = await store.migrate();
        const what = report.applied.length === 0 ? "already up to date" : `applied ${report.applied.map((v) => `v${v}`).join(", ")}`;
        process.stdout.write(`Database ready: ${describeDatabase(config)} at schema version ${report.version} (${what})\n`);
      } finally {
        await store.close();
      }
    });
  program
    .command("reset-api-key")
    .description("replace the stored API key with a new one and print it (the server must be restarted)")
    .action(async () => {
      const config = withConfig(() => loadConfig());
      const store = openStore(config);
      await store.migrate();
      const key = await resetApiKey(store);
      await store.close();
      process.stdout.write(`New API key (stored hashed, shown once): ${key}\n`);
      if (config.apiKey !== undefined) process.stdout.write("Note: HOOKLINE_API_KEY is set, and takes precedence over the stored key.\n");
    });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    // Expected operational failures get one clear line and exit 1, not a stack trace.
    if (error instanceof SchemaTooNewError || error instanceof StoreUnavailableError) {
      process.stderr.write(`hookline-server: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

function withConfig(load: () => Config): Config {
  try {
    return load();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

/** One line for the ways binding the API port fails, naming the address and the variables that move it. */
export function listenFailure(error: unknown, config: Pick<Config, "host" | "port">): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  const where = `${config.host.includes(":") ? `[${config.host}]` : config.host}:${config.port}`;
  switch (code) {
    case "EADDRINUSE":
      return `cannot listen on ${where}: the address is already in use (another process is listening there). Stop it, or set PORT (or HOST) to listen elsewhere.`;
    case "EACCES":
      return `cannot listen on ${where}: permission denied (ports below 1024 need privileges). Set PORT to a higher port, or HOST to another address.`;
    case "EADDRNOTAVAIL":
      return `cannot listen on ${where}: ${config.host} is not an address of this machine. Set HOST to one of its addresses (0.0.0.0 for all), or leave it unset for 127.0.0.1.`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `cannot listen on ${where}: the host name ${config.host} does not resolve. Set HOST to an address of this machine, or leave it unset for 127.0.0.1.`;
    default:
      return undefined;
  }
}

function handleSignals(server: Hookline): void {
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      process.stderr.write(`${signal} again: exiting without waiting for in-flight deliveries (their leases will expire).\n`);
      process.exit(1);
    }
    stopping = true;
    server.logger.info({ signal }, "shutting down: no new requests or claims; waiting for in-flight deliveries");
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

function printBanner(server: Hookline, devLoopback: boolean): void {
  const { config } = server;
  const key = server.apiKey ?? "$HOOKLINE_API_KEY";
  const keyLine =
    server.apiKeySource === "generated"
      ? `${server.apiKey ?? ""}   (generated now and stored hashed: copy it, it is not shown again)`
      : server.apiKeySource === "environment"
        ? "from HOOKLINE_API_KEY"
        : "stored hashed in the database (shown on the first start only; `hookline-server reset-api-key` makes a new one)";
  const egress = devLoopback
    ? `loopback (127.0.0.1, ::1) allowed for LOCAL DEVELOPMENT because HOOKLINE_EGRESS_ALLOW is unset; set it (or "none") to change that`
    : config.egressAllow.length === 0
      ? "public addresses only (HOOKLINE_EGRESS_ALLOW=none)"
      : `public addresses + ${config.egressAllow.join(", ")}`;
  const lines = [
    `Hookline server ${VERSION} listening on ${server.url}`,
    `  Database: ${describeDatabase(config)}`,
    `  API key:  ${keyLine}`,
    `  Egress:   ${egress}`,
    `  Try:      ${curlExample(server.url, key)}`,
    "",
  ];
  // stderr: stdout carries only log lines, so a pipe into a log collector gets nothing but JSON.
  process.stderr.write(lines.join("\n"));
}

/** A one-line curl that sends the catalog's smallest example event. */
function curlExample(url: string, key: string): string {
  // `schemas.versions` holds every version's documents; the newest are keyed by type beside it.
  const candidates = Object.entries(schemas).flatMap(([type, documents]) =>
    type !== "versions" && "examples" in documents ? [{ type, payload: documents.examples[0] }] : [],
  );
  const smallest = candidates.filter((c) => c.payload !== undefined).sort((a, b) => JSON.stringify(a).length - JSON.stringify(b).length)[0];
  const body = JSON.stringify(smallest ?? { type: "order.created", payload: {} }).replaceAll("'", "'\\''");
  return `curl -sS -X POST ${url}/v1/events -H "Authorization: Bearer ${key}" -H "Content-Type: application/json" -d '${body}'`;
}
