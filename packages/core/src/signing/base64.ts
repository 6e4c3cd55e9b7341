/**
 * The one base64 rule, for signatures and keys alike: a value is accepted only in canonical standard
 * base64 with padding (RFC 4648 §4), exactly as every official Standard Webhooks library emits it.
 * Concretely, decoding and re-encoding must give back the input, so missing padding, the URL-safe
 * alphabet, embedded whitespace and non-zero trailing bits are all refused.
 *
 * Why strict: Node's decoder is lenient (it skips unknown characters and accepts both alphabets), so
 * without the round trip many different strings would decode to the same bytes. One spelling per
 * value keeps the accepted set small and obvious, and costs nothing in interoperability.
 */
export function decodeCanonicalBase64(text: string): Buffer | undefined {
  if (text.length === 0 || text.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(text, "base64");
  return bytes.toString("base64") === text ? bytes : undefined;
}

/** Length of the canonical encoding of `byteLength` bytes; lets callers skip hopeless entries cheaply. */
export function canonicalBase64Length(byteLength: number): number {
  return Math.ceil(byteLength / 3) * 4;
}
