/**
 * The delivery schedule across endpoints, shared by every store so both backends take turns the same
 * way. Each endpoint carries one number, its turn (`endpoints.turn_at`, epoch ms):
 *
 * - `turn <= now`: the endpoint is in line; claims serve endpoints in turn order, a bounded number
 *   per claim (an index on the turn), so a claim never looks at endpoints whose work is not due.
 * - `turn > now`: nothing is due before then (a retry, the next rate-limit token).
 * - `null`: nothing pending. Leases are not part of the turn: a store finds expired ones by their own
 *   index and puts their endpoints back in line.
 *
 * The turn is a lower bound: an endpoint may come up with nothing to claim (its work finished
 * meanwhile); the claim then moves it to its real next time. It is never later than the endpoint's
 * earliest queued delivery, so no due delivery waits for a turn that never comes.
 *
 * Fairness: an endpoint that was served and still has due work goes to the back of the line (turn =
 * now). First attempts go FRESH_HEAD_START_MS ahead of that: an endpoint that receives fresh work (an
 * event, a replay, a recovery) while out of line, or whose next due delivery is a first attempt when
 * it rejoins, overtakes every retry that came due, and every backlog of retries that rejoined the
 * line, within that window. So a backlog of failing retries delays a first attempt by at most one
 * turn of each endpoint that has waited longer than the head start, and a retry is overtaken by
 * first attempts for at most the head start.
 */

/** How far ahead of `now` fresh work enters the line (also the longest a backlog can be overtaken by it). */
export const FRESH_HEAD_START_MS = 10_000;

/**
 * The turn for work that becomes due at `dueAt` (`fresh`: an event, replay or recovery; otherwise a
 * retry or a released lease). A store applies it only where the endpoint's current turn is null or
 * later than `turnApplies(…)`: an endpoint already in line keeps its place.
 */
export function arrivalTurn(dueAt: number, fresh: boolean): number {
  return fresh ? dueAt - FRESH_HEAD_START_MS : dueAt;
}

/** The arrival replaces a current turn later than this (an endpoint already in line is left alone). */
export function turnApplies(arrival: number, now: number): number {
  return Math.max(arrival, now);
}

export interface AfterClaim {
  readonly now: number;
  /** Earliest `next_attempt_at` among the endpoint's pending deliveries after the claim. */
  readonly earliest: number | null;
  /** Whether that earliest delivery is a first attempt (of its run: replays and recoveries count). */
  readonly fresh?: boolean;
  /** When the endpoint may send again under its shared rate limit, when it has no token now. */
  readonly tokenAt?: number | null;
  /**
   * Whether the store may move the endpoint out of line. PostgreSQL says no while another
   * transaction is adding deliveries to it (it cannot see them yet).
   */
  readonly mayPark?: boolean;
}

/**
 * A first attempt due this little after the claim's `now` counts as due: it was written by a request
 * that read the clock after the claim did (or on another instance). Parked at its due time, it would
 * come back as a retry would, without its head start.
 */
export const FRESH_SKEW_MS = 1000;

/** The endpoint's turn after a claim looked at it. */
export function turnAfterClaim(c: AfterClaim): number | null {
  const due = c.earliest !== null && (c.earliest <= c.now || (c.fresh === true && c.earliest <= c.now + FRESH_SKEW_MS));
  if (due) {
    if (c.tokenAt !== undefined && c.tokenAt !== null && c.tokenAt > c.now) return c.tokenAt;
    return arrivalTurn(c.now, c.fresh === true);
  }
  // Deliveries are being added to it right now (that is what stops a park): fresh work, so it stays in line as such.
  if (c.mayPark === false) return arrivalTurn(c.now, true);
  return c.earliest;
}
