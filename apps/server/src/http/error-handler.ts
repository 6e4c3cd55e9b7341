/**
 * How what a request throws becomes an answer in the API's error shape (`errorBody`): `ApiError`s as
 * they are, schema validation failures as 400 with one detail per problem, an unavailable database
 * as 503 with Retry-After, fastify's own errors by code; anything else is logged and answers 500.
 */
import type { ValidatorError } from "@hookline/core";
import { issuesFromErrors } from "@hookline/core/internal";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { StoreUnavailableError } from "../store/errors.js";
import { routeNotFound } from "./auth.js";
import { ApiError, errorBody } from "./errors.js";
import { invalidLimit } from "./query.js";

/** `defaultBodyLimit`: the limit of routes without their own, named in the 413 answer. */
export function errorHandler(defaultBodyLimit: number) {
  return function answerError(error: FastifyError | ApiError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
    if (error instanceof ApiError) return reply.code(error.status).send(errorBody(error.code, error.message, error.details));
    if (error.validation !== undefined) {
      const where = error.validationContext ?? "request";
      if (where === "body" && request.body === undefined) {
        return reply.code(400).send(errorBody("missing_body", "This route needs a JSON object body with Content-Type: application/json."));
      }
      const limit = limitOutOfRange(where, error.validation, request.query);
      if (limit !== undefined) return reply.code(400).send(errorBody(limit.code, limit.message));
      const details = issuesFromErrors(error.validation as unknown as ValidatorError[]).map(({ path, message }) => ({
        in: where,
        path,
        message,
      }));
      const list = details.map((d) => `${d.path || "(root)"} ${d.message}`).join("; ");
      return reply.code(400).send(errorBody("invalid_request", `Invalid ${where}: ${list}.`, details));
    }
    if (error instanceof StoreUnavailableError) {
      // Nothing was accepted: the client retries (same event id = no duplicate) once the database is back.
      request.log.warn({ err: error }, "database unavailable; answered 503");
      return reply
        .code(503)
        .header("retry-after", "5")
        .send(errorBody("storage_unavailable", "The database is unavailable right now, so nothing was stored. Retry in a few seconds."));
    }
    const status = error.statusCode ?? 500;
    if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
      const limit = request.routeOptions.bodyLimit ?? defaultBodyLimit;
      return reply.code(413).send(errorBody("payload_too_large", `The request body is larger than the limit of ${limit} bytes.`));
    }
    if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
      return reply.code(415).send(errorBody("unsupported_media_type", "Send the body as JSON with Content-Type: application/json."));
    }
    if (status >= 500) {
      request.log.error({ err: error }, "request failed");
      return reply
        .code(500)
        .send(errorBody("internal_error", "The server failed to handle this request; the error was logged. Retry later."));
    }
    return reply.code(status).send(errorBody((error.code ?? "bad_request").replace(/^FST_ERR_/, "").toLowerCase(), error.message));
  };
}

/** `?limit` below 1 or above 250 keeps its own code (`invalid_limit`), as before the schema checked the range. */
function limitOutOfRange(where: string, validation: FastifyError["validation"], query: unknown): ApiError | undefined {
  if (where !== "querystring" || validation === undefined || validation.length === 0) return undefined;
  const onlyRange = validation.every((e) => e.instancePath === "/limit" && (e.keyword === "minimum" || e.keyword === "maximum"));
  return onlyRange ? invalidLimit((query as { limit?: unknown } | undefined)?.limit) : undefined;
}

/** Unmatched requests (after the API key check: unknown paths answer 401 without it). */
export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  const error = routeNotFound(request);
  reply.code(404).send(errorBody(error.code, error.message));
}
