/**
 * Issue item 3 on PostgreSQL: the end-to-end benchmark of `end-to-end.ts` with the server on the
 * database at HOOKLINE_BENCH_DATABASE_URL (default: the local server, user postgres). Every server
 * gets a fresh schema, dropped when it stops, so runs never see each other's rows and leave nothing
 * behind. When no PostgreSQL answers, the benchmark is reported as skipped, not failed: the rest of
 * the run is still worth having on a machine without a database.
 */

import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import type { BenchResult, ResultBase, Target } from "../../harness/results.js";
import { skippedResult } from "../common.js";
import type { Benchmark, BenchContext } from "../types.js";
import { runEndToEnd, type StoreVariant } from "./end-to-end.js";
import { buildServer, profileArgs, startDeliveryServer } from "./server-process.js";

export const DATABASE_URL_VARIABLE = "HOOKLINE_BENCH_DATABASE_URL";
export const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const PROBE_TIMEOUT_MS = 3000;

export function benchDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const value = env[DATABASE_URL_VARIABLE]?.trim();
  return value === undefined || value === "" ? DEFAULT_DATABASE_URL : value;
}

/** The URL without its password, for messages and results. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}

/** A schema name the server accepts (lower-case SQL identifier) that no other run uses. */
export function freshSchemaName(): string {
  return `bench_${randomBytes(6).toString("hex")}`;
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MS, query_timeout: 30_000 });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Undefined when PostgreSQL answers at `url`, else why not, worded for the skipped row. */
export async function postgresUnavailable(url: string): Promise<string | undefined> {
  try {
    await withClient(url, (client) => client.query("SELECT 1"));
    return undefined;
  } catch (error) {
    const cause = error instanceof Error ? error.message || error.name : String(error);
    return `cannot use PostgreSQL at ${redactDatabaseUrl(url)} (${cause}); start it, or point ${DATABASE_URL_VARIABLE} at one.`;
  }
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  await withClient(url, (client) => client.query(`DROP SCHEMA IF EXISTS ${client.escapeIdentifier(schema)} CASCADE`));
}

/** From the issue: "PostgreSQL, one instance: ≥ 3,000 events/s end to end". */
const POSTGRES_TARGETS: StoreVariant["targets"] = { eventsPerSecond: 3000 };

/** The server on `databaseUrl` with default settings (pool of 10), in a fresh schema that `stop()` drops. */
export function postgresStore(databaseUrl: string): StoreVariant {
  return {
    id: "postgres",
    title: "PostgreSQL",
    targets: POSTGRES_TARGETS,
    async start(ctx: BenchContext, name: string, env?: Readonly<Record<string, string>>) {
      const schema = freshSchemaName();
      const drop = () =>
        dropSchema(databaseUrl, schema).catch((error: unknown) =>
          ctx.log(`${name}: could not drop PostgreSQL schema ${schema}: ${(error as Error).message}`),
        );
      const server = await startDeliveryServer({
        // Unused with DATABASE_URL set; kept inside the benchmark's temporary folder all the same.
        dbPath: path.join(ctx.tmpDir, `${name}.db`),
        execArgv: profileArgs(name),
        env: { ...env, DATABASE_URL: databaseUrl, HOOKLINE_DB_SCHEMA: schema },
      }).catch(async (error: unknown) => {
        await drop(); // the server may have created the schema before failing
        throw error;
      });
      return {
        ...server,
        async stop(graceMs?: number) {
          try {
            await server.stop(graceMs);
          } finally {
            await drop();
          }
        },
      };
    },
  };
}

/**
 * Runs `measure` against PostgreSQL, or returns one skipped row (with the targets it would be judged
 * on) when no server answers, so a machine without a database still completes the run.
 */
export async function onPostgres(
  ctx: BenchContext,
  row: ResultBase & { readonly targets: readonly Target[] },
  measure: (store: StoreVariant) => Promise<BenchResult[]>,
): Promise<BenchResult[]> {
  const url = benchDatabaseUrl();
  const unavailable = await postgresUnavailable(url);
  if (unavailable !== undefined) {
    ctx.log(`${row.id}: skipped: ${unavailable}`);
    const { targets, ...base } = row;
    return [skippedResult(base, unavailable, targets)];
  }
  ctx.log(`${row.id}: PostgreSQL at ${redactDatabaseUrl(url)}`);
  await buildServer(ctx);
  return measure(postgresStore(url));
}

export const e2ePostgres: Benchmark = {
  id: "e2e-postgres",
  group: "e2e",
  summary: `delivery server on PostgreSQL (${DATABASE_URL_VARIABLE}, fresh schema per server): the e2e-sqlite figures; skipped when no PostgreSQL answers`,
  run: (ctx) =>
    onPostgres(
      ctx,
      {
        id: "e2e-postgres",
        group: "e2e",
        title: "End to end, PostgreSQL",
        description:
          "The delivery server on PostgreSQL, measured as End to end, SQLite: events/s, latency at half that rate, peak RSS, the loopback ceiling.",
        targets: [{ op: ">=", value: POSTGRES_TARGETS.eventsPerSecond, unit: "events/s" }],
      },
      (store) => runEndToEnd(ctx, store, ctx.mode === "quick" ? [1] : [1, 10]),
    ),
};
