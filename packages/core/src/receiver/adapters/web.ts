import { errorResponse, methodNotAllowed, payloadTooLarge } from "../responses.js";
import type { HttpReceiver, ReceiverResponse } from "../types.js";

const BODY_ALREADY_READ =
  "The request body was already read (or locked by a reader) before the webhook handler, so the raw " +
  "bytes needed to verify the webhook signature are gone. Pass the Request to the handler unread; " +
  "middleware that needs the body can read request.clone() instead.";

const BODY_READ_FAILED = "The request body stream failed before it was complete, so the webhook could not be verified; it will be retried.";

/**
 * A Fetch API handler, `(request) => Promise<Response>`, for Hono (`c.req.raw`), Next.js route
 * handlers, Bun, Deno and Workers. POST only (405); bodies over `receiver.maxBodyBytes` get 413,
 * refused from `content-length` when declared and otherwise read no further than the limit. Never
 * rejects: a body already read elsewhere answers 500 `raw_body_unavailable` (as the Express
 * adapter does after a body parser without `captureRawBody`), a failing body stream 500
 * `body_read_failed`; a 5xx makes the sender retry.
 */
export function toWebHandler(receiver: HttpReceiver): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== "POST") return toResponse(methodNotAllowed());
    if (request.bodyUsed || request.body?.locked === true) return toResponse(errorResponse(500, "raw_body_unavailable", BODY_ALREADY_READ));
    const limit = receiver.maxBodyBytes;
    if (Number(request.headers.get("content-length")) > limit) return toResponse(payloadTooLarge(limit));
    let body: Uint8Array | undefined;
    try {
      body = await readLimited(request, limit);
    } catch {
      // The stream's error is the runtime's (a reset connection, an aborted upload): nothing for the sender.
      return toResponse(errorResponse(500, "body_read_failed", BODY_READ_FAILED));
    }
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
