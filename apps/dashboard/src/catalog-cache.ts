/** The catalog's event types, fetched once per page load (the catalog changes only on a server reload). */
import { get } from "./api.js";
import type { EventType, Page } from "./types.js";

let cached: Promise<EventType[]> | undefined;

export function eventTypes(): Promise<EventType[]> {
  cached ??= get<Page<EventType>>("/v1/event-types").then((page) => page.data);
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}
