/** Pin counts from grouped rows, the same on both backends: only endpoints subscribed to the type count (src/domain/routing.ts). */
import { typeMatches } from "../domain/routing.js";
import type { PinnedVersionCount } from "./store.js";

/** Counts per (type, version) over groups of endpoints sharing one eventTypes filter, keeping only subscribed ones. */
export function sumSubscribed(
  groups: readonly { event_types: string | null; type: string; version: number; endpoints: number | string }[],
): PinnedVersionCount[] {
  const counts = new Map<string, PinnedVersionCount>();
  for (const group of groups) {
    const filter = group.event_types === null ? null : (JSON.parse(group.event_types) as string[]);
    if (filter !== null && !filter.some((pattern) => typeMatches(pattern, group.type))) continue;
    const key = `${group.type}\u0000${group.version}`;
    const before = counts.get(key)?.endpoints ?? 0;
    counts.set(key, { type: group.type, version: group.version, endpoints: before + Number(group.endpoints) });
  }
  return [...counts.values()].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : a.version - b.version));
}
