/**
 * The envelope the server stores and signs: `{"type","version","timestamp","data"}`, in that key
 * order, with `data` spliced in as the exact JSON text given (never re-serialised). The version is
 * inside the signed bytes, so nothing between the server and a receiver can strip it.
 *
 * The one place the server builds envelopes (ingest, and the worker for converted deliveries).
 * `@hookline/core`'s `serializeEnvelope` is gaining the version too; when it has, this delegates to it.
 */
export function serializeVersionedEnvelope(type: string, version: number, timestamp: Date, dataJson: string): string {
  return `{"type":${JSON.stringify(type)},"version":${version},"timestamp":${JSON.stringify(timestamp.toISOString())},"data":${dataJson}}`;
}
