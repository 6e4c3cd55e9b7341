import pg from "pg";
import { SchemaTooNewError } from "../errors.js";
import type { SecretBox } from "../secret-box.js";
import type { MigrationReport } from "../store.js";
import type { PgConnection } from "./connection.js";
import { protectEndpointUrls } from "./endpoints.js";
import { PG_MIGRATIONS } from "./migrations.js";
import { translate } from "./pg-errors.js";

/**
 * Applies the missing migrations on a connection of its own, under an advisory lock: one migrator
 * per schema at a time, across every process and machine; the others wait, then find the work done.
 * Then seals endpoint URLs still stored in clear.
 */
export async function migrate(db: PgConnection, box: SecretBox): Promise<MigrationReport> {
  const client = new pg.Client({ ...db.clientConfig, statement_timeout: 0 });
  try {
    await client.connect();
  } catch (error) {
    throw translate(error);
  }
  client.on("error", (error) => db.onError(error, "migration connection lost"));
  const lock = `hookline.migrate.${db.schema}`;
  try {
    // Session-level, so it spans the per-migration transactions.
    await client.query("SET lock_timeout = '5min'");
    await client.query("SELECT pg_advisory_lock(hashtext($1))", [lock]);
    try {
      // Only when missing: PostgreSQL checks the CREATE privilege before IF NOT EXISTS, and an
      // application role often lacks it on the database while owning its (existing) schema.
      const exists = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [db.schema]);
      if (exists.rowCount === 0) await client.query(`CREATE SCHEMA IF NOT EXISTS ${client.escapeIdentifier(db.schema)}`);
      await client.query(
        "CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
      );
      const applied = new Set((await client.query<{ version: number }>("SELECT version FROM migrations")).rows.map((r) => r.version));
      const known = Math.max(...PG_MIGRATIONS.map((m) => m.version));
      const found = Math.max(0, ...applied);
      if (found > known) throw new SchemaTooNewError(`schema "${db.schema}"`, found, known);
      const now: number[] = [];
      for (const migration of PG_MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        await client.query("BEGIN; SET LOCAL synchronous_commit = on");
        try {
          await client.query(migration.sql);
          await client.query("INSERT INTO migrations (version, name, applied_at) VALUES ($1, $2, $3)", [
            migration.version,
            migration.name,
            Date.now(),
          ]);
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK").catch(() => undefined);
          throw error;
        }
        now.push(migration.version);
      }
      await protectEndpointUrls(client, box);
      return { applied: now, version: Math.max(found, ...now) };
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext($1))", [lock]).catch(() => undefined);
    }
  } catch (error) {
    throw translate(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}
