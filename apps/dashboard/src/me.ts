import { ApiError, get } from "./api.js";
import type { Me } from "./types.js";

export const DEFAULT_BRAND = { title: "Webhooks", color: "#4f46e5" };

/** Who the session is. A server without GET /v1/me (before scoped tokens) only knows the admin key. */
export async function whoAmI(): Promise<Me> {
  try {
    return await get<Me>("/v1/me");
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    await get("/v1/endpoints", { limit: "1" });
    return { kind: "admin", access: "write", tenant: null, expiresAt: null, portal: DEFAULT_BRAND };
  }
}
