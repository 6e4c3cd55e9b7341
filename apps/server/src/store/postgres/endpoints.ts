/**
 * PostgreSQL statements for endpoints: create, read, update, soft-delete, secret rotation and the
 * sealing of URLs stored in clear.
 */
import type pg from "pg";
import { reasonAtCreation } from "../../domain/endpoint-health.js";
import { ENDPOINT_DELETED } from "../../domain/fan-out.js";
import { planRotation } from "../../domain/rotation.js";
import { patchColumns } from "../endpoint-patch.js";
import { protectedColumns, urlColumns } from "../endpoint-urls.js";
import { ENDPOINT_COLUMNS, openPrevious, toEndpoint, type EndpointRow } from "../rows.js";
import type { SecretBox } from "../secret-box.js";
import type { EndpointPatch, EndpointRecord, NewEndpoint, PreviousSecret, RotateResult } from "../store.js";
import { first, QUEUED, type PgConnection, type Query } from "./connection.js";
import { Params } from "./listing.js";
import { ENDPOINT_SELECT, writePins } from "./pins.js";

/** A transaction's connection (pg.Client, or the store's prepared-statement wrapper). */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

export async function createEndpoint(db: PgConnection, box: SecretBox, e: NewEndpoint): Promise<EndpointRecord> {
  const url = urlColumns(e.url, box);
  return db.tx(async (client) => {
    const rows = await client.query<EndpointRow>(
      `INSERT INTO endpoints (id, url, sealed_url, event_types, tenant, secret, description, rate_limit, disabled, disabled_reason, metadata, created_at, updated_at)
     VALUES ($1, $2, $12, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING ${ENDPOINT_COLUMNS}`,
      [
        e.id,
        url.url,
        e.eventTypes === null ? null : JSON.stringify(e.eventTypes),
        e.tenant,
        box.seal(e.secret),
        e.description,
        e.rateLimit,
        e.disabled,
        reasonAtCreation(e.disabled),
        JSON.stringify(e.metadata),
        e.now,
        url.sealedUrl,
      ],
    );
    await writePins(client, e.id, e.pins ?? {});
    return { ...toEndpoint(first(rows.rows, "inserted endpoint")), pins: e.pins ?? {} };
  });
}

export async function getEndpoint(query: Query, id: string): Promise<EndpointRecord | undefined> {
  const row = (await query<EndpointRow>(`SELECT ${ENDPOINT_SELECT} FROM endpoints WHERE id = $1 AND deleted_at IS NULL`, [id]))[0];
  return row === undefined ? undefined : toEndpoint(row);
}

export async function endpointSecrets(
  query: Query,
  box: SecretBox,
  id: string,
): Promise<{ secret: string; previous: readonly PreviousSecret[] } | undefined> {
  const row = (await query<EndpointRow>("SELECT secret, previous_secrets FROM endpoints WHERE id = $1 AND deleted_at IS NULL", [id]))[0];
  if (row === undefined) return undefined;
  return { secret: box.open(row.secret), previous: openPrevious(row.previous_secrets, box) };
}

export async function updateEndpoint(
  db: PgConnection,
  box: SecretBox,
  r: { id: string; patch: EndpointPatch; now: number; disabledReason: string | undefined },
): Promise<EndpointRecord | undefined> {
  const { id, patch } = r;
  return db.tx(async (client) => {
    const current = (
      await client.query<EndpointRow>("SELECT disabled FROM endpoints WHERE id = $1 AND deleted_at IS NULL FOR UPDATE", [id])
    ).rows[0];
    if (current === undefined) return undefined;
    const { columns, reenabled } = patchColumns(patch, { disabled: Boolean(current.disabled) }, box, r.disabledReason);
    const p = new Params();
    const sets = [`updated_at = ${p.add(r.now)}`, ...columns.map(([column, value]) => `${column} = ${p.add(value)}`)];
    // The stored token bucket belongs to the old rate.
    if (patch.rateLimit !== undefined) sets.push("rate_tokens = NULL", "rate_at = NULL");
    // Before the update: its RETURNING reads the pins.
    if (patch.pins !== undefined) await writePins(client, id, patch.pins);
    const rows = await client.query<EndpointRow>(
      `UPDATE endpoints SET ${sets.join(", ")} WHERE id = ${p.add(id)} RETURNING ${ENDPOINT_SELECT}`,
      p.values,
    );
    if (reenabled) await db.notify(client);
    return toEndpoint(first(rows.rows, "updated endpoint"));
  });
}

/** Soft-deletes the endpoint and cancels its queued deliveries. */
export async function deleteEndpoint(db: PgConnection, id: string, now: number): Promise<boolean> {
  return db.tx(async (client) => {
    const changed = await client.query("UPDATE endpoints SET deleted_at = $1, updated_at = $1 WHERE id = $2 AND deleted_at IS NULL", [
      now,
      id,
    ]);
    if (changed.rowCount === 0) return false;
    await client.query(
      `UPDATE deliveries SET status = 'cancelled', next_attempt_at = NULL, lease_token = NULL, failure_reason = $3, updated_at = $1
       WHERE endpoint_id = $2 AND ${QUEUED}`,
      [now, id, ENDPOINT_DELETED],
    );
    return true;
  });
}

/** Runs inside the caller's transaction. */
export async function rotateSecret(
  client: Queryable,
  box: SecretBox,
  r: { id: string; secret: string; graceUntil: number; now: number; expireOldest: boolean },
): Promise<RotateResult | undefined> {
  const row = (
    await client.query<Pick<EndpointRow, "secret" | "previous_secrets">>(
      "SELECT secret, previous_secrets FROM endpoints WHERE id = $1 AND deleted_at IS NULL FOR UPDATE",
      [r.id],
    )
  ).rows[0];
  if (row === undefined) return undefined;
  // Sealed values are carried over as they are: rotation never needs to read old secrets.
  const plan = planRotation({
    previous: JSON.parse(row.previous_secrets) as PreviousSecret[],
    outgoing: r.graceUntil > r.now ? { secret: row.secret, expiresAt: r.graceUntil } : undefined,
    now: r.now,
    expireOldest: r.expireOldest,
  });
  if (!plan.ok) return { outcome: "too_many_secrets", validUntil: plan.valid.map((p) => p.expiresAt) };
  const updated = await client.query<EndpointRow>(
    `UPDATE endpoints SET secret = $1, previous_secrets = $2, updated_at = $3 WHERE id = $4 RETURNING ${ENDPOINT_SELECT}`,
    [box.seal(r.secret), JSON.stringify(plan.previous), r.now, r.id],
  );
  const endpoint = updated.rows[0];
  if (endpoint === undefined) throw new Error(`endpoint ${r.id} vanished inside its own transaction`);
  return { outcome: "rotated", endpoint: toEndpoint(endpoint), expired: plan.expired.length };
}

/**
 * Masks and seals endpoint URLs still stored in clear (see protectedColumns), in a transaction of its
 * own (after the schema migrations, under their lock); returns how many rows changed. Only unsealed rows whose URL can hold a secret at all are read (user info needs `@`, a
 * query `?`, a fragment `#`), plus clear sealed values once a master key is set.
 */
export async function protectEndpointUrls(client: Queryable, box: SecretBox): Promise<number> {
  await client.query("BEGIN; SET LOCAL synchronous_commit = on");
  try {
    const changed = await protectRows(client, box);
    await client.query("COMMIT");
    return changed;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

async function protectRows(client: Queryable, box: SecretBox): Promise<number> {
  const mayHide = "(sealed_url IS NULL AND (url LIKE '%@%' OR url LIKE '%?%' OR url LIKE '%#%'))";
  const candidates = (
    await client.query<{ id: string; url: string; sealed_url: string | null }>(
      `SELECT id, url, sealed_url FROM endpoints WHERE ${mayHide}${box.encrypts ? " OR sealed_url NOT LIKE 'enc:%'" : ""} FOR UPDATE`,
    )
  ).rows;
  let changed = 0;
  for (const row of candidates) {
    const columns = protectedColumns(row, box);
    if (columns === undefined) continue;
    await client.query("UPDATE endpoints SET url = $1, sealed_url = $2 WHERE id = $3", [columns.url, columns.sealedUrl, row.id]);
    changed++;
  }
  return changed;
}
