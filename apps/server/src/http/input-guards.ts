import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from "fastify";
import { ApiError } from "./errors.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Top-level body members kept as the exact bytes sent (the event payload): NUL characters are allowed there. */
    storedAsBytes?: readonly string[];
  }
}

/**
 * Deepest nesting of arrays and objects accepted in a request body. Checked on the text before it is
 * parsed, so nothing recursive (hashing, validation, storage) ever sees a deeper document.
 */
export const MAX_JSON_DEPTH = 64;

/** Offset of the bracket that opens level `maxDepth + 1`, or -1. One pass, no recursion; strings are skipped. */
export function nestingTooDeepAt(text: string, maxDepth: number): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) i = closingQuote(text, i);
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return i;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return -1;
}

/** Index of the quote that closes the string opened at `open` (indexOf is native: strings are most of a body). */
function closingQuote(text: string, open: number): number {
  let at = text.indexOf('"', open + 1);
  while (at > 0) {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return at;
    at = text.indexOf('"', at + 1);
  }
  return text.length;
}

export function checkNesting(text: string): void {
  const at = nestingTooDeepAt(text, MAX_JSON_DEPTH);
  if (at >= 0) {
    throw new ApiError(
      400,
      "json_too_deep",
      `The request body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep (at character ${at}). Flatten the document.`,
      [{ in: "body", offset: at, maxDepth: MAX_JSON_DEPTH }],
    );
  }
}

/**
 * Text fields and query parameters may not hold U+0000 (PostgreSQL text cannot store it) nor an
 * unpaired surrogate (a `\ud800` escape without its pair: the backends replace it differently, one
 * U+FFFD or three), so both backends answer and store alike. Event payloads are stored as bytes and
 * are not checked.
 */
export function refuseNulCharacters(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const where =
    nulIn(request.query, "query") ??
    nulIn(request.params, "path") ??
    nulIn(request.body, "body", request.routeOptions.config.storedAsBytes);
  if (where === undefined) {
    done();
    return;
  }
  const [location, path, nul] = where;
  const what = nul ? "a NUL character (U+0000)" : "an unpaired surrogate (U+D800 to U+DFFF without its pair)";
  done(
    new ApiError(400, "invalid_character", `${location} ${path || "(root)"} contains ${what}, which is not accepted. Remove it.`, [
      { in: location, path, message: nul ? "must not contain U+0000" : "must not contain an unpaired surrogate (U+D800 to U+DFFF)" },
    ]),
  );
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether `text` holds a refused character: true for U+0000, false for an unpaired surrogate. */
function refusedCharacter(text: string): boolean | undefined {
  if (text.includes("\u0000")) return true;
  return LONE_SURROGATE.test(text) ? false : undefined;
}

/**
 * The first string (value or key) holding a refused character, as [location, JSON pointer, whether it
 * is U+0000]; iterative, so depth is no risk.
 */
function nulIn(root: unknown, location: string, skipTopLevel: readonly string[] = []): [string, string, boolean] | undefined {
  const stack: [unknown, string][] = [[root, ""]];
  while (stack.length > 0) {
    const [value, path] = stack.pop() as [unknown, string];
    if (typeof value === "string") {
      const nul = refusedCharacter(value);
      if (nul !== undefined) return [location, path, nul];
    } else if (typeof value === "object" && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        const childPath = `${path}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`;
        const nul = refusedCharacter(key);
        if (nul !== undefined) return [location, childPath, nul];
        if (path === "" && skipTopLevel.includes(key)) continue;
        stack.push([child, childPath]);
      }
    }
  }
  return undefined;
}
