/**
 * The SQLite lists (events, deliveries, attempts, endpoints), each bounded by count and by bytes
 * (src/store/paging.ts): sizes first (`octet_length` reads a stored value's length, not the value),
 * then the rows that fit, by position.
 */
import { cutPage, pageOf, type PageRequest, type Sized } from "../paging.js";
import {
  ATTEMPT_COLUMNS,
  DELIVERY_COLUMNS,
  EVENT_COLUMNS,
  toAttempt,
  toDelivery,
  toEndpoint,
  toEvent,
  type AttemptRow,
  type DeliveryRow,
  type EndpointRow,
  type EventRow,
} from "../rows.js";
import type { AttemptRecord, DeliveryRecord, DeliveryStatus, EndpointRecord, EventRecord, Page, TokenRecord } from "../store.js";
import { TOKEN_COLUMNS, toToken, type TokenRow } from "../token-rows.js";
import type { Sql } from "./connection.js";
import { ENDPOINT_SELECT } from "./pins.js";

/** What counts toward a page's byte budget, per list: the values whose size the client does not bound. */
const SIZE = {
  events: "octet_length(body)",
  deliveries: "COALESCE(octet_length(failure_reason), 0)",
  attempts: "octet_length(response_body) + COALESCE(octet_length(error_message), 0)",
  endpoints: "octet_length(url) + COALESCE(octet_length(event_types), 0) + COALESCE(octet_length(description), 0) + octet_length(metadata)",
  tokens: "COALESCE(octet_length(description), 0)",
} as const;

/** Rows of `table` (with an `event_id`) whose event belongs to the tenant `@tenant`: how deliveries and attempts are scoped. */
const OF_TENANT = (table: string): string => `EXISTS (SELECT 1 FROM events e WHERE e.id = ${table}.event_id AND e.tenant = @tenant)`;

/** Sizes of up to `limit + 1` rows of `table` matching `where` in `order`, the page cut from them, and the kept rows read in full. */
function listPage<R extends { seq: number }, T>(
  sql: Sql,
  table: keyof typeof SIZE,
  columns: string,
  where: readonly string[],
  order: "ASC" | "DESC",
  params: Record<string, unknown>,
  query: PageRequest,
  map: (row: R) => T,
): Page<T> {
  const sized = sql(`SELECT seq, ${SIZE[table]} AS size FROM ${table} WHERE ${where.join(" AND ")} ORDER BY seq ${order} LIMIT @take`).all({
    ...params,
    take: query.limit + 1,
  }) as Sized[];
  const cut = cutPage(sized, query.limit, query.maxBytes);
  if (cut.seqs.length === 0) return { rows: [], next: null };
  const rows = sql(`SELECT ${columns} FROM ${table} WHERE seq IN (SELECT value FROM json_each(?))`).all(JSON.stringify(cut.seqs)) as R[];
  return pageOf(cut, rows, map);
}

export function listEvents(sql: Sql, query: PageRequest & { type?: string; tenant?: string; since?: number }): Page<EventRecord> {
  const where = ["seq > @after"];
  if (query.type !== undefined) where.push("type = @type");
  if (query.tenant !== undefined) where.push("tenant = @tenant");
  if (query.since !== undefined) where.push("created_at >= @since");
  const params = { after: query.after ?? 0, type: query.type ?? null, tenant: query.tenant ?? null, since: query.since ?? null };
  return listPage(sql, "events", EVENT_COLUMNS, where, "ASC", params, query, (row: EventRow) => toEvent(row));
}

export function findDeliveries(
  sql: Sql,
  query: PageRequest & { status?: DeliveryStatus; endpointId?: string; tenant?: string },
): Page<DeliveryRecord & { seq: number }> {
  const where = ["seq < @before"];
  if (query.status !== undefined) where.push("status = @status");
  if (query.endpointId !== undefined) where.push("endpoint_id = @endpointId");
  if (query.tenant !== undefined) where.push(OF_TENANT("deliveries"));
  const params = {
    before: query.after ?? Number.MAX_SAFE_INTEGER,
    status: query.status ?? null,
    endpointId: query.endpointId ?? null,
    tenant: query.tenant ?? null,
  };
  return listPage(sql, "deliveries", DELIVERY_COLUMNS, where, "DESC", params, query, (row: DeliveryRow) => ({
    ...toDelivery(row),
    seq: row.seq,
  }));
}

export function listAttempts(
  sql: Sql,
  query: PageRequest & { eventId?: string; endpointId?: string; tenant?: string },
): Page<AttemptRecord> {
  const where = ["seq < @before"];
  if (query.eventId !== undefined) where.push("event_id = @eventId");
  if (query.endpointId !== undefined) where.push("endpoint_id = @endpointId");
  if (query.tenant !== undefined) where.push(OF_TENANT("attempts"));
  const params = {
    before: query.after ?? Number.MAX_SAFE_INTEGER,
    eventId: query.eventId ?? null,
    endpointId: query.endpointId ?? null,
    tenant: query.tenant ?? null,
  };
  return listPage(sql, "attempts", ATTEMPT_COLUMNS, where, "DESC", params, query, (row: AttemptRow) => toAttempt(row));
}

export function listEndpoints(sql: Sql, query: PageRequest & { tenant?: string; disabled?: boolean }): Page<EndpointRecord> {
  const where = ["deleted_at IS NULL", "seq > @after"];
  if (query.tenant !== undefined) where.push("tenant = @tenant");
  if (query.disabled !== undefined) where.push("disabled = @disabled");
  const params = { after: query.after ?? 0, tenant: query.tenant ?? null, disabled: query.disabled === true ? 1 : 0 };
  return listPage(sql, "endpoints", ENDPOINT_SELECT, where, "ASC", params, query, (row: EndpointRow) => toEndpoint(row));
}

export function listTokens(sql: Sql, query: PageRequest): Page<TokenRecord> {
  const where = ["revoked_at IS NULL", "seq > @after"];
  return listPage(sql, "tokens", TOKEN_COLUMNS, where, "ASC", { after: query.after ?? 0 }, query, (row: TokenRow) => toToken(row));
}
