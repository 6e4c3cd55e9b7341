import { WebhookVerificationError } from "./errors.js";

/**
 * 1–15 ASCII digits: unix seconds with no sign, spaces, decimals or exponent. Fifteen digits stay far
 * inside Number.MAX_SAFE_INTEGER, so the value is exact; a lenient parseInt would accept " 1", "1e9"
 * or "1.5" and let one signed value be spelled several ways.
 */
export const MAX_TIMESTAMP = 999_999_999_999_999;
const MAX_TIMESTAMP_DIGITS = 15;

export function parseTimestamp(text: string): number {
  if (text.length === 0 || text.length > MAX_TIMESTAMP_DIGITS) throw invalidTimestamp();
  // Digit by digit rather than a regex test and Number(): this runs on every request.
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) throw invalidTimestamp();
    value = value * 10 + digit;
  }
  return value;
}

function invalidTimestamp(): WebhookVerificationError {
  return new WebhookVerificationError(
    "invalid_timestamp",
    'The "webhook-timestamp" header must be integer unix seconds written as 1 to 15 ASCII digits (no sign, spaces, decimals or exponent).',
  );
}

/** Rejects timestamps more than `toleranceSeconds` away from `nowMs`, in either direction. */
export function checkTolerance(timestamp: number, nowMs: number, toleranceSeconds: number): void {
  const now = Math.floor(nowMs / 1000);
  if (now - timestamp > toleranceSeconds) {
    throw new WebhookVerificationError(
      "timestamp_too_old",
      `The webhook timestamp is ${now - timestamp} s in the past, beyond the ${toleranceSeconds} s tolerance. It may be a replayed request, or the clocks disagree (check NTP on sender and receiver).`,
    );
  }
  if (timestamp - now > toleranceSeconds) {
    throw new WebhookVerificationError(
      "timestamp_too_new",
      `The webhook timestamp is ${timestamp - now} s in the future, beyond the ${toleranceSeconds} s tolerance. The sender's clock is ahead of this machine's (check NTP on sender and receiver).`,
    );
  }
}
