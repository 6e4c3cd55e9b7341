/** Issuing a stored API token: shared by `POST /v1/tokens` and `hookline-server create-token`. */
import type { Store, TokenAccess, TokenRecord } from "./store/store.js";
import { newId, newToken, secretDigest } from "./util/ids.js";

/** Bounds of a token's lifetime, seconds. */
export const TOKEN_MIN_LIFETIME_S = 60;
export const TOKEN_MAX_LIFETIME_S = 31_536_000;

export interface TokenRequest {
  readonly tenant: string | null;
  readonly access: TokenAccess;
  readonly description: string | null;
  readonly expiresAt: number | null;
}

/** Creates the token; the returned `token` is the only copy of the secret (only its SHA-256 is stored). */
export async function issueToken(store: Store, request: TokenRequest, now: number): Promise<{ token: string; record: TokenRecord }> {
  const token = newToken();
  const record = await store.createToken({ id: newId("tok", now), hash: secretDigest(token), ...request, now });
  return { token, record };
}
