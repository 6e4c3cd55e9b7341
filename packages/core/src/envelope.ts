/**
 * The webhook envelope as JSON text: `{"type","timestamp","data"}`, in that order and without
 * spaces. The one place it is written, by the sender and by the Hookline server.
 *
 * `dataJson` is the payload's JSON text, written verbatim and not checked: the server passes the
 * payload exactly as it was posted (numbers beyond 2^53, escapes and spacing survive), the sender
 * passes its own `JSON.stringify` output. Plain concatenation: this is on the sender's hot path.
 */
export function serializeEnvelope(type: string, timestamp: Date, dataJson: string): string {
  return `{"type":${JSON.stringify(type)},"timestamp":${JSON.stringify(timestamp.toISOString())},"data":${dataJson}}`;
}
