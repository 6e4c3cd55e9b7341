/**
 * Secret rotation: the outgoing secret keeps signing for a grace period, next to the new one and to
 * earlier secrets still in theirs. The list is bounded (each secret adds a signature to every
 * delivery and an HMAC to every attempt), and a rotation never drops a secret that is still valid
 * unless the caller asked for it: receivers may still verify with it.
 */
export const MAX_PREVIOUS_SECRETS = 10;

export interface Expiring {
  readonly expiresAt: number;
}

export type RotationPlan<T extends Expiring> =
  /** `previous` is the new list (the outgoing secret first); `expired` the valid ones dropped on request. */
  | { readonly ok: true; readonly previous: T[]; readonly expired: T[] }
  /** Refused: `valid` are the previous secrets still in their grace period, soonest expiry first. */
  | { readonly ok: false; readonly valid: T[] };

/**
 * @param outgoing the current secret with its grace expiry; undefined for a rotation without grace.
 * @param expireOldest when the list is full, drop the previous secrets closest to their expiry (with
 *   equal grace periods, the oldest) instead of refusing. The outgoing secret is never the one dropped.
 */
export function planRotation<T extends Expiring>(input: {
  previous: readonly T[];
  outgoing: T | undefined;
  now: number;
  expireOldest: boolean;
  limit?: number;
}): RotationPlan<T> {
  const limit = input.limit ?? MAX_PREVIOUS_SECRETS;
  // Expired ones are dropped silently: nothing signs with them any more.
  const valid = input.previous.filter((p) => p.expiresAt > input.now);
  const room = input.outgoing === undefined ? limit : limit - 1;
  if (valid.length <= room) return { ok: true, previous: input.outgoing === undefined ? valid : [input.outgoing, ...valid], expired: [] };
  const bySoonest = [...valid].sort((a, b) => a.expiresAt - b.expiresAt);
  if (!input.expireOldest) return { ok: false, valid: bySoonest };
  const expired = bySoonest.slice(0, valid.length - room);
  const kept = valid.filter((p) => !expired.includes(p));
  return { ok: true, previous: input.outgoing === undefined ? kept : [input.outgoing, ...kept], expired };
}
