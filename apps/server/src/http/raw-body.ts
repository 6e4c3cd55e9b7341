import type { FastifyInstance, FastifyRequest } from "fastify";
import { ApiError } from "./errors.js";
import { checkNesting } from "./input-guards.js";

const RAW = Symbol("hookline.rawBody");

/**
 * JSON bodies are read as text and kept: ingest slices the payload's exact source text out of it.
 * Parsing refuses `__proto__` keys (prototype poisoning) like fastify's default parser does.
 */
export function registerJsonParser(app: FastifyInstance): void {
  // JSON only: anything else (fastify also parses text/plain by default) is a 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, text, done) => {
    const source = typeof text === "string" ? text : text.toString("utf8");
    (request as unknown as Record<symbol, string>)[RAW] = source;
    // An empty body is no body: routes whose body is optional accept it, the others say what is missing.
    if (source.trim() === "") {
      done(null, undefined);
      return;
    }
    try {
      checkNesting(source);
      // The reviver is slow on large bodies; only text that could spell the key needs it.
      done(null, /proto|\\u/.test(source) ? JSON.parse(source, rejectProto) : JSON.parse(source));
    } catch (error) {
      if (error instanceof ApiError) done(error, undefined);
      else done(new ApiError(400, "invalid_json", `The request body is not valid JSON: ${(error as Error).message}.`), undefined);
    }
  });
}

function rejectProto(key: string, value: unknown): unknown {
  if (key === "__proto__") throw new ApiError(400, "invalid_json", 'The request body contains a "__proto__" key, which is refused.');
  return value;
}

export function rawBodyOf(request: FastifyRequest): string {
  const raw = (request as unknown as Record<symbol, string | undefined>)[RAW];
  if (raw === undefined) throw new Error("no raw body recorded for this request");
  return raw;
}
