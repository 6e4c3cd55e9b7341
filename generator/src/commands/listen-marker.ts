/**
 * How `listen` recognises its own temporary endpoints: `metadata.hooklineListen` holds the machine and
 * process that made it. A `listen` that was killed (or whose server went away) cannot delete its
 * endpoint; the next `listen` on the same machine removes every marked endpoint whose process is gone.
 */

import os from "node:os";
import type { Endpoint } from "@hookline/core";

export const MARKER_KEY = "hooklineListen";

export interface ListenMarker {
  readonly host: string;
  readonly pid: number;
  readonly startedAt: string;
}

export function markerForThisProcess(now = new Date()): ListenMarker {
  return { host: os.hostname(), pid: process.pid, startedAt: now.toISOString() };
}

export function markerOf(endpoint: Pick<Endpoint, "metadata">): ListenMarker | undefined {
  const value = endpoint.metadata[MARKER_KEY] as Partial<ListenMarker> | undefined;
  if (typeof value !== "object" || value === null || typeof value.host !== "string" || typeof value.pid !== "number") return undefined;
  return { host: value.host, pid: value.pid, startedAt: String(value.startedAt ?? "") };
}

/** Made by a `listen` on this machine whose process no longer runs. */
export function isStale(endpoint: Pick<Endpoint, "metadata">): boolean {
  const marker = markerOf(endpoint);
  return marker !== undefined && marker.host === os.hostname() && marker.pid !== process.pid && !processRuns(marker.pid);
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
