import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";

/**
 * Reads at most `maxBytes` of `body` as UTF-8 and then destroys the stream, so the rest of an oversized
 * body is never received, let alone buffered (for an HTTP response this closes the connection). A
 * multi-byte character cut by the cap is dropped rather than stored half.
 */
export async function readCapped(body: Readable, maxBytes: number): Promise<string> {
  // Destroying an unfinished undici body emits an abort error; it is expected here, not a failure.
  body.on("error", ignore);
  const limit = Math.max(0, Math.floor(maxBytes));
  if (limit === 0) {
    body.destroy();
    return "";
  }
  const decoder = new StringDecoder("utf8");
  let text = "";
  let kept = 0;
  for await (const chunk of body) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    const room = limit - kept;
    const piece = bytes.length > room ? bytes.subarray(0, room) : bytes;
    text += decoder.write(piece);
    kept += piece.length;
    // Leaving the loop destroys the stream: the remainder is neither read nor kept.
    if (kept >= limit) return text;
  }
  return text + decoder.end();
}

function ignore(): void {}
