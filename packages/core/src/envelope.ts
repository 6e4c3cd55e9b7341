/**
 * The webhook envelope as JSON text: `{"type","version","timestamp","data"}`, in that order and
 * without spaces. The one place it is written, by the sender and by the Hookline server. The version
 * is inside the signed bytes, so nothing between sender and receiver can strip or change it.
 *
 * `dataJson` is the payload's JSON text, written verbatim and not checked: the server passes the
 * payload exactly as it was posted (numbers beyond 2^53, escapes and spacing survive), the sender
 * passes its own `JSON.stringify` output. Plain concatenation: this is on the sender's hot path.
 */
export function serializeEnvelope(type: string, version: number, timestamp: Date, dataJson: string): string {
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new RangeError(`The envelope version must be a positive integer (got ${String(version)}).`);
  }
  return `{"type":${JSON.stringify(type)},"version":${version},"timestamp":${JSON.stringify(timestamp.toISOString())},"data":${dataJson}}`;
}
