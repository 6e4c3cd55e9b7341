import { Command } from "commander";
import { createHookline, resetApiKey, VERSION, type Hookline } from "./app.js";
import { CatalogLoadError } from "./catalog/registry.js";
import { ConfigError, describeDatabase, loadConfig, resolveConfig, type Config } from "./config.js";
import { SchemaTooNewError, StoreUnavailableError } from "./store/errors.js";
import { openStore } from "./store/open.js";
import type { TokenAccess } from "./store/store.js";
import { issueToken, TOKEN_MAX_LIFETIME_S, TOKEN_MIN_LIFETIME_S, type TokenRequest } from "./tokens.js";

/** Loopback only, for `npm start` on a developer machine. */
export const DEV_LOOPBACK_ALLOW = ["127.0.0.1/32", "::1/128"];

/** `hookline-server [serve] [--dev-allow-loopback]`, `migrate`, `reset-api-key`, `create-token`. */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  const program = new Command("hookline-server")
    .version(VERSION)
    .description("Hookline reference webhook delivery server (SQLite by default, PostgreSQL with DATABASE_URL).");
  program
    .command("serve", { isDefault: true })
    .description("start the API and the delivery loop (configured by environment variables, see the README)")
    .option("--dev-allow-loopback", "when HOOKLINE_EGRESS_ALLOW is unset, allow deliveries to 127.0.0.1 and ::1 (local development only)")
    .option(
      "--dev-watch-catalog",
      "when HOOKLINE_CATALOG_WATCH is unset, reload the event catalog when its files change (local development)",
    )
    .action(async (options: { devAllowLoopback?: boolean; devWatchCatalog?: boolean }) => {
      const devLoopback = options.devAllowLoopback === true && process.env["HOOKLINE_EGRESS_ALLOW"] === undefined;
      const devWatch = options.devWatchCatalog === true && process.env["HOOKLINE_CATALOG_WATCH"] === undefined;
      const config = withConfig(() => {
        const loaded = loadConfig();
        return devLoopback || devWatch
          ? resolveConfig({
              ...loaded,
              ...(devLoopback ? { egressAllow: DEV_LOOPBACK_ALLOW } : {}),
              ...(devWatch ? { catalogWatch: true } : {}),
            })
          : loaded;
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
  program
    .command("create-token")
    .description("create a stored API token and print it once (see the README: Tokens and the consumer portal)")
    .option("--tenant <tenant>", "the only tenant it sees (default: every tenant)")
    .option("--access <access>", "read (GET only) or write", "read")
    .option("--expires-in <seconds>", `lifetime in seconds, ${TOKEN_MIN_LIFETIME_S}–${TOKEN_MAX_LIFETIME_S} (default: until revoked)`)
    .option("--description <text>", "what it is for")
    .action(async (options: { tenant?: string; access: string; expiresIn?: string; description?: string }) => {
      const config = withConfig(() => loadConfig());
      const request = tokenRequest(options, Date.now());
      const store = openStore(config);
      try {
        await store.migrate();
        const { token, record } = await issueToken(store, request, Date.now());
        process.stdout.write(`New token ${record.id} (stored hashed, shown once): ${token}\n`);
      } finally {
        await store.close();
      }
    });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    // Expected operational failures get one clear line and exit 1, not a stack trace.
    if (error instanceof SchemaTooNewError || error instanceof StoreUnavailableError || error instanceof CatalogLoadError) {
      process.stderr.write(`hookline-server: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** The options of `create-token`, checked like the API checks them; a bad one exits 2 with the reason. */
function tokenRequest(options: { tenant?: string; access: string; expiresIn?: string; description?: string }, now: number): TokenRequest {
  const problems: string[] = [];
  if (options.tenant !== undefined && !/^[A-Za-z0-9_.:-]{1,128}$/.test(options.tenant)) {
    problems.push("--tenant must be 1–128 characters of letters, digits and _ . : -");
  }
  if (options.access !== "read" && options.access !== "write") problems.push("--access must be read or write");
  const seconds = options.expiresIn === undefined ? undefined : Number(options.expiresIn);
  if (seconds !== undefined && (!Number.isInteger(seconds) || seconds < TOKEN_MIN_LIFETIME_S || seconds > TOKEN_MAX_LIFETIME_S)) {
    problems.push(`--expires-in must be a whole number of seconds from ${TOKEN_MIN_LIFETIME_S} to ${TOKEN_MAX_LIFETIME_S}`);
  }
  if (options.description !== undefined && options.description.length > 200) problems.push("--description must be at most 200 characters");
  if (problems.length > 0) {
    process.stderr.write(`hookline-server create-token: ${problems.join("; ")}.\n`);
    process.exit(2);
  }
  return {
    tenant: options.tenant ?? null,
    access: options.access as TokenAccess,
    description: options.description ?? null,
    expiresAt: seconds === undefined ? null : now + seconds * 1000,
  };
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
  // SIGHUP reloads the event catalog (the registry logs the outcome: applied, or refused with its problems).
  process.on("SIGHUP", () => {
    if (stopping) return;
    server.catalog.reload("SIGHUP").catch((error: unknown) => server.logger.error({ err: error }, "event catalog reload failed"));
  });
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
    `  Catalog:  ${catalogLine(server)}`,
    `  Try:      ${curlExample(server, key)}`,
    "",
  ];
  // stderr: stdout carries only log lines, so a pipe into a log collector gets nothing but JSON.
  process.stderr.write(lines.join("\n"));
}

function catalogLine(server: Hookline): string {
  const { view, fingerprint, directory } = server.catalog.loaded();
  const reload = server.config.catalogWatch ? "reloads when its files change" : "reload: SIGHUP or POST /v1/catalog/reload";
  return `${view.types.length} event types from ${directory ?? "code"} (fingerprint ${fingerprint}; ${reload})`;
}

/** A one-line curl that sends the catalog's smallest example event. */
function curlExample(server: Hookline, key: string): string {
  const url = server.url;
  const view = server.catalog.current();
  const candidates = view.types.map((type) => ({ type, payload: view.schema(type)?.examples[0] }));
  const smallest = candidates.filter((c) => c.payload !== undefined).sort((a, b) => JSON.stringify(a).length - JSON.stringify(b).length)[0];
  const body = JSON.stringify(smallest ?? { type: "order.created", payload: {} }).replaceAll("'", "'\\''");
  return `curl -sS -X POST ${url}/v1/events -H "Authorization: Bearer ${key}" -H "Content-Type: application/json" -d '${body}'`;
}
