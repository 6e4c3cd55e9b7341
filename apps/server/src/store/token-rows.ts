/**
 * Stored API tokens and portal codes (migration 6): the row shape shared by both SQL backends and its
 * mapping to `TokenRecord`. Only the SHA-256 (hex) of a token or code is ever stored.
 */
import type { TokenAccess, TokenRecord } from "./store.js";

export const TOKEN_COLUMNS = "seq, id, tenant, access, description, expires_at, created_at, last_used_at, revoked_at";

export interface TokenRow {
  seq: number;
  id: string;
  tenant: string | null;
  access: string;
  description: string | null;
  expires_at: number | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export function toToken(row: TokenRow): TokenRecord {
  return {
    seq: Number(row.seq),
    id: row.id,
    tenant: row.tenant,
    access: row.access as TokenAccess,
    description: row.description,
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    createdAt: Number(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
  };
}
