import { methodNotAllowed, payloadTooLarge } from "../responses.js";
import type { HttpReceiver, ReceiverResponse } from "../types.js";

/**
 * A Fetch API handler, `(request) => Promise<Response>`, for Hono (`c.req.raw`), Next.js route
 * handlers, Bun, Deno and Workers. POST only (405); bodies over `receiver.maxBodyBytes` get 413,
 * refused from `content-length` when declared and otherwise read no further than the limit.
 */
export function toWebHandler(receiver: HttpReceiver): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== "POST") return toResponse(methodNotAllowed());
    const limit = receiver.maxBodyBytes;
    if (Number(request.headers.get("content-length")) > limit) return toResponse(payloadTooLarge(limit));
    const body = await readLimited(request, limit);
    if (body === undefined) return toResponse(payloadTooLarge(limit));
    return toResponse(await receiver.handle(body, request.headers));
  };
}

function toResponse(result: ReceiverResponse): Response {
  return new Response(result.body, { status: result.status, headers: result.headers });
}

/** The body bytes, or `undefined` once more than `limit` arrived (the rest is not read). */
async function readLimited(request: Request, limit: number): Promise<Uint8Array | undefined> {
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
