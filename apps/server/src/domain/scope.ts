/**
 * What a credential may do: the one place with the rules of scoped tokens (apps/server/README.md,
 * "Tokens and the consumer portal"). Routes apply them through src/http/scope.ts.
 *
 * - The admin API key may do everything.
 * - A stored token has `access` read (GET/HEAD only, and no secrets) or write, and a `tenant` (or
 *   null: every tenant). A tenant token sees only its tenant's endpoints and events, and the
 *   deliveries and attempts of its tenant's events; anything else is "not found", never "forbidden",
 *   so a tenant learns nothing about another's ids.
 * - Routes declare what they need (`RouteAccess`); a route that declares nothing is admin-only
 *   (deny by default).
 */

export type TokenAccess = "read" | "write";

export type Principal =
  | { readonly kind: "admin" }
  | {
      readonly kind: "token";
      readonly id: string;
      readonly access: TokenAccess;
      /** null = every tenant. */
      readonly tenant: string | null;
      readonly expiresAt: number | null;
    };

/**
 * What a route needs: `admin` = the admin API key only; `read` = any credential (tenant tokens see
 * their rows only); `write` = a write credential. `allTenants` routes show data across tenants that
 * cannot be cut to one (e.g. the subscribers of a version): tenant tokens do not reach them.
 */
export interface RouteAccess {
  readonly access: "admin" | "read" | "write";
  readonly allTenants?: boolean;
}

export type Refusal =
  /** Answer exactly like a missing route or row. */
  { readonly refused: "not_found" } | { readonly refused: "read_only" } | { readonly refused: "admin_only" };

/**
 * Whether `principal` may call a route declaring `route` (undefined = nothing declared: admin-only).
 * Tenant tokens get "not found" for routes they never reach; all-tenant tokens are told the admin key
 * is needed. A read token asking a write route is refused before any row is read, so the refusal says
 * nothing about rows.
 */
export function routeRefusal(principal: Principal, route: RouteAccess | undefined): Refusal | undefined {
  if (principal.kind === "admin") return undefined;
  const access = route?.access ?? "admin";
  if (access === "admin") return principal.tenant === null ? { refused: "admin_only" } : { refused: "not_found" };
  if (route?.allTenants === true && principal.tenant !== null) return { refused: "not_found" };
  if (access === "write" && principal.access !== "write") return { refused: "read_only" };
  return undefined;
}

/** The tenant a principal is confined to; null = every tenant. */
export function confinedTo(principal: Principal): string | null {
  return principal.kind === "admin" ? null : principal.tenant;
}

/** Whether a row of `rowTenant` is visible to (and, with write access, changeable by) `principal`. */
export function seesTenant(principal: Principal, rowTenant: string | null): boolean {
  const own = confinedTo(principal);
  return own === null || own === rowTenant;
}

/**
 * The tenant filter of a list. A tenant token's lists are always filtered to its tenant; asking for
 * another tenant gives an empty list ("none"), exactly like a tenant with no rows.
 */
export function listTenant(principal: Principal, requested: string | undefined): { tenant?: string } | "none" {
  const own = confinedTo(principal);
  if (own === null) return requested === undefined ? {} : { tenant: requested };
  if (requested !== undefined && requested !== own) return "none";
  return { tenant: own };
}

/**
 * The tenant a new or changed row gets. A tenant token's rows always belong to its tenant: omitted
 * means its tenant, anything else (another tenant, or null = none) is a mismatch.
 */
export function tenantToWrite(
  principal: Principal,
  given: string | null | undefined,
): { readonly tenant: string | null | undefined } | { readonly mismatch: string } {
  const own = confinedTo(principal);
  if (own === null) return { tenant: given };
  if (given === undefined || given === own) return { tenant: own };
  return { mismatch: own };
}
