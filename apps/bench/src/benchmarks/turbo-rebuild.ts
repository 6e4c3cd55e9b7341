/**
 * Issue item 5, build: a Turbo rebuild with nothing changed. The build of the receiver SDK and
 * everything it depends on runs once to warm the cache, then again, timed from spawn to exit, as a
 * developer would type it.
 */

import { meets, type Target } from "../harness/results.js";
import { runCommand, stripAnsi } from "../harness/command.js";
import { median } from "../harness/stats.js";
import type { Benchmark } from "./types.js";

const ARGS = ["turbo", "run", "build", "--filter=@hookline/receiver..."] as const;
const TARGET: Target = { op: "<=", value: 2000, unit: "ms" };

export const turboRebuild: Benchmark = {
  id: "turbo-rebuild",
  group: "generator",
  summary: "no-change `npx turbo run build --filter=@hookline/receiver...` (after one warm-up run)",
  async run(ctx) {
    const env = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", TURBO_TELEMETRY_DISABLED: "1" };
    const run = async () => {
      const result = await runCommand("npx", ARGS, { cwd: ctx.repoRoot, env });
      if (result.code !== 0) throw new Error(`npx ${ARGS.join(" ")} exited with ${result.code}:\n${result.output.slice(-2000)}`);
      return { ...result, output: stripAnsi(result.output) };
    };
    const warm = await run();
    ctx.log(`turbo: warm-up run ${Math.round(warm.elapsedMs)} ms`);
    const samples: number[] = [];
    let last = warm;
    for (let i = 0; i < (ctx.mode === "quick" ? 1 : 3); i++) {
      last = await run();
      samples.push(last.elapsedMs);
      ctx.log(`turbo: no-change rebuild ${Math.round(last.elapsedMs)} ms`);
    }
    const cached = /Cached:\s+(\d+) cached, (\d+) total/.exec(last.output);
    const turboTime = /Time:\s+([\d.]+m?s)/.exec(last.output);
    const fullTurbo = last.output.includes(">>> FULL TURBO");
    const medianMs = median(samples);
    return [
      {
        kind: "timing",
        id: "turbo-rebuild",
        group: "generator",
        title: "No-change Turbo rebuild (receiver and its dependencies)",
        description: `\`npx ${ARGS.join(" ")}\` from the repository root, timed from spawn to exit (npx start-up included), after one untimed run that fills the cache.`,
        samplesMs: samples,
        medianMs,
        details: {
          tasksCached: cached === null ? "unknown" : `${cached[1]}/${cached[2]}`,
          fullTurbo,
          turboReportedTime: turboTime?.[1] ?? "unknown",
        },
        ...(fullTurbo
          ? {}
          : {
              notes: [
                "Not every task was a cache hit on the second run: some task's inputs change when it runs, so it can never be cached.",
              ],
            }),
        target: TARGET,
        met: meets(medianMs, TARGET),
      },
    ];
  },
};
