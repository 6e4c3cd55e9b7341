/**
 * SQLite statements for endpoints: create, read, update, soft-delete, secret rotation and the
 * sealing of URLs stored in clear. Each function runs inside the caller's transaction.
 */
import type Database from "better-sqlite3";
import { reasonAtCreation } from "../../domain/endpoint-health.js";
import { ENDPOINT_DELETED } from "../../domain/fan-out.js";
import { planRotation } from "../../domain/rotation.js";
import { patchColumns } from "../endpoint-patch.js";
import { protectedColumns, urlColumns } from "../endpoint-urls.js";
import { openPrevious, toEndpoint, type EndpointRow } from "../rows.js";
import type { SecretBox } from "../secret-box.js";
import type { EndpointPatch, EndpointRecord, NewEndpoint, PreviousSecret, RotateResult } from "../store.js";
import type { Sql } from "./connection.js";
import { ENDPOINT_SELECT, writePins } from "./pins.js";

/** Unsealed rows whose URL can hold a secret at all: user info needs `@`, a query `?`, a fragment `#`. */
const MAY_HIDE = "(sealed_url IS NULL AND (url LIKE '%@%' OR url LIKE '%?%' OR url LIKE '%#%'))";

export function endpointRow(sql: Sql, id: string): EndpointRow | undefined {
  return sql(`SELECT ${ENDPOINT_SELECT} FROM endpoints WHERE id = ? AND deleted_at IS NULL`).get(id) as EndpointRow | undefined;
}

function endpointOrThrow(sql: Sql, id: string): EndpointRecord {
  const row = endpointRow(sql, id);
  if (row === undefined) throw new Error(`endpoint ${id} vanished inside its own transaction`);
  return toEndpoint(row);
}

export function createEndpoint(sql: Sql, box: SecretBox, e: NewEndpoint): EndpointRecord {
  sql(
    `INSERT INTO endpoints (id, url, sealed_url, event_types, tenant, secret, description, rate_limit, disabled, disabled_reason, metadata, created_at, updated_at)
     VALUES (@id, @url, @sealedUrl, @eventTypes, @tenant, @secret, @description, @rateLimit, @disabled, @disabledReason, @metadata, @now, @now)`,
  ).run({
    id: e.id,
    ...urlColumns(e.url, box),
    eventTypes: e.eventTypes === null ? null : JSON.stringify(e.eventTypes),
    tenant: e.tenant,
    secret: box.seal(e.secret),
    description: e.description,
    rateLimit: e.rateLimit,
    disabled: e.disabled ? 1 : 0,
    disabledReason: reasonAtCreation(e.disabled),
    metadata: JSON.stringify(e.metadata),
    now: e.now,
  });
  writePins(sql, e.id, e.pins ?? {});
  return endpointOrThrow(sql, e.id);
}

export function endpointSecrets(sql: Sql, box: SecretBox, id: string): { secret: string; previous: readonly PreviousSecret[] } | undefined {
  const row = endpointRow(sql, id);
  if (row === undefined) return undefined;
  return { secret: box.open(row.secret), previous: openPrevious(row.previous_secrets, box) };
}

export function updateEndpoint(
  sql: Sql,
  box: SecretBox,
  r: { id: string; patch: EndpointPatch; now: number; disabledReason: string | undefined },
): EndpointRecord | undefined {
  const { id, patch } = r;
  const current = endpointRow(sql, id);
  if (current === undefined) return undefined;
  const { columns } = patchColumns(patch, { disabled: current.disabled === 1 }, box, r.disabledReason);
  const sets: string[] = ["updated_at = @now"];
  const params: Record<string, unknown> = { id, now: r.now };
  for (const [column, value] of columns) {
    sets.push(`${column} = @${column}`);
    params[column] = typeof value === "boolean" ? Number(value) : value;
  }
  sql(`UPDATE endpoints SET ${sets.join(", ")} WHERE id = @id AND deleted_at IS NULL`).run(params);
  if (patch.pins !== undefined) writePins(sql, id, patch.pins);
  return endpointOrThrow(sql, id);
}

/** Soft-deletes the endpoint and cancels its queued deliveries. */
export function deleteEndpoint(sql: Sql, id: string, now: number): boolean {
  const changed = sql("UPDATE endpoints SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL").run(now, now, id).changes;
  if (changed === 0) return false;
  sql(
    `UPDATE deliveries SET status = 'cancelled', next_attempt_at = NULL, lease_token = NULL, failure_reason = ?, updated_at = ?
       WHERE endpoint_id = ? AND status IN ('pending', 'delivering')`,
  ).run(ENDPOINT_DELETED, now, id);
  return true;
}

export function rotateSecret(
  sql: Sql,
  box: SecretBox,
  r: { id: string; secret: string; graceUntil: number; now: number; expireOldest: boolean },
): RotateResult | undefined {
  const row = sql("SELECT secret, previous_secrets FROM endpoints WHERE id = ? AND deleted_at IS NULL").get(r.id) as
    | { secret: string; previous_secrets: string }
    | undefined;
  if (row === undefined) return undefined;
  // Sealed values are carried over as they are: rotation never needs to read old secrets.
  const plan = planRotation({
    previous: JSON.parse(row.previous_secrets) as PreviousSecret[],
    outgoing: r.graceUntil > r.now ? { secret: row.secret, expiresAt: r.graceUntil } : undefined,
    now: r.now,
    expireOldest: r.expireOldest,
  });
  if (!plan.ok) return { outcome: "too_many_secrets", validUntil: plan.valid.map((p) => p.expiresAt) };
  sql("UPDATE endpoints SET secret = ?, previous_secrets = ?, updated_at = ? WHERE id = ?").run(
    box.seal(r.secret),
    JSON.stringify(plan.previous),
    r.now,
    r.id,
  );
  return { outcome: "rotated", endpoint: endpointOrThrow(sql, r.id), expired: plan.expired.length };
}

/**
 * Masks and seals endpoint URLs still stored in clear (see protectedColumns); returns how many rows
 * changed. The clear text must not survive in the file: secure_delete zeroes the replaced row
 * content, and the WAL, which holds copies of the old pages, is truncated by the caller afterwards.
 */
export function protectEndpointUrls(db: Database.Database, sql: Sql, box: SecretBox): number {
  const candidates = sql(
    box.encrypts
      ? `SELECT id, url, sealed_url FROM endpoints WHERE ${MAY_HIDE} OR sealed_url NOT LIKE 'enc:%'`
      : `SELECT id, url, sealed_url FROM endpoints WHERE ${MAY_HIDE}`,
  ).all() as { id: string; url: string; sealed_url: string | null }[];
  const updates = candidates.flatMap((row) => {
    const columns = protectedColumns(row, box);
    return columns === undefined ? [] : [{ id: row.id, ...columns }];
  });
  if (updates.length === 0) return 0;
  const before = db.pragma("secure_delete", { simple: true }) as number;
  db.pragma("secure_delete = ON");
  try {
    const update = sql("UPDATE endpoints SET url = @url, sealed_url = @sealedUrl WHERE id = @id");
    for (const u of updates) update.run(u);
  } finally {
    db.pragma(`secure_delete = ${before === 1 ? "ON" : "OFF"}`);
  }
  return updates.length;
}
