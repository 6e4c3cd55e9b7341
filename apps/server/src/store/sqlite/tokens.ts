/** SQLite statements for stored API tokens and portal codes. Each function runs inside the caller's transaction. */
import { TOKEN_COLUMNS, toToken, type TokenRow } from "../token-rows.js";
import type { NewPortalCode, NewToken, TokenRecord } from "../store.js";
import type { Sql } from "./connection.js";

export function createToken(sql: Sql, t: NewToken): TokenRecord {
  const row = sql(
    `INSERT INTO tokens (id, hash, tenant, access, description, expires_at, created_at)
     VALUES (@id, @hash, @tenant, @access, @description, @expiresAt, @now) RETURNING ${TOKEN_COLUMNS}`,
  ).get(t) as TokenRow;
  return toToken(row);
}

export function tokenByHash(sql: Sql, hash: string): TokenRecord | undefined {
  const row = sql(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE hash = ?`).get(hash) as TokenRow | undefined;
  return row === undefined ? undefined : toToken(row);
}

export function revokeToken(sql: Sql, id: string, now: number): boolean {
  return sql("UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").run(now, id).changes > 0;
}

export function touchToken(sql: Sql, id: string, now: number, minIntervalMs: number): void {
  sql("UPDATE tokens SET last_used_at = @now WHERE id = @id AND (last_used_at IS NULL OR last_used_at <= @now - @gap)").run({
    id,
    now,
    gap: minIntervalMs,
  });
}

export function createPortalCode(sql: Sql, c: NewPortalCode): void {
  sql(
    `INSERT INTO portal_codes (hash, tenant, access, session_ms, expires_at, created_at)
     VALUES (@hash, @tenant, @access, @sessionMs, @expiresAt, @now)`,
  ).run(c);
}

export function redeemPortalCode(
  sql: Sql,
  hash: string,
  session: { id: string; hash: string; description: string; now: number },
): TokenRecord | undefined {
  const code = sql(
    "UPDATE portal_codes SET used_at = @now WHERE hash = @hash AND used_at IS NULL AND expires_at > @now RETURNING tenant, access, session_ms",
  ).get({ hash, now: session.now }) as { tenant: string; access: "read" | "write"; session_ms: number } | undefined;
  if (code === undefined) return undefined;
  return createToken(sql, {
    id: session.id,
    hash: session.hash,
    tenant: code.tenant,
    access: code.access,
    description: session.description,
    expiresAt: session.now + code.session_ms,
    now: session.now,
  });
}
