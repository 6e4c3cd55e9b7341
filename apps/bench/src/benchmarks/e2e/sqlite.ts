import path from "node:path";
import type { Benchmark } from "../types.js";
import { runEndToEnd, type StoreVariant } from "./end-to-end.js";
import { buildServer, profileArgs, startDeliveryServer } from "./server-process.js";

export const sqliteStore: StoreVariant = {
  id: "sqlite",
  title: "SQLite",
  start: (ctx, name, env) =>
    startDeliveryServer({
      dbPath: path.join(ctx.tmpDir, `${name}.db`),
      execArgv: profileArgs(name),
      ...(env === undefined ? {} : { env }),
    }),
  targets: { eventsPerSecond: 5000, ceilingShare: 0.25, p99Ms: 25 },
};

export const e2eSqlite: Benchmark = {
  id: "e2e-sqlite",
  group: "e2e",
  summary: "delivery server on SQLite: ingest→handler events/s (1 and 10 endpoints), latency at half rate, RSS, vs the loopback ceiling",
  async run(ctx) {
    await buildServer(ctx);
    return runEndToEnd(ctx, sqliteStore, ctx.mode === "quick" ? [1] : [1, 10]);
  },
};
