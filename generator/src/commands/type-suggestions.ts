/**
 * The server answers an unknown `eventTypes` entry with 422 `unknown_event_type` and a detail per
 * entry (`/eventTypes/<i>`); this adds the nearest names from the server's own catalog
 * (`GET /v1/event-types`) to that one-line error.
 */

import { type EventMapBase, HooklineApiError, type HooklineClient } from "@hookline/core";
import { explainApiError, type Server } from "./connection.js";
import { CliError, EXIT } from "./output.js";
import { nearestNames } from "./suggest.js";

export async function withTypeSuggestions<T>(
  client: HooklineClient<EventMapBase>,
  server: Server,
  sent: readonly string[] | undefined,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof HooklineApiError) || error.code !== "unknown_event_type" || sent === undefined || !Array.isArray(error.details))
      throw explainApiError(error, server);
    const types = await client.eventTypes.list().then(
      (list) => list.map((t) => t.type),
      () => [] as string[],
    );
    const candidates = [...types, ...new Set(types.map((t) => `${t.slice(0, t.lastIndexOf("."))}.*`))];
    const hints = error.details
      .map(
        (d: { path?: unknown }) =>
          sent[Number((typeof d.path === "string" ? /^\/eventTypes\/(\d+)$/.exec(d.path)?.[1] : undefined) ?? NaN)],
      )
      .filter((pattern): pattern is string => pattern !== undefined)
      .map((pattern) => {
        const near = nearestNames(pattern, candidates);
        return near.length === 0 ? `${pattern}: no close match` : `${pattern}: did you mean ${near.join(", ")}?`;
      });
    throw new CliError(`${error.message}${hints.length === 0 ? "" : ` (${hints.join("; ")})`}`, EXIT.usage);
  }
}
