/**
 * List pages, bounded by count and by bytes (the one place with the rule; both backends use it).
 *
 * Every list reads in two steps: first the position and the stored size of up to `limit + 1` rows
 * (the database knows a value's length without reading it, so this costs no payload bytes), then,
 * in full, only the rows that `cutPage` keeps. A page of 250 events over 256 KiB payloads therefore
 * reads about `maxBytes` of payloads, not 64 MB.
 */

/** What every list takes: where to start, and the two bounds of one page. */
export interface PageRequest {
  readonly after?: number;
  /** Most rows. */
  readonly limit: number;
  /**
   * Most stored bytes of the rows' sized fields (event envelopes, attempt response bodies, endpoint
   * URL/event types/description/metadata, delivery failure reasons), except that a page always
   * holds at least one row however large.
   */
  readonly maxBytes: number;
}

/** One page of a list, cut by count and by bytes (see `PageRequest` and `cutPage`). */
export interface Page<T> {
  readonly rows: readonly T[];
  /** Position after the last row when more rows exist. */
  readonly next: number | null;
}

export interface Sized {
  readonly seq: number;
  readonly size: number;
}

/**
 * The rows of one page from `limit + 1` sized rows in list order: rows are taken while the page has
 * room for them by count and by bytes (the first row always), and `next` is the last taken row's
 * position when any row was left out, so the cursor continues exactly after the page.
 */
export function cutPage(sized: readonly Sized[], limit: number, maxBytes: number): { seqs: number[]; next: number | null } {
  const seqs: number[] = [];
  let bytes = 0;
  for (const row of sized) {
    if (seqs.length === limit || (seqs.length > 0 && bytes + row.size > maxBytes)) break;
    seqs.push(row.seq);
    bytes += row.size;
  }
  return { seqs, next: seqs.length < sized.length ? (seqs[seqs.length - 1] ?? null) : null };
}

/** The full rows of a cut page (read by position, in any order) as the page, in the sized rows' order. */
export function pageOf<R extends { seq: number }, T>(
  cut: { seqs: readonly number[]; next: number | null },
  rows: readonly R[],
  map: (row: R) => T,
): Page<T> {
  const bySeq = new Map(rows.map((row) => [row.seq, row]));
  const kept: T[] = [];
  // A row removed between the two reads (retention, endpoint deletion) is simply left out.
  for (const seq of cut.seqs) {
    const row = bySeq.get(seq);
    if (row !== undefined) kept.push(map(row));
  }
  return { rows: kept, next: cut.next };
}

/**
 * The first `limit + 1` distinct rows of a list read through a join that repeats rows (events
 * through their deliveries: an event with two failed deliveries comes twice). `read` returns up to
 * `take` sized rows in list order strictly past `from` (undefined: from the start); chunks are read
 * until enough distinct rows or the end of the list.
 */
export async function distinctSized(
  read: (from: number | undefined, take: number) => Sized[] | Promise<Sized[]>,
  from: number | undefined,
  limit: number,
): Promise<Sized[]> {
  const out: Sized[] = [];
  const seen = new Set<number>();
  const take = Math.max(64, (limit + 1) * 4);
  let position = from;
  for (;;) {
    const chunk = await read(position, take);
    for (const row of chunk) {
      if (seen.has(row.seq)) continue;
      seen.add(row.seq);
      out.push(row);
      if (out.length === limit + 1) return out;
    }
    const last = chunk[chunk.length - 1];
    // Past the last row read: its repeats, if any, were cut by the chunk and need not be read.
    if (chunk.length < take || last === undefined) return out;
    position = last.seq;
  }
}
