import { errorResponse, methodNotAllowed, payloadTooLarge } from "../responses.js";
import type { HttpReceiver } from "../types.js";
import { readNodeBody, writeNodeResponse } from "./node-io.js";
import type { NodeLikeRequest, NodeLikeResponse } from "./node-types.js";

/** The Express request fields the adapter reads (structural: no express import). */
export interface ExpressLikeRequest extends NodeLikeRequest {
  /** A Buffer when `express.raw()` ran; a parsed value after `express.json()`. */
  body?: unknown;
  /** The raw bytes kept by {@link captureRawBody}. */
  rawBody?: unknown;
}

/** Express middleware signature, structurally. */
export type ExpressLikeHandler = (request: ExpressLikeRequest, response: NodeLikeResponse, next: (error?: unknown) => void) => void;

const RAW_BODY_GONE =
  "The request body was already parsed by another middleware (for example a global express.json()), " +
  "so the raw bytes needed to verify the webhook signature are gone. Either mount the webhook route " +
  "before express.json(), or keep the raw bytes with " +
  "express.json({ limit: receiver.maxBodyBytes, verify: captureRawBody }) " +
  '(import { captureRawBody } from "@hookline/core"; the limit matters: body-parser\'s default of ' +
  "100 KB refuses larger deliveries with 413).";

/**
 * An Express handler: `app.post("/webhooks", expressHandler(receiver))`. The raw body comes from,
 * in order: `req.body` when it is a Buffer (`express.raw()`), `req.rawBody` (see
 * {@link captureRawBody}), or the request stream when no body parser consumed it (read up to
 * `receiver.maxBodyBytes`, 413 beyond). When a parser consumed it and kept no raw copy, it answers
 * 500 with a message saying how to fix the setup. A parser in front of it must allow
 * `receiver.maxBodyBytes`: body-parser's default `limit` (100 KB) answers 413 itself, before this
 * handler runs, to deliveries the sender considers valid (Hookline accepts 256 KiB payloads).
 */
export function expressHandler(receiver: HttpReceiver): ExpressLikeHandler {
  return (request, response, next) => {
    respond(receiver, request, response).catch(next);
  };
}

/**
 * `express.json({ limit: receiver.maxBodyBytes, verify: captureRawBody })`: keeps the exact bytes on
 * `req.rawBody` so webhook routes can verify signatures behind an app-wide JSON parser. Set the
 * `limit`: body-parser's default (100 KB) refuses larger deliveries with 413 before the webhook
 * route runs.
 */
export function captureRawBody(request: NodeLikeRequest & { rawBody?: unknown }, _response: NodeLikeResponse, buffer: Uint8Array): void {
  request.rawBody = buffer;
}

type RawBodySource = { readonly kind: "raw"; readonly body: Uint8Array | string } | { readonly kind: "too_large" | "consumed" };

async function respond(receiver: HttpReceiver, request: ExpressLikeRequest, response: NodeLikeResponse): Promise<void> {
  if (request.method !== "POST") return writeNodeResponse(response, methodNotAllowed());
  const raw = await rawBodyOf(request, receiver.maxBodyBytes);
  switch (raw.kind) {
    case "too_large":
      return writeNodeResponse(response, payloadTooLarge(receiver.maxBodyBytes));
    case "consumed":
      return writeNodeResponse(response, errorResponse(500, "raw_body_unavailable", RAW_BODY_GONE));
    case "raw":
      return writeNodeResponse(response, await receiver.handle(raw.body, request.headers));
  }
}

async function rawBodyOf(request: ExpressLikeRequest, limit: number): Promise<RawBodySource> {
  if (request.body instanceof Uint8Array) return { kind: "raw", body: request.body };
  const { rawBody } = request;
  if (rawBody instanceof Uint8Array || typeof rawBody === "string") return { kind: "raw", body: rawBody };
  // `_body` is body-parser 1.x's "already parsed" flag; 2.x leaves the stream ended instead.
  if (request.readableEnded || Reflect.get(request, "_body") === true) return { kind: "consumed" };
  const read = await readNodeBody(request, limit);
  return read.ok ? { kind: "raw", body: read.body } : { kind: "too_large" };
}
