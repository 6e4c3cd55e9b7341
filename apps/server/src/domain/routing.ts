/**
 * Which endpoints receive an event. Shared by every store so fan-out is the same on each backend.
 *
 * - `eventTypes` null: every type. Otherwise an exact type (`order.shipped`) or a trailing wildcard
 *   (`order.*`, any type starting with `order.`).
 * - Tenants: an endpoint with a tenant receives only events sent with that tenant; one without a
 *   tenant receives only events sent without one.
 */
export function endpointReceives(
  endpoint: { eventTypes: readonly string[] | null; tenant: string | null },
  event: { type: string; tenant: string | null },
): boolean {
  if (endpoint.tenant !== event.tenant) return false;
  if (endpoint.eventTypes === null) return true;
  return endpoint.eventTypes.some((pattern) => typeMatches(pattern, event.type));
}

export function typeMatches(pattern: string, type: string): boolean {
  return pattern.endsWith(".*") ? type.startsWith(pattern.slice(0, -1)) : pattern === type;
}
