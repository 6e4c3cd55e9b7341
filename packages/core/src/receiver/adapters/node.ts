import { internalError, methodNotAllowed, payloadTooLarge } from "../responses.js";
import type { HttpReceiver } from "../types.js";
import { readNodeBody, writeNodeResponse } from "./node-io.js";
import type { NodeLikeRequest, NodeLikeResponse } from "./node-types.js";

/**
 * A `node:http` request listener: `http.createServer(toNodeListener(receiver))`. Accepts POST only
 * (405 otherwise) and reads at most `receiver.maxBodyBytes` (413 beyond).
 */
export function toNodeListener(receiver: HttpReceiver): (request: NodeLikeRequest, response: NodeLikeResponse) => void {
  return (request, response) => {
    respond(receiver, request, response).catch(() => {
      // The client went away mid-body: answer if the socket still allows it, then let it go.
      try {
        if (!response.headersSent) writeNodeResponse(response, internalError());
      } finally {
        request.destroy();
      }
    });
  };
}

async function respond(receiver: HttpReceiver, request: NodeLikeRequest, response: NodeLikeResponse): Promise<void> {
  if (request.method !== "POST") {
    writeNodeResponse(response, methodNotAllowed());
    return;
  }
  const read = await readNodeBody(request, receiver.maxBodyBytes);
  if (!read.ok) {
    writeNodeResponse(response, payloadTooLarge(receiver.maxBodyBytes));
    return;
  }
  writeNodeResponse(response, await receiver.handle(read.body, request.headers));
}
