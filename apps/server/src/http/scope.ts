/**
 * The scope rules (src/domain/scope.ts) as route helpers: rows of another tenant answer exactly like
 * missing ones, lists are filtered in the store query (so pages and counts never include other
 * tenants' rows), and a tenant token's new rows belong to its tenant.
 */
import type { FastifyRequest } from "fastify";
import { confinedTo, listTenant, type Principal, seesTenant, tenantToWrite } from "../domain/scope.js";
import type { EndpointRecord, EventRecord, Page } from "../store/store.js";
import type { HttpContext } from "./context.js";
import { ApiError, notFound } from "./errors.js";

export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === undefined) throw new Error(`route ${request.routeOptions.url ?? "(none)"} is public but reads a principal`);
  return request.principal;
}

/** The tenant the caller is confined to, or null (every tenant). */
export function confinedTenant(request: FastifyRequest): string | null {
  return confinedTo(principalOf(request));
}

/** The endpoint if the caller may see it, else the same 404 as a missing id. */
export async function visibleEndpoint(ctx: HttpContext, request: FastifyRequest, id: string): Promise<EndpointRecord> {
  const endpoint = await ctx.store.getEndpoint(id);
  if (endpoint === undefined || !seesTenant(principalOf(request), endpoint.tenant)) throw notFound("endpoint", id);
  return endpoint;
}

/**
 * For routes that act on an endpoint by id without reading it first: checks a tenant token's
 * endpoint is its own (404 otherwise); costs nothing for the admin key and all-tenant tokens.
 */
export async function checkEndpointScope(ctx: HttpContext, request: FastifyRequest, id: string | undefined): Promise<void> {
  if (id !== undefined && confinedTenant(request) !== null) await visibleEndpoint(ctx, request, id);
}

export async function visibleEvent(ctx: HttpContext, request: FastifyRequest, id: string): Promise<EventRecord> {
  const event = await ctx.store.getEvent(id);
  if (event === undefined || !seesTenant(principalOf(request), event.tenant)) throw notFound("event", id);
  return event;
}

export async function checkEventScope(ctx: HttpContext, request: FastifyRequest, id: string): Promise<void> {
  if (confinedTenant(request) !== null) await visibleEvent(ctx, request, id);
}

/**
 * Runs a list with the caller's tenant filter; a tenant token asking for another tenant gets an
 * empty page without a query.
 */
export async function scopedList<T>(
  request: FastifyRequest,
  requested: string | undefined,
  list: (tenant: { tenant?: string }) => Promise<Page<T>>,
): Promise<Page<T>> {
  const tenant = listTenant(principalOf(request), requested);
  return tenant === "none" ? { rows: [], next: null } : list(tenant);
}

/** The tenant to store for a new or changed row; 422 when a tenant token names another one. */
export function tenantForWrite(request: FastifyRequest, given: string | null | undefined): string | null | undefined {
  const decided = tenantToWrite(principalOf(request), given);
  if ("mismatch" in decided) {
    throw new ApiError(
      422,
      "tenant_mismatch",
      `This token is scoped to tenant ${JSON.stringify(decided.mismatch)}: leave tenant out or send ${JSON.stringify(decided.mismatch)}.`,
      [{ path: "/tenant", message: `must be ${JSON.stringify(decided.mismatch)}`, tenant: decided.mismatch }],
    );
  }
  return decided.tenant;
}
