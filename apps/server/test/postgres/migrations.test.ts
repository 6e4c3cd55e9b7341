import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgStore } from "../../src/store/postgres/pg-store.js";
import { PG_MIGRATIONS } from "../../src/store/postgres/migrations.js";
import { assertBuilt, BIN } from "../support/process.js";
import { dropSchema, schemaName, sql, testDatabaseUrl } from "../support/postgres.js";

/** `hookline-server migrate` as a child process; resolves with its exit code and output. */
function migrate(schema: string): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [BIN, "migrate"], {
    env: { PATH: process.env["PATH"] ?? "", DATABASE_URL: testDatabaseUrl(), HOOKLINE_DB_SCHEMA: schema },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, out })));
}

describe("PostgreSQL migrations", () => {
  const schemas: string[] = [];
  const fresh = (): string => {
    const schema = schemaName();
    schemas.push(schema);
    return schema;
  };
  beforeAll(() => assertBuilt());
  afterAll(async () => {
    for (const schema of schemas) await dropSchema(schema);
  });

  it("applies each version exactly once when 3 processes migrate one database at the same moment", { timeout: 30_000 }, async () => {
    const schema = fresh();
    const runs = await Promise.all([migrate(schema), migrate(schema), migrate(schema)]);
    for (const run of runs) expect(run.code, run.out).toBe(0);
    const latest = Math.max(...PG_MIGRATIONS.map((m) => m.version));
    const applied = runs.filter((r) => r.out.includes("(applied v1"));
    const current = runs.filter((r) => r.out.includes("(already up to date)"));
    expect(applied).toHaveLength(1);
    expect(current).toHaveLength(2);
    for (const run of runs) expect(run.out).toContain(`at schema version ${latest}`);
    const rows = await sql<{ version: number }>("SELECT version FROM migrations ORDER BY version", [], schema);
    expect(rows.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((m) => m.version));
  });

  it("refuses a database migrated by a newer server, on start and in `migrate`", { timeout: 20_000 }, async () => {
    const schema = fresh();
    expect((await migrate(schema)).code).toBe(0);
    await sql("INSERT INTO migrations (version, name, applied_at) VALUES (999, 'from the future', 0)", [], schema);
    const run = await migrate(schema);
    expect(run.code).toBe(1);
    expect(run.out).toContain(`hookline-server: The database schema "${schema}" is at schema version 999`);
    expect(run.out).toContain("run that version (or newer) instead");
    expect(run.out).not.toMatch(/\n\s+at /); // one clear line, no stack trace

    const store = new PgStore({ connectionString: testDatabaseUrl(), schema });
    await expect(store.migrate()).rejects.toThrow(/schema version 999, but this server only knows versions up to/);
    await store.close();
  });

  it("migrates with a role that owns its schema but may not create schemas in the database", { timeout: 20_000 }, async () => {
    const schema = fresh();
    const role = `hl_app_${schema.slice(2)}`;
    await sql(`CREATE ROLE ${role} LOGIN`);
    try {
      await sql(`REVOKE CREATE ON DATABASE ${new URL(testDatabaseUrl()).pathname.slice(1)} FROM PUBLIC`);
      await sql(`CREATE SCHEMA ${schema} AUTHORIZATION ${role}`);
      const url = new URL(testDatabaseUrl());
      url.username = role;
      const store = new PgStore({ connectionString: url.toString(), schema });
      expect((await store.migrate()).applied).toEqual([1, 2]);
      expect((await store.migrate()).applied).toEqual([]);
      await store.close();
    } finally {
      await dropSchema(schema);
      await sql(`DROP ROLE IF EXISTS ${role}`);
    }
  });

  it("answers 'unavailable' clearly when PostgreSQL cannot be reached", { timeout: 20_000 }, async () => {
    const child = spawn(process.execPath, [BIN, "migrate"], {
      env: { PATH: process.env["PATH"] ?? "", DATABASE_URL: "postgres://postgres@127.0.0.1:1/none" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
    const code = await new Promise((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    expect(out).toMatch(/^hookline-server: PostgreSQL is unavailable: .*ECONNREFUSED/);
  });
});
