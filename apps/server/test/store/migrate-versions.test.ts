/**
 * Migration 5 (event versions, endpoint pins) over a database that already holds data: endpoints get
 * a pin for every catalog type at its newest version, and events and deliveries stored before
 * versions were recorded get the newest version of their type (the only one the server carried
 * then) — or none, for a type the catalog no longer has.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { PG_MIGRATIONS } from "../../src/store/postgres/migrations.js";
import { MIGRATIONS } from "../../src/store/sqlite/migrations.js";
import { schemaName, sql, testBackend } from "../support/postgres.js";
import { removeStorage, startServer } from "../support/server.js";
import { TYPE, versionedCatalog } from "../support/versioned-catalog.js";

const MIGRATIONS_TABLE = "CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

/** A database at schema version 4 (statements use FALSE_ and BYTES('text'_UTF8), spelled per backend) ; before versions and pins) in `dir`, holding the given statements' rows. */
async function databaseAtVersion4(dir: string, rows: readonly string[]): Promise<void> {
  if (testBackend() === "postgres") {
    const schema = schemaName(dir);
    await sql(`CREATE SCHEMA ${schema}`);
    await sql(MIGRATIONS_TABLE, [], schema);
    for (const m of PG_MIGRATIONS.filter((m) => m.version <= 4)) {
      await sql(m.sql, [], schema);
      await sql("INSERT INTO migrations (version, name, applied_at) VALUES ($1, $2, 0)", [m.version, m.name], schema);
    }
    for (const row of rows)
      await sql(row.replaceAll("FALSE_", "FALSE").replaceAll("BYTES(", "convert_to(").replaceAll("_UTF8", ", 'UTF8'"), [], schema);
    return;
  }
  const db = new Database(join(dir, "hookline.db"));
  try {
    db.exec(MIGRATIONS_TABLE.replace("BIGINT", "INTEGER"));
    for (const m of MIGRATIONS.filter((m) => m.version <= 4)) {
      db.exec(m.sql);
      db.prepare("INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, 0)").run(m.version, m.name);
    }
    for (const row of rows) db.exec(row.replaceAll("FALSE_", "0").replaceAll("BYTES(", "CAST(").replaceAll("_UTF8", " AS BLOB"));
  } finally {
    db.close();
  }
}

describe(`${testBackend()} migration 5: versions and pins for existing data`, () => {
  const dir = mkdtempSync(join(tmpdir(), "hookline-migrate-v5-"));
  afterEach(async () => removeStorage(dir));

  it("pins existing endpoints at the newest versions and gives old events and deliveries the newest version of their type", {
    timeout: 30_000,
  }, async () => {
    const shipped = `{"type":"${TYPE}","timestamp":"2025-03-11T16:40:00.000Z","data":{}}`;
    const gone = '{"type":"legacy.gone","timestamp":"2025-03-11T16:40:00.000Z","data":{}}';
    await databaseAtVersion4(dir, [
      `INSERT INTO endpoints (id, url, secret, disabled, created_at, updated_at) VALUES ('ep_old', 'http://127.0.0.1:9/hook', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', FALSE_, 1, 1)`,
      `INSERT INTO events (id, type, body, request_hash, created_at) VALUES ('evt_old', '${TYPE}', BYTES('${shipped}'_UTF8), 'h1', 1)`,
      `INSERT INTO events (id, type, body, request_hash, created_at) VALUES ('evt_gone', 'legacy.gone', BYTES('${gone}'_UTF8), 'h2', 1)`,
      `INSERT INTO deliveries (id, event_id, endpoint_id, status, failure_reason, created_at, updated_at) VALUES ('dlv_old', 'evt_old', 'ep_old', 'failed', 'old', 1, 1)`,
      `INSERT INTO deliveries (id, event_id, endpoint_id, status, failure_reason, created_at, updated_at) VALUES ('dlv_gone', 'evt_gone', 'ep_old', 'failed', 'old', 1, 1)`,
    ]);
    const { catalog, schemas } = versionedCatalog();
    const server = await startServer({ dir, deps: { catalog, schemas, startWorker: false } });
    try {
      const endpoint = await server.api("GET", "/v1/endpoints/ep_old");
      expect(endpoint.status, endpoint.text).toBe(200);
      const types = Object.keys(catalog.eventTypes).sort();
      expect(Object.keys(endpoint.body.pins).sort()).toEqual(types);
      expect(endpoint.body.pins[TYPE]).toBe(2);
      expect(endpoint.body.pins["order.created"]).toBe(1);

      const old = await server.api("GET", "/v1/events/evt_old");
      expect(old.body).toMatchObject({ version: 2, deliveries: [{ endpointId: "ep_old", version: 2 }] });
      // The stored bytes are never rewritten: the envelope stays as it was sent.
      expect(old.body.envelope).toEqual({ type: TYPE, timestamp: "2025-03-11T16:40:00.000Z", data: {} });
      const orphan = await server.api("GET", "/v1/events/evt_gone");
      expect(orphan.body).toMatchObject({ version: null, deliveries: [{ version: null }] });
      const migrations = await server.query<{ version: number }>("SELECT version FROM migrations ORDER BY version");
      expect(migrations.map((m) => Number(m.version))).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      await server.close();
    }

    // Later starts add nothing: the pass is done once.
    const again = await startServer({ dir, deps: { catalog, schemas, startWorker: false } });
    try {
      const pins = await again.query<{ n: number }>("SELECT COUNT(*) AS n FROM endpoint_pins");
      expect(Number(pins[0]?.n)).toBe(Object.keys(catalog.eventTypes).length);
    } finally {
      await again.close();
    }
  });
});

describe(`${testBackend()} migration 7: dashboard feeds over existing data`, () => {
  const dir = mkdtempSync(join(tmpdir(), "hookline-migrate-v7-"));
  afterEach(async () => removeStorage(dir));

  it("fills event positions and tenants of existing deliveries, so the new filters and health see old rows", {
    timeout: 30_000,
  }, async () => {
    const body = `{"type":"${TYPE}","timestamp":"2025-03-11T16:40:00.000Z","data":{}}`;
    const now = Date.now();
    await databaseAtVersion4(dir, [
      `INSERT INTO endpoints (id, url, secret, tenant, disabled, created_at, updated_at) VALUES ('ep_old', 'http://127.0.0.1:9/hook', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'acme', FALSE_, 1, 1)`,
      `INSERT INTO events (id, type, tenant, body, request_hash, created_at) VALUES ('evt_a', '${TYPE}', 'acme', BYTES('${body}'_UTF8), 'h1', 1)`,
      `INSERT INTO events (id, type, tenant, body, request_hash, created_at) VALUES ('evt_b', '${TYPE}', 'acme', BYTES('${body}'_UTF8), 'h2', 2)`,
      `INSERT INTO deliveries (id, event_id, endpoint_id, status, attempts, failure_reason, created_at, updated_at) VALUES ('dlv_a', 'evt_a', 'ep_old', 'failed', 1, 'old', 1, 1)`,
      `INSERT INTO deliveries (id, event_id, endpoint_id, status, attempts, created_at, updated_at) VALUES ('dlv_b', 'evt_b', 'ep_old', 'delivered', 1, 2, 2)`,
      `INSERT INTO attempts (id, delivery_id, event_id, endpoint_id, status, status_code, duration_ms, error_code, error_message, response_body, created_at)
         VALUES ('atm_a', 'dlv_a', 'evt_a', 'ep_old', 'failed', 500, 3, 'http_status', 'The endpoint answered 500', 'no', ${now - 1000})`,
      `INSERT INTO attempts (id, delivery_id, event_id, endpoint_id, status, status_code, duration_ms, response_body, created_at)
         VALUES ('atm_b', 'dlv_b', 'evt_b', 'ep_old', 'succeeded', 200, 3, 'ok', ${now - 500})`,
    ]);
    const { catalog, schemas } = versionedCatalog();
    const server = await startServer({ dir, deps: { catalog, schemas, startWorker: false } });
    try {
      const ids = async (path: string): Promise<string[]> => {
        const res = await server.api("GET", path);
        expect(res.status, res.text).toBe(200);
        return (res.body.data as { id: string }[]).map((item) => item.id);
      };
      expect(await ids("/v1/events?status=failed")).toEqual(["evt_a"]);
      expect(await ids("/v1/events?tenant=acme&status=delivered")).toEqual(["evt_b"]);
      expect(await ids("/v1/events?endpointId=ep_old&order=desc")).toEqual(["evt_b", "evt_a"]);
      expect(await ids("/v1/deliveries?tenant=acme")).toEqual(["dlv_b", "dlv_a"]);
      const attempts = (await server.api("GET", "/v1/events/evt_a/attempts")).body.data;
      expect(attempts[0]).toMatchObject({ id: "atm_a", requestHeaders: null, responseHeaders: null, responseHeadersTruncated: false });
      const { health } = (await server.api("GET", "/v1/endpoints/ep_old")).body;
      expect(health).toMatchObject({
        successRate: 0.5,
        attempts24h: 2,
        failures24h: 1,
        lastError: { code: "http_status", statusCode: 500 },
      });
    } finally {
      await server.close();
    }
  });
});
