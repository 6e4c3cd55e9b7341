/**
 * PostgreSQL statements for endpoint secrets and sealed URLs (kept out of pg-store.ts, which is
 * already long).
 */
import type pg from "pg";
import { planRotation } from "../../domain/rotation.js";
import { protectedColumns } from "../endpoint-urls.js";
import { ENDPOINT_COLUMNS, toEndpoint, type EndpointRow } from "../rows.js";
import type { SecretBox } from "../secret-box.js";
import type { PreviousSecret, RotateResult } from "../store.js";

/** A transaction's connection (pg.Client, or the store's prepared-statement wrapper). */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
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
    `UPDATE endpoints SET secret = $1, previous_secrets = $2, updated_at = $3 WHERE id = $4 RETURNING ${ENDPOINT_COLUMNS}`,
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
