/**
 * Endpoint input checks that need more than the JSON Schema (`endpointInput` in schemas.ts): the URL
 * policy, masked URLs sent back, known event types, the secret's format. Each answers 422 with the
 * JSON pointer of the field.
 */
import { WebhookSigner, WebhookVerificationError } from "@hookline/core";
import { endpointUrlParts, MASK } from "../domain/endpoint-url.js";
import { pinProblems } from "../domain/pinning.js";
import { typeMatches } from "../domain/routing.js";
import { checkEndpointUrl } from "../egress/index.js";
import type { HttpContext } from "./context.js";
import { ApiError, notFound } from "./errors.js";

/** The writable fields of an endpoint, as the create and update bodies send them. */
export interface EndpointInput {
  url?: string;
  eventTypes?: string[] | null;
  tenant?: string | null;
  secret?: string;
  description?: string | null;
  rateLimit?: number | null;
  disabled?: boolean;
  metadata?: Record<string, unknown>;
  /** Version per event type (partial on update). */
  pins?: Record<string, number>;
}

/** The checks of a create or update body: URL policy, known event types, pins to versions that exist, secret format. */
export function checkInput(ctx: HttpContext, body: EndpointInput): void {
  if (body.url !== undefined) {
    const checked = checkEndpointUrl(body.url, ctx.egressPolicy);
    if (!checked.ok) throw new ApiError(422, checked.code, checked.message, [{ path: "/url", message: checked.message }]);
  }
  if (body.eventTypes !== undefined && body.eventTypes !== null) {
    const known = ctx.catalog().types;
    const unknown = body.eventTypes
      .map((pattern, i) => ({ pattern, i }))
      .filter(({ pattern }) => !known.some((type) => typeMatches(pattern, type)));
    if (unknown.length > 0) {
      const details = unknown.map(({ pattern, i }) => ({
        path: `/eventTypes/${i}`,
        message: pattern.endsWith(".*")
          ? `no catalog event type starts with "${pattern.slice(0, -1)}"`
          : `"${pattern}" is not a catalog event type`,
      }));
      throw new ApiError(
        422,
        "unknown_event_type",
        `Unknown event types: ${unknown.map((u) => u.pattern).join(", ")}. Known types are listed at GET /v1/event-types; a type just added to the catalog needs npm run generate and a reload (POST /v1/catalog/reload).`,
        details,
      );
    }
  }
  if (body.pins !== undefined) checkPins(ctx, body.pins);
  if (body.secret !== undefined) checkSecret(body.secret);
}

/** Problems named in a pin refusal's message; details has them all (a map may hold 1000 types). */
const SHOWN_PIN_PROBLEMS = 5;

/** Pins must name catalog types and versions the catalog carries: 422 naming the versions that exist. */
function checkPins(ctx: HttpContext, pins: Record<string, number>): void {
  const problems = pinProblems(pins, ctx.catalog());
  if (problems.length === 0) return;
  const shown = problems.slice(0, SHOWN_PIN_PROBLEMS).map((p) => p.message);
  if (problems.length > SHOWN_PIN_PROBLEMS) shown.push(`and ${problems.length - SHOWN_PIN_PROBLEMS} more (every one is in details)`);
  throw new ApiError(
    422,
    "unknown_version",
    `Cannot pin: ${shown.join("; ")}. Pin each type to one of its versions (GET /v1/event-types lists them).`,
    problems.map(({ path, message, versions }) => ({ path, message, versions })),
  );
}

/** A URL whose credential or query value reads `****` is a masked URL sent back as if it were the real one. */
export function refuseMaskedUrl(url: string): void {
  if (!endpointUrlParts(url).containsMask) return;
  const message =
    `The URL has "${MASK}" where a credential or query value goes: that is the masked form the API shows, not the real URL. ` +
    `Send the full URL with its credentials (a value that really is ${MASK} can be percent-encoded: %2A%2A%2A%2A).`;
  throw new ApiError(422, "masked_url", message, [{ path: "/url", message }]);
}

/** The URL a PATCH stores: none when it sends back the stored URL exactly as shown (masked), which keeps it. */
export async function urlToStore(ctx: HttpContext, id: string, url: string | undefined): Promise<string | undefined> {
  if (url === undefined || !endpointUrlParts(url).containsMask) return url;
  const current = await ctx.store.getEndpoint(id);
  if (current === undefined) throw notFound("endpoint", id);
  if (current.url === url) return undefined;
  refuseMaskedUrl(url);
  return url;
}

export function checkSecret(secret: string): void {
  try {
    new WebhookSigner(secret);
  } catch (error) {
    if (error instanceof WebhookVerificationError) {
      throw new ApiError(422, "invalid_secret", error.message.replace(/^The key/, "The secret"), [
        { path: "/secret", message: error.message },
      ]);
    }
    throw error;
  }
}
