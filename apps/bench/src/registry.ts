/**
 * Every benchmark, in run order. The backlog benchmarks come after the end-to-end ones because they
 * compare their drain rate with the end-to-end rate of the same run.
 */

import { dashboardPostgres, dashboardSqlite } from "./benchmarks/dashboard/dashboard.js";
import { backlogPostgres, backlogSqlite } from "./benchmarks/e2e/backlog.js";
import { e2ePostgres } from "./benchmarks/e2e/postgres.js";
import { e2eSqlite } from "./benchmarks/e2e/sqlite.js";
import { generatorTiming } from "./benchmarks/generator.js";
import { receiverMiddleware } from "./benchmarks/receiver-middleware.js";
import { receiverPath } from "./benchmarks/receiver-path.js";
import { sdkSize } from "./benchmarks/sdk-size.js";
import { senderPath } from "./benchmarks/sender-path.js";
import { turboRebuild } from "./benchmarks/turbo-rebuild.js";
import type { Benchmark } from "./benchmarks/types.js";

export const BENCHMARKS: readonly Benchmark[] = [
  receiverPath,
  senderPath,
  receiverMiddleware,
  generatorTiming,
  sdkSize,
  turboRebuild,
  e2eSqlite,
  e2ePostgres,
  backlogSqlite,
  backlogPostgres,
  dashboardSqlite,
  dashboardPostgres,
];

/**
 * The benchmarks named by `--only`: ids or groups, comma-separated. Unknown names are an error
 * listing what exists, so a typo never silently runs nothing.
 */
export function selectBenchmarks(all: readonly Benchmark[], only: readonly string[] | undefined): Benchmark[] {
  if (only === undefined || only.length === 0) return [...all];
  const known = new Set(all.flatMap((b) => [b.id, b.group]));
  const unknown = only.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new Error(
      `Unknown benchmark ${unknown.map((n) => JSON.stringify(n)).join(", ")}. Known ids: ${all.map((b) => b.id).join(", ")}; groups: ${[...new Set(all.map((b) => b.group))].join(", ")}.`,
    );
  }
  return all.filter((b) => only.includes(b.id) || only.includes(b.group));
}
