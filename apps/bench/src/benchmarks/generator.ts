/**
 * Issue item 5, generator: `loadCatalog` + `renderOutput` for both targets (sender and receiver)
 * on synthetic catalogs of 16, 200 and 1,000 event types. No baseline library exists; the result
 * is wall-clock time against the target for 1,000 types.
 */

import { performance } from "node:perf_hooks";
import path from "node:path";
import { loadCatalog, renderOutput, type RenderedFile } from "@hookline/generator";
import { meets, type BenchResult, type Target } from "../harness/results.js";
import { median } from "../harness/stats.js";
import { writeSyntheticCatalog } from "../fixtures/synthetic-catalog.js";
import type { Benchmark } from "./types.js";

const SIZES = [16, 200, 1000] as const;
const TARGET_1000: Target = { op: "<=", value: 10_000, unit: "ms" };

/** Runs per size: the big catalog takes seconds, the small one milliseconds. */
const RUNS: Record<"full" | "quick", Record<(typeof SIZES)[number], number>> = {
  full: { 16: 5, 200: 3, 1000: 2 },
  // 1,000 types take 10-15 s a run on the loaded bench machine; --quick leaves them out to stay well inside its 2-minute budget.
  quick: { 16: 2, 200: 1, 1000: 0 },
};

export interface GenerationTiming {
  readonly loadMs: number;
  readonly senderMs: number;
  readonly receiverMs: number;
  readonly totalMs: number;
  /** Every rendered file of both targets. */
  readonly files: readonly RenderedFile[];
}

/** One generator run over the catalog in `dir`, in process: load, then render both targets (not written). */
export async function timeGeneration(dir: string): Promise<GenerationTiming> {
  const t0 = performance.now();
  const model = await loadCatalog(dir);
  const t1 = performance.now();
  const sender = await renderOutput(model, { target: "sender", runtime: "@hookline/core" }, "@bench/synthetic-catalog");
  const t2 = performance.now();
  const receiver = await renderOutput(model, { target: "receiver", runtime: "@hookline/core" }, "@bench/synthetic-catalog");
  const t3 = performance.now();
  return { loadMs: t1 - t0, senderMs: t2 - t1, receiverMs: t3 - t2, totalMs: t3 - t0, files: [...sender, ...receiver] };
}

export const generatorTiming: Benchmark = {
  id: "generator",
  group: "generator",
  summary: "loadCatalog + renderOutput (sender and receiver) for synthetic catalogs of 16, 200 and 1,000 event types",
  async run(ctx) {
    const results: BenchResult[] = [];
    for (const size of SIZES) {
      if (RUNS[ctx.mode][size] === 0) continue;
      const dir = path.join(ctx.tmpDir, `catalog-${size}`);
      const written = await writeSyntheticCatalog(dir, size);
      const phases = { load: [] as number[], sender: [] as number[], receiver: [] as number[] };
      const totals: number[] = [];
      let outputBytes = 0;
      for (let run = 0; run < RUNS[ctx.mode][size]; run++) {
        const timing = await timeGeneration(dir);
        phases.load.push(timing.loadMs);
        phases.sender.push(timing.senderMs);
        phases.receiver.push(timing.receiverMs);
        totals.push(timing.totalMs);
        outputBytes = timing.files.reduce((sum, file) => sum + Buffer.byteLength(file.text), 0);
        ctx.log(
          `generator: ${size} event types, run ${run + 1}: ${Math.round(timing.totalMs)} ms (load ${Math.round(timing.loadMs)}, sender ${Math.round(timing.senderMs)}, receiver ${Math.round(timing.receiverMs)})`,
        );
      }
      const medianMs = median(totals);
      const target = size === 1000 ? TARGET_1000 : undefined;
      results.push({
        kind: "timing",
        id: `generator-${size}`,
        group: "generator",
        title: `Generator, ${size.toLocaleString("en-US")} event types`,
        description: `\`loadCatalog(dir)\` then \`renderOutput(model, …)\` for the sender and the receiver target, in process (files rendered, not written), on a synthetic catalog of ${size} event types (${written.files} files, ${Math.round(written.bytes / 1024)} KiB). The first run of the first size includes module warm-up.`,
        samplesMs: totals,
        medianMs,
        details: {
          catalogFiles: written.files,
          catalogKiB: Math.round(written.bytes / 1024),
          outputKiB: Math.round(outputBytes / 1024),
          loadMs: Math.round(median(phases.load)),
          renderSenderMs: Math.round(median(phases.sender)),
          renderReceiverMs: Math.round(median(phases.receiver)),
        },
        ...(target === undefined ? {} : { target, met: meets(medianMs, target) }),
      });
    }
    return results;
  },
};
