/**
 * `npm run bench [-- --quick] [--only <names>] [--out <dir>]`: runs the benchmarks of the
 * benchmark issue and writes `results/latest.json` and `results/latest.md`.
 */

import { fileURLToPath } from "node:url";
import path from "node:path";
import { Command } from "commander";
import { BENCHMARKS, selectBenchmarks } from "./registry.js";
import { runBenchmarks } from "./run.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command("hookline-bench")
    .description(
      "Hookline benchmarks: every candidate runs against its baseline in interleaved slices; the ratio is the median of per-round ratios.",
    )
    .option("--quick", "shorter slices and fewer rounds (under 2 minutes)", false)
    .option("--only <names>", `comma-separated benchmark ids or groups (${BENCHMARKS.map((b) => b.id).join(", ")})`)
    .option("--out <dir>", "where to write latest.json and latest.md", path.join(packageDir, "results"))
    .addHelpText("after", `\nBenchmarks:\n${BENCHMARKS.map((b) => `  ${b.id.padEnd(22)} [${b.group}] ${b.summary}`).join("\n")}`)
    .parse([...argv]);
  const options = program.opts<{ quick: boolean; only?: string; out: string }>();
  const only = options.only
    ?.split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  const { report } = await runBenchmarks({
    mode: options.quick ? "quick" : "full",
    benchmarks: selectBenchmarks(BENCHMARKS, only),
    outDir: path.resolve(options.out),
    repoRoot: path.resolve(packageDir, "..", ".."),
  });
  return report.failures.length > 0 ? 1 : 0;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 2;
    },
  );
}
