/**
 * PostgreSQL statements for version pins (src/domain/pinning.ts): writing an endpoint's pins, the
 * catalog-load pass (missing pins, versions of rows stored before versions were recorded), and the
 * reads behind the subscribers list, pin counts and the deprecated-pins metric.
 */
import { sumSubscribed } from "../pin-counts.js";
import { ENDPOINT_COLUMNS } from "../rows.js";
import type { CatalogApplied, PinnedEndpoint, PinnedVersionCount } from "../store.js";
import type { PgConnection, Query, Tx } from "./connection.js";

/** The pins of the row `endpoints` of the enclosing statement, as a JSON object (`{}` when none). */
export const PINS_COLUMN =
  "(SELECT COALESCE(json_object_agg(p.event_type, p.version), '{}'::json) FROM endpoint_pins p WHERE p.endpoint_id = endpoints.id) AS pins";

/** An endpoint's columns and its pins. */
export const ENDPOINT_SELECT = `${ENDPOINT_COLUMNS}, ${PINS_COLUMN}`;

/** Sets pins of one endpoint (types not named keep theirs), in the caller's transaction. */
export async function writePins(client: Tx, endpointId: string, pins: Readonly<Record<string, number>>): Promise<void> {
  const entries = Object.entries(pins);
  if (entries.length === 0) return;
  await client.query(
    `INSERT INTO endpoint_pins (endpoint_id, event_type, version)
     SELECT $1, t, v FROM unnest($2::text[], $3::int[]) AS u(t, v)
     ON CONFLICT (endpoint_id, event_type) DO UPDATE SET version = excluded.version`,
    [endpointId, entries.map(([type]) => type), entries.map(([, version]) => version)],
  );
}

export async function applyCatalog(db: PgConnection, newest: Readonly<Record<string, number>>): Promise<CatalogApplied> {
  const types = Object.keys(newest);
  const versions = Object.values(newest);
  return db.tx(async (client) => {
    const pinned = await client.query(
      `INSERT INTO endpoint_pins (endpoint_id, event_type, version)
       SELECT e.id, u.t, u.v FROM endpoints e CROSS JOIN unnest($1::text[], $2::int[]) AS u(t, v)
       WHERE e.deleted_at IS NULL
       ON CONFLICT (endpoint_id, event_type) DO NOTHING`,
      [types, versions],
    );
    // One look first: after the one-time pass no row has a NULL version, and starts stay cheap.
    const unfilled = await client.query<{ any: boolean }>(
      "SELECT EXISTS (SELECT 1 FROM events WHERE version IS NULL) OR EXISTS (SELECT 1 FROM deliveries WHERE version IS NULL) AS any",
    );
    let versionsFilled = 0;
    if (unfilled.rows[0]?.any === true) {
      const events = await client.query(
        `UPDATE events ev SET version = u.v FROM unnest($1::text[], $2::int[]) AS u(t, v) WHERE ev.version IS NULL AND ev.type = u.t`,
        [types, versions],
      );
      const deliveries = await client.query(
        `UPDATE deliveries d SET version = u.v FROM events ev, unnest($1::text[], $2::int[]) AS u(t, v)
         WHERE d.version IS NULL AND ev.id = d.event_id AND ev.type = u.t`,
        [types, versions],
      );
      versionsFilled = (events.rowCount ?? 0) + (deliveries.rowCount ?? 0);
    }
    return { pinsAdded: pinned.rowCount ?? 0, versionsFilled };
  });
}

export async function pinnedVersionCounts(query: Query): Promise<PinnedVersionCount[]> {
  // Grouped by filter first: endpoints with the same eventTypes are matched once.
  const groups = await query<{ event_types: string | null; type: string; version: number; endpoints: string }>(
    `SELECT e.event_types, p.event_type AS type, p.version, count(*) AS endpoints
     FROM endpoint_pins p JOIN endpoints e ON e.id = p.endpoint_id
     WHERE e.deleted_at IS NULL GROUP BY e.event_types, p.event_type, p.version`,
  );
  return sumSubscribed(groups);
}

export async function pinnedEndpoints(query: Query, type: string, version: number): Promise<PinnedEndpoint[]> {
  const rows = await query<{ id: string; url: string; tenant: string | null; disabled: boolean; event_types: string | null }>(
    `SELECT e.id, e.url, e.tenant, e.disabled, e.event_types FROM endpoint_pins p JOIN endpoints e ON e.id = p.endpoint_id
     WHERE p.event_type = $1 AND p.version = $2 AND e.deleted_at IS NULL ORDER BY e.seq`,
    [type, version],
  );
  return rows.map((row) => ({
    id: row.id,
    url: row.url,
    tenant: row.tenant,
    disabled: row.disabled,
    eventTypes: row.event_types === null ? null : (JSON.parse(row.event_types) as string[]),
  }));
}
