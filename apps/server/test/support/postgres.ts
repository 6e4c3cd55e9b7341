/**
 * PostgreSQL for tests. The URL comes from HOOKLINE_TEST_DATABASE_URL (`.ci/run` creates a fresh
 * database per run and exports it); unset, the local server of this machine kind is tried. Each
 * test server gets its own schema in that database, dropped afterwards, so test files run in parallel.
 */
import { createHash, randomBytes } from "node:crypto";
import pg from "pg";

export const DEFAULT_TEST_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test";

export function testDatabaseUrl(): string {
  return process.env["HOOKLINE_TEST_DATABASE_URL"] ?? DEFAULT_TEST_DATABASE_URL;
}

/** The backend the behavioural suite runs on in this vitest project. */
export function testBackend(): "sqlite" | "postgres" {
  return process.env["HOOKLINE_TEST_BACKEND"] === "postgres" ? "postgres" : "sqlite";
}

/** Reachable → undefined; otherwise why not (for the skip message). */
export async function probePostgres(url = testDatabaseUrl()): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("SELECT 1");
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message || String((error as { code?: unknown }).code) : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh schema name; `seed` (e.g. a temp dir) makes it stable, so a restart finds the same data. */
export function schemaName(seed?: string): string {
  const tail = seed === undefined ? randomBytes(8).toString("hex") : createHash("sha256").update(seed).digest("hex").slice(0, 16);
  return `t_${tail}`;
}

/** Runs one statement on its own connection (search_path = `schema` when given). */
export async function sql<R extends pg.QueryResultRow = Record<string, unknown>>(
  text: string,
  values: unknown[] = [],
  schema?: string,
): Promise<R[]> {
  const client = new pg.Client({
    connectionString: testDatabaseUrl(),
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === 20 ? Number : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
    },
  });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export async function dropSchema(schema: string): Promise<void> {
  await sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}
