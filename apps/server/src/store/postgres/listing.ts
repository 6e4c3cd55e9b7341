/**
 * The PostgreSQL lists (events, deliveries, attempts, endpoints), each bounded by count and by bytes
 * (src/store/paging.ts): sizes first (`octet_length` of a TOASTed value reads its header, not the
 * value), then the rows that fit, by position.
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
import type { Query } from "./connection.js";
import { ENDPOINT_SELECT } from "./pins.js";

/** What counts toward a page's byte budget, per list: the values whose size the client does not bound. */
const SIZE = {
  events: "octet_length(body)",
  deliveries: "COALESCE(octet_length(failure_reason), 0)",
  attempts:
    "octet_length(response_body) + COALESCE(octet_length(error_message), 0) + COALESCE(octet_length(request_headers), 0) + COALESCE(octet_length(response_headers), 0)",
  endpoints: "octet_length(url) + COALESCE(octet_length(event_types), 0) + COALESCE(octet_length(description), 0) + octet_length(metadata)",
  tokens: "COALESCE(octet_length(description), 0)",
} as const;

/** Rows of `table` (with an `event_id`) whose event belongs to `tenant`: how deliveries and attempts are scoped. */
const ofTenant = (table: string, tenant: string): string =>
  `EXISTS (SELECT 1 FROM events e WHERE e.id = ${table}.event_id AND e.tenant = ${tenant})`;

/** Positional parameters for statements built from optional filters. */
export class Params {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

async function listPage<R extends { seq: number }, T>(
  query: Query,
  table: keyof typeof SIZE,
  columns: string,
  where: (p: Params) => string[],
  order: "ASC" | "DESC",
  page: PageRequest,
  map: (row: R) => T,
): Promise<Page<T>> {
  const p = new Params();
  const conditions = where(p).join(" AND ");
  const sized = await query<{ seq: number; size: number }>(
    `SELECT seq, ${SIZE[table]}::bigint AS size FROM ${table} WHERE ${conditions} ORDER BY seq ${order} LIMIT ${p.add(page.limit + 1)}`,
    p.values,
  );
  return readPage(query, table, columns, sized as Sized[], page, map);
}

async function readPage<R extends { seq: number }, T>(
  query: Query,
  table: string,
  columns: string,
  sized: readonly Sized[],
  page: PageRequest,
  map: (row: R) => T,
): Promise<Page<T>> {
  const cut = cutPage(sized, page.limit, page.maxBytes);
  if (cut.seqs.length === 0) return { rows: [], next: null };
  const rows = await query<R & Record<string, unknown>>(`SELECT ${columns} FROM ${table} WHERE seq = ANY ($1::bigint[])`, [cut.seqs]);
  return pageOf(cut, rows, map);
}

/**
 * Events in position order (oldest first unless `order: "desc"`). Plain filters range over
 * events_type / events_tenant / the primary key. An endpoint, or a status without a type or tenant,
 * reads the deliveries' (endpoint_id|status, event_seq) index in event order and joins each event by
 * key; a status next to a type or tenant (a portal's "my failed events") walks that events index
 * and probes (status, event_seq) per event instead, since the status alone may match most deliveries.
 */
export async function listEvents(query: Query, page: EventQuery): Promise<Page<EventRecord>> {
  const desc = page.order === "desc";
  const events = (p: Params): string[] => {
    const where: string[] = [];
    if (page.type !== undefined) where.push(`e.type = ${p.add(page.type)}`);
    if (page.tenant !== undefined) where.push(`e.tenant = ${p.add(page.tenant)}`);
    if (page.since !== undefined) where.push(`e.created_at >= ${p.add(page.since)}`);
    if (page.until !== undefined) where.push(`e.created_at < ${p.add(page.until)}`);
    return where;
  };
  const map = (row: EventRow): EventRecord => toEvent(row);
  const start = (from: number | undefined): number => from ?? (desc ? Number.MAX_SAFE_INTEGER : 0);
  if (page.endpointId === undefined && (page.status === undefined || page.type !== undefined || page.tenant !== undefined)) {
    const p = new Params();
    const where = [`e.seq ${desc ? "<" : ">"} ${p.add(start(page.after))}`, ...events(p)];
    if (page.status !== undefined)
      where.push(`EXISTS (SELECT 1 FROM deliveries d WHERE d.status = ${p.add(page.status)} AND d.event_seq = e.seq)`);
    const sized = await query<Sized>(
      `SELECT e.seq, octet_length(e.body)::bigint AS size FROM events e WHERE ${where.join(" AND ")}
       ORDER BY e.seq ${desc ? "DESC" : "ASC"} LIMIT ${p.add(page.limit + 1)}`,
      p.values,
    );
    return readPage(query, "events", EVENT_COLUMNS, sized, page, map);
  }
  const sized = await distinctSized(
    (from, take) => {
      const p = new Params();
      const where: string[] = [];
      if (page.status !== undefined) where.push(`d.status = ${p.add(page.status)}`);
      if (page.endpointId !== undefined) where.push(`d.endpoint_id = ${p.add(page.endpointId)}`);
      where.push(`d.event_seq ${desc ? "<" : ">"} ${p.add(start(from))}`, ...events(p));
      return query<Sized>(
        `SELECT d.event_seq AS seq, octet_length(e.body)::bigint AS size FROM deliveries d JOIN events e ON e.seq = d.event_seq
         WHERE ${where.join(" AND ")} ORDER BY d.event_seq ${desc ? "DESC" : "ASC"} LIMIT ${p.add(take)}`,
        p.values,
      );
    },
    page.after,
    page.limit,
  );
  return readPage(query, "events", EVENT_COLUMNS, sized, page, map);
}

/** Deliveries, newest first. */
export function findDeliveries(query: Query, page: DeliveryQuery): Promise<Page<DeliveryRecord & { seq: number }>> {
  return listPage(
    query,
    "deliveries",
    DELIVERY_COLUMNS,
    (p) => {
      const where = [`seq < ${p.add(page.after ?? Number.MAX_SAFE_INTEGER)}`];
      if (page.status !== undefined) where.push(`status = ${p.add(page.status)}`);
      if (page.endpointId !== undefined) where.push(`endpoint_id = ${p.add(page.endpointId)}`);
      if (page.eventId !== undefined) where.push(`event_id = ${p.add(page.eventId)}`);
      if (page.tenant !== undefined) where.push(`tenant = ${p.add(page.tenant)}`);
      if (page.since !== undefined) where.push(`created_at >= ${p.add(page.since)}`);
      if (page.until !== undefined) where.push(`created_at < ${p.add(page.until)}`);
      if (page.updatedAfter !== undefined) where.push(`updated_at > ${p.add(page.updatedAfter)}`);
      return where;
    },
    "DESC",
    page,
    (row: DeliveryRow) => ({ ...toDelivery(row), seq: row.seq }),
  );
}

export function listAttempts(
  query: Query,
  page: PageRequest & { eventId?: string; endpointId?: string; tenant?: string },
): Promise<Page<AttemptRecord>> {
  return listPage(
    query,
    "attempts",
    ATTEMPT_COLUMNS,
    (p) => {
      const where = [`seq < ${p.add(page.after ?? Number.MAX_SAFE_INTEGER)}`];
      if (page.eventId !== undefined) where.push(`event_id = ${p.add(page.eventId)}`);
      if (page.endpointId !== undefined) where.push(`endpoint_id = ${p.add(page.endpointId)}`);
      if (page.tenant !== undefined) where.push(ofTenant("attempts", p.add(page.tenant)));
      return where;
    },
    "DESC",
    page,
    (row: AttemptRow) => toAttempt(row),
  );
}

export function listEndpoints(query: Query, page: PageRequest & { tenant?: string; disabled?: boolean }): Promise<Page<EndpointRecord>> {
  return listPage(
    query,
    "endpoints",
    ENDPOINT_SELECT,
    (p) => {
      const where = ["deleted_at IS NULL", `seq > ${p.add(page.after ?? 0)}`];
      if (page.tenant !== undefined) where.push(`tenant = ${p.add(page.tenant)}`);
      if (page.disabled !== undefined) where.push(`disabled = ${p.add(page.disabled)}`);
      return where;
    },
    "ASC",
    page,
    (row: EndpointRow) => toEndpoint(row),
  );
}

export function listTokens(query: Query, page: PageRequest): Promise<Page<TokenRecord>> {
  return listPage(
    query,
    "tokens",
    TOKEN_COLUMNS,
    (p) => ["revoked_at IS NULL", `seq > ${p.add(page.after ?? 0)}`],
    "ASC",
    page,
    (row: TokenRow) => toToken(row),
  );
}
