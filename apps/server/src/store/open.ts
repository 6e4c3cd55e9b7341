import type { Config } from "../config.js";
import { PgStore } from "./postgres/pg-store.js";
import { SqliteStore } from "./sqlite/sqlite-store.js";
import type { Store } from "./store.js";

/** PostgreSQL when DATABASE_URL is set, else the embedded SQLite file. Not migrated yet. */
export function openStore(config: Config, onError?: (error: unknown, context: string) => void): Store {
  if (config.databaseUrl !== undefined) {
    return new PgStore({
      connectionString: config.databaseUrl,
      schema: config.databaseSchema,
      poolSize: config.dbPoolSize,
      statementTimeoutMs: config.dbStatementTimeoutMs,
      masterKey: config.masterKey,
      onError,
    });
  }
  return new SqliteStore({ path: config.dbPath, masterKey: config.masterKey });
}
