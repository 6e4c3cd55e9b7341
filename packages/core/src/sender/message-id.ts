const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * `msg_` + a ULID: 10 characters of millisecond time then 16 of randomness (80 bits), so ids sort
 * roughly by creation time and collide with negligible probability.
 */
export function generateMessageId(nowMs: number): string {
  let time = "";
  let t = Math.max(0, Math.floor(nowMs));
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD.charAt(t % 32) + time;
    t = Math.floor(t / 32);
  }
  let random = "";
  for (const byte of crypto.getRandomValues(new Uint8Array(16))) random += CROCKFORD.charAt(byte % 32);
  return `msg_${time}${random}`;
}

/** The id rule: what the Hookline server accepts, and unambiguous inside `id.timestamp.body`. */
export function assertMessageId(id: string): void {
  if (!/^[A-Za-z0-9_-]{1,256}$/.test(id)) {
    throw new TypeError(`Invalid webhook id ${JSON.stringify(id.slice(0, 64))}: use 1–256 characters from A–Z a–z 0–9 _ - (no dots).`);
  }
}
