/** PostgreSQL statements for stored API tokens and portal codes. */
import { TOKEN_COLUMNS, toToken, type TokenRow } from "../token-rows.js";
import type { NewPortalCode, NewToken, TokenRecord } from "../store.js";
import { first, type PgConnection, type Query } from "./connection.js";

const INSERT_TOKEN = `INSERT INTO tokens (id, hash, tenant, access, description, expires_at, created_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${TOKEN_COLUMNS}`;

const tokenValues = (t: NewToken): unknown[] => [t.id, t.hash, t.tenant, t.access, t.description, t.expiresAt, t.now];

export async function createToken(db: PgConnection, t: NewToken): Promise<TokenRecord> {
  return toToken(first(await db.write<TokenRow & Record<string, unknown>>(INSERT_TOKEN, tokenValues(t)), "new token"));
}

export async function tokenByHash(query: Query, hash: string): Promise<TokenRecord | undefined> {
  const row = (await query<TokenRow & Record<string, unknown>>(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE hash = $1`, [hash]))[0];
  return row === undefined ? undefined : toToken(row);
}

export async function revokeToken(db: PgConnection, id: string, now: number): Promise<boolean> {
  return (await db.write("UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING id", [now, id])).length > 0;
}

/** Not durable on purpose (a lost last-used time is harmless): a plain autocommit statement. */
export async function touchToken(query: Query, id: string, now: number, minIntervalMs: number): Promise<void> {
  await query("UPDATE tokens SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at <= $3)", [
    now,
    id,
    now - minIntervalMs,
  ]);
}

export async function createPortalCode(db: PgConnection, c: NewPortalCode): Promise<void> {
  await db.write("INSERT INTO portal_codes (hash, tenant, access, session_ms, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6)", [
    c.hash,
    c.tenant,
    c.access,
    c.sessionMs,
    c.expiresAt,
    c.now,
  ]);
}

/** The UPDATE … WHERE used_at IS NULL locks the code row: of two concurrent exchanges, one finds it used. */
export async function redeemPortalCode(
  db: PgConnection,
  hash: string,
  session: { id: string; hash: string; description: string; now: number },
): Promise<TokenRecord | undefined> {
  return db.tx(async (client) => {
    const code = (
      await client.query<{ tenant: string; access: "read" | "write"; session_ms: string | number }>(
        "UPDATE portal_codes SET used_at = $1 WHERE hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING tenant, access, session_ms",
        [session.now, hash],
      )
    ).rows[0];
    if (code === undefined) return undefined;
    const token: NewToken = {
      id: session.id,
      hash: session.hash,
      tenant: code.tenant,
      access: code.access,
      description: session.description,
      expiresAt: session.now + Number(code.session_ms),
      now: session.now,
    };
    return toToken(first((await client.query<TokenRow>(INSERT_TOKEN, tokenValues(token))).rows, "session token"));
  });
}
