/**
 * SQLite statements for version pins (src/domain/pinning.ts): writing an endpoint's pins, the
 * catalog-load pass (missing pins, versions of rows stored before versions were recorded), and the
 * reads behind the subscribers list, pin counts and the deprecated-pins metric. Each function runs
 * inside the caller's transaction.
 */
import { sumSubscribed } from "../pin-counts.js";
import { ENDPOINT_COLUMNS } from "../rows.js";
import type { CatalogApplied, PinnedEndpoint, PinnedVersionCount } from "../store.js";
import type { Sql } from "./connection.js";

/** The pins of the row `endpoints` of the enclosing SELECT, as a JSON object (`{}` when none). */
export const PINS_COLUMN =
  "(SELECT json_group_object(p.event_type, p.version) FROM endpoint_pins p WHERE p.endpoint_id = endpoints.id) AS pins";

/** An endpoint's columns and its pins. */
export const ENDPOINT_SELECT = `${ENDPOINT_COLUMNS}, ${PINS_COLUMN}`;

/** Sets pins of one endpoint (types not named keep theirs). */
export function writePins(sql: Sql, endpointId: string, pins: Readonly<Record<string, number>>): void {
  const upsert = sql(
    "INSERT INTO endpoint_pins (endpoint_id, event_type, version) VALUES (?, ?, ?) ON CONFLICT (endpoint_id, event_type) DO UPDATE SET version = excluded.version",
  );
  for (const [type, version] of Object.entries(pins)) upsert.run(endpointId, type, version);
}

export function applyCatalog(sql: Sql, newest: Readonly<Record<string, number>>): CatalogApplied {
  let pinsAdded = 0;
  let versionsFilled = 0;
  const pin = sql(
    `INSERT INTO endpoint_pins (endpoint_id, event_type, version) SELECT id, @type, @version FROM endpoints WHERE deleted_at IS NULL
     ON CONFLICT (endpoint_id, event_type) DO NOTHING`,
  );
  const events = sql("UPDATE events SET version = @version WHERE version IS NULL AND type = @type");
  const deliveries = sql(
    `UPDATE deliveries SET version = @version
     WHERE version IS NULL AND event_id IN (SELECT id FROM events WHERE type = @type)`,
  );
  // One look first: after the one-time pass no row has a NULL version, and starts stay cheap.
  const unfilled =
    sql("SELECT EXISTS (SELECT 1 FROM events WHERE version IS NULL) OR EXISTS (SELECT 1 FROM deliveries WHERE version IS NULL)")
      .pluck()
      .get() === 1;
  for (const [type, version] of Object.entries(newest)) {
    pinsAdded += pin.run({ type, version }).changes;
    if (unfilled) versionsFilled += events.run({ type, version }).changes + deliveries.run({ type, version }).changes;
  }
  return { pinsAdded, versionsFilled };
}

export function pinnedVersionCounts(sql: Sql): PinnedVersionCount[] {
  // Grouped by filter first: endpoints with the same eventTypes are matched once.
  const groups = sql(
    `SELECT e.event_types, p.event_type AS type, p.version, COUNT(*) AS endpoints
     FROM endpoint_pins p JOIN endpoints e ON e.id = p.endpoint_id
     WHERE e.deleted_at IS NULL GROUP BY e.event_types, p.event_type, p.version`,
  ).all() as { event_types: string | null; type: string; version: number; endpoints: number }[];
  return sumSubscribed(groups);
}

export function pinnedEndpoints(sql: Sql, type: string, version: number): PinnedEndpoint[] {
  const rows = sql(
    `SELECT e.id, e.url, e.tenant, e.disabled, e.event_types FROM endpoint_pins p JOIN endpoints e ON e.id = p.endpoint_id
     WHERE p.event_type = ? AND p.version = ? AND e.deleted_at IS NULL ORDER BY e.seq`,
  ).all(type, version) as { id: string; url: string; tenant: string | null; disabled: number; event_types: string | null }[];
  return rows.map((row) => ({
    id: row.id,
    url: row.url,
    tenant: row.tenant,
    disabled: row.disabled === 1,
    eventTypes: row.event_types === null ? null : (JSON.parse(row.event_types) as string[]),
  }));
}
