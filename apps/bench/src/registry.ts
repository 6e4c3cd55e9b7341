/**
 * Every benchmark, in run order. Still to come as further modules: the PostgreSQL variant of the
 * end-to-end benchmark (a `StoreVariant` for `benchmarks/e2e/end-to-end.ts`, once the scale-out
 * issue lands) and the backlog drain (issue item 4).
 */

import { e2eSqlite } from "./benchmarks/e2e/sqlite.js";
import { generatorTiming } from "./benchmarks/generator.js";
import { receiverMiddleware } from "./benchmarks/receiver-middleware.js";
import { receiverPath } from "./benchmarks/receiver-path.js";
import { senderPath } from "./benchmarks/sender-path.js";
import { turboRebuild } from "./benchmarks/turbo-rebuild.js";
import type { Benchmark } from "./benchmarks/types.js";

export const BENCHMARKS: readonly Benchmark[] = [receiverPath, senderPath, receiverMiddleware, generatorTiming, turboRebuild, e2eSqlite];

/**
 * The benchmarks named by `--only`: ids or groups, comma-separated. Unknown names are an error
 * listing what exists, so a typo never silently runs nothing.
 */
export function selectBenchmarks(all: readonly Benchmark[], only: readonly string[] | undefined): Benchmark[] {
  if (only === undefined || only.length === 0) return [...all];
  const known = new Set(all.flatMap((b) => [b.id, b.group]));
  const unknown = only.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new Error(`Unknown benchmark ${unknown.map((n) => JSON.stringify(n)).join(", ")}. Known ids: ${all.map((b) => b.id).join(", ")}; groups: ${[...new Set(all.map((b) => b.group))].join(", ")}.`);
  }
  return all.filter((b) => only.includes(b.id) || only.includes(b.group));
}
