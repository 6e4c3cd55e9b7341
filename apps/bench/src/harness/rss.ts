/**
 * Resident set size of another process, sampled from /proc (Linux). Peak RSS per phase is what
 * the end-to-end benchmarks report: the server must not grow with throughput or backlog.
 */

import { readFile } from "node:fs/promises";

/** Current RSS of `pid` in bytes, or undefined when /proc is unavailable or the process is gone. */
export async function readRss(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
    return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
  } catch {
    return undefined;
  }
}

export interface RssMonitor {
  /** Highest sample since `since` (ms, `performance.now()` clock), or over the whole run. */
  peak(since?: number, until?: number): number;
  /** Mean of the samples in a window: the "idle" level before a phase. */
  mean(since: number, until: number): number;
  readonly samples: ReadonlyArray<readonly [time: number, bytes: number]>;
  stop(): void;
}

export function monitorRss(pid: number, intervalMs = 100): RssMonitor {
  const samples: Array<readonly [number, number]> = [];
  let stopped = false;
  const sample = async () => {
    const bytes = await readRss(pid);
    if (bytes !== undefined && !stopped) samples.push([performance.now(), bytes]);
  };
  void sample();
  const timer = setInterval(() => void sample(), intervalMs);
  timer.unref();
  const within = (since = -Infinity, until = Infinity) => samples.filter(([t]) => t >= since && t <= until).map(([, bytes]) => bytes);
  return {
    samples,
    peak: (since, until) => Math.max(0, ...within(since, until)),
    mean: (since, until) => {
      const values = within(since, until);
      return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
    },
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
