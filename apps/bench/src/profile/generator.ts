/**
 * Generates a synthetic catalog and runs the generator on it once, printing phase times, so the
 * generator can be profiled on its own:
 *
 *   node --cpu-prof --cpu-prof-dir=prof dist/profile/generator.js [eventTypes=200]
 *   node dist/profile/summarize.js prof/<file>.cpuprofile
 */

import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { loadCatalog, renderOutput } from "@hookline/generator";
import { writeSyntheticCatalog } from "../fixtures/synthetic-catalog.js";

const size = Number(process.argv[2] ?? 200);
const dir = await mkdtemp(path.join(os.tmpdir(), "hookline-generator-profile-"));
try {
  await writeSyntheticCatalog(dir, size);
  const t0 = performance.now();
  const model = await loadCatalog(dir);
  const t1 = performance.now();
  const sender = await renderOutput(model, { target: "sender", runtime: "@hookline/core" }, "@bench/synthetic-catalog");
  const t2 = performance.now();
  const receiver = await renderOutput(model, { target: "receiver", runtime: "@hookline/core" }, "@bench/synthetic-catalog");
  const t3 = performance.now();
  const files = [...sender, ...receiver].map((f) => `${f.path} ${Math.round(f.text.length / 1024)} KiB`).join(", ");
  console.log(`${size} event types: load ${Math.round(t1 - t0)} ms, sender ${Math.round(t2 - t1)} ms, receiver ${Math.round(t3 - t2)} ms, total ${Math.round(t3 - t0)} ms (${files})`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
