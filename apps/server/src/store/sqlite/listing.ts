/**
 * The SQLite lists (events, deliveries, attempts, endpoints), each bounded by count and by bytes
 * (src/store/paging.ts): sizes first (`octet_length` reads a stored value's length, not the value),
 * then the rows that fit, by position.
 */
import { cutPage, distinctSized, pageOf, type PageRequest, type Sized } from "../paging.js";
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
import type { AttemptRecord, DeliveryQuery, DeliveryRecord, EndpointRecord, EventQuery, EventRecord, Page, TokenRecord } from "../store.js";
import { TOKEN_COLUMNS, toToken, type TokenRow } from "../token-rows.js";
import type { Sql } from "./connection.js";
import { ENDPOINT_SELECT } from "./pins.js";

/** What counts toward a page's byte budget, per list: the values whose size the client does not bound. */
const SIZE = {
  events: "octet_length(e.body)",
  deliveries: "COALESCE(octet_length(failure_reason), 0)",
  attempts:
    "octet_length(response_body) + COALESCE(octet_length(error_message), 0) + COALESCE(octet_length(request_headers), 0) + COALESCE(octet_length(response_headers), 0)",
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
  indexedBy = "",
): Page<T> {
  const sized = sql(
    `SELECT seq, ${SIZE[table]} AS size FROM ${table} ${indexedBy} WHERE ${where.join(" AND ")} ORDER BY seq ${order} LIMIT @take`,
  ).all({ ...params, take: query.limit + 1 }) as Sized[];
  return readPage(sql, table, columns, sized, query, map);
}

function readPage<R extends { seq: number }, T>(
  sql: Sql,
  table: string,
  columns: string,
  sized: readonly Sized[],
  query: PageRequest,
  map: (row: R) => T,
): Page<T> {
  const cut = cutPage(sized, query.limit, query.maxBytes);
  if (cut.seqs.length === 0) return { rows: [], next: null };
  const rows = sql(`SELECT ${columns} FROM ${table} WHERE seq IN (SELECT value FROM json_each(?))`).all(JSON.stringify(cut.seqs)) as R[];
  return pageOf(cut, rows, map);
}

/**
 * Events in position order (oldest first unless `order: "desc"`). Plain filters range over
 * events_type / events_tenant / the primary key. An endpoint, or a status without a type or tenant,
 * reads the deliveries' (endpoint_id|status, event_seq) index in event order and joins each event by
 * key; a status next to a type or tenant (a portal's "my failed events") walks that events index
 * and probes (status, event_seq) per event instead, since the status alone may match most deliveries.
 */
export async function listEvents(sql: Sql, query: EventQuery): Promise<Page<EventRecord>> {
  const desc = query.order === "desc";
  const events: string[] = [];
  if (query.type !== undefined) events.push("e.type = @type");
  if (query.tenant !== undefined) events.push("e.tenant = @tenant");
  if (query.since !== undefined) events.push("e.created_at >= @since");
  if (query.until !== undefined) events.push("e.created_at < @until");
  const params = {
    type: query.type ?? null,
    tenant: query.tenant ?? null,
    since: query.since ?? null,
    until: query.until ?? null,
    status: query.status ?? null,
    endpointId: query.endpointId ?? null,
  };
  const map = (row: EventRow): EventRecord => toEvent(row);
  if (query.endpointId === undefined && (query.status === undefined || query.type !== undefined || query.tenant !== undefined)) {
    if (query.status !== undefined)
      events.push(
        "EXISTS (SELECT 1 FROM deliveries d INDEXED BY deliveries_status_event WHERE d.status = @status AND d.event_seq = e.seq)",
      );
    const where = [desc ? "e.seq < @from" : "e.seq > @from", ...events];
    const from = query.after ?? (desc ? Number.MAX_SAFE_INTEGER : 0);
    // The index of the equality filter, walked in position order (rowid is its last column).
    // The tenant's first: tenants are usually many, types few.
    const index = query.tenant !== undefined ? "INDEXED BY events_tenant" : query.type !== undefined ? "INDEXED BY events_type" : "";
    const sized = sql(
      `SELECT e.seq, ${SIZE.events} AS size FROM events e ${index} WHERE ${where.join(" AND ")} ORDER BY e.seq ${desc ? "DESC" : "ASC"} LIMIT @take`,
    ).all({ ...params, from, take: query.limit + 1 }) as Sized[];
    return readPage(sql, "events", EVENT_COLUMNS, sized, query, map);
  }
  const deliveries: string[] = [];
  if (query.status !== undefined) deliveries.push("d.status = @status");
  if (query.endpointId !== undefined) deliveries.push("d.endpoint_id = @endpointId");
  const index = query.endpointId !== undefined ? "deliveries_endpoint_event" : "deliveries_status_event";
  // CROSS JOIN keeps deliveries the outer loop, read in event order from the index.
  const chunk = sql(
    `SELECT d.event_seq AS seq, octet_length(e.body) AS size FROM deliveries d INDEXED BY ${index} CROSS JOIN events e ON e.seq = d.event_seq
     WHERE ${[...deliveries, desc ? "d.event_seq < @from" : "d.event_seq > @from", ...events].join(" AND ")}
     ORDER BY d.event_seq ${desc ? "DESC" : "ASC"} LIMIT @take`,
  );
  const sized = await distinctSized(
    (from, take) => chunk.all({ ...params, from: from ?? (desc ? Number.MAX_SAFE_INTEGER : 0), take }) as Sized[],
    query.after,
    query.limit,
  );
  return readPage(sql, "events", EVENT_COLUMNS, sized, query, map);
}

/** Deliveries, newest first, through the index of the most selective filter given. */
export function findDeliveries(sql: Sql, query: DeliveryQuery): Page<DeliveryRecord & { seq: number }> {
  const where = ["seq < @before"];
  if (query.status !== undefined) where.push("status = @status");
  if (query.endpointId !== undefined) where.push("endpoint_id = @endpointId");
  if (query.eventId !== undefined) where.push("event_id = @eventId");
  if (query.tenant !== undefined) where.push("tenant = @tenant");
  if (query.since !== undefined) where.push("created_at >= @since");
  if (query.until !== undefined) where.push("created_at < @until");
  if (query.updatedAfter !== undefined) where.push("updated_at > @updatedAfter");
  const params = {
    before: query.after ?? Number.MAX_SAFE_INTEGER,
    status: query.status ?? null,
    endpointId: query.endpointId ?? null,
    eventId: query.eventId ?? null,
    tenant: query.tenant ?? null,
    since: query.since ?? null,
    until: query.until ?? null,
    updatedAfter: query.updatedAfter ?? null,
  };
  return listPage(
    sql,
    "deliveries",
    DELIVERY_COLUMNS,
    where,
    "DESC",
    params,
    query,
    (row: DeliveryRow) => ({ ...toDelivery(row), seq: row.seq }),
    deliveryIndex(query),
  );
}

/**
 * An event's few deliveries (its unique key), recent changes (polling reads only what changed),
 * an endpoint's, a tenant's or a status's deliveries in position order; else the primary key backwards.
 */
function deliveryIndex(query: DeliveryQuery): string {
  if (query.eventId !== undefined) return "";
  if (query.updatedAfter !== undefined) return "INDEXED BY deliveries_updated";
  if (query.endpointId !== undefined) return "INDEXED BY deliveries_endpoint_seq";
  if (query.tenant !== undefined) return "INDEXED BY deliveries_tenant";
  if (query.status !== undefined) return "INDEXED BY deliveries_status";
  return "";
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
