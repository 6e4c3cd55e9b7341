import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { SchemaTooNewError } from "../../src/store/errors.js";
import { MIGRATIONS } from "../../src/store/sqlite/migrations.js";
import { schemaName, sql, testBackend } from "../support/postgres.js";
import { removeStorage, storeFor } from "../support/server.js";

describe(`${testBackend()} migrations`, () => {
  const dir = mkdtempSync(join(tmpdir(), "hookline-migrate-"));
  afterEach(async () => removeStorage(dir));

  it("migrates once, is a no-op on every later start, and refuses a schema newer than it knows", async () => {
    const store = storeFor(dir);
    const first = await store.migrate();
    const versions = MIGRATIONS.map((m) => m.version);
    expect(first.applied).toEqual(versions);
    expect(await store.migrate()).toEqual({ applied: [], version: first.version });
    const future = "INSERT INTO migrations (version, name, applied_at) VALUES (999, 'from a newer server', 0)";
    if (testBackend() === "postgres") await sql(future, [], schemaName(dir));
    else {
      const db = new Database(join(dir, "hookline.db"));
      db.exec(future);
      db.close();
    }
    await expect(store.migrate()).rejects.toBeInstanceOf(SchemaTooNewError);
    await expect(store.migrate()).rejects.toThrow(
      new RegExp(
        `at schema version 999, but this server only knows versions up to ${Math.max(...versions)}\\. It was migrated by a newer Hookline`,
      ),
    );
    await store.close();
  });
});
