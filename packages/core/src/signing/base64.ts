/**
 * With the length a multiple of 4, exactly the strings that survive the decode/re-encode round trip,
 * checked without decoding twice (this runs on every verification): characters of the standard
 * alphabet, then optionally a padded end whose last data character leaves the unused bits zero. One
 * final byte is `xy==`, `y` holding 2 data bits and 4 zero bits (A Q g w); two final bytes are
 * `xyz=`, `z` holding 4 data bits and 2 zero bits (every fourth character of the alphabet). Node
 * decodes such a string exactly.
 */
const CANONICAL_BASE64 = /^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/][AQgw]==|[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]=)?$/;

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
  if (text.length === 0 || text.length % 4 !== 0 || !CANONICAL_BASE64.test(text)) return undefined;
  return Buffer.from(text, "base64");
}

/** Length of the canonical encoding of `byteLength` bytes; lets callers skip hopeless entries cheaply. */
export function canonicalBase64Length(byteLength: number): number {
  return Math.ceil(byteLength / 3) * 4;
}
