/**
 * SQLite statements for endpoint secrets and sealed URLs (kept out of sqlite-store.ts, which is
 * already long). Each function runs inside the caller's transaction.
 */
import type Database from "better-sqlite3";
import { planRotation } from "../../domain/rotation.js";
import { protectedColumns } from "../endpoint-urls.js";
import type { SecretBox } from "../secret-box.js";
import type { EndpointRecord, PreviousSecret, RotateResult } from "../store.js";

type Sql = (source: string) => Database.Statement;

/** Unsealed rows whose URL can hold a secret at all: user info needs `@`, a query `?`, a fragment `#`. */
const MAY_HIDE = "(sealed_url IS NULL AND (url LIKE '%@%' OR url LIKE '%?%' OR url LIKE '%#%'))";

export function rotateSecret(
  sql: Sql,
  box: SecretBox,
  read: (id: string) => EndpointRecord,
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
  return { outcome: "rotated", endpoint: read(r.id), expired: plan.expired.length };
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
