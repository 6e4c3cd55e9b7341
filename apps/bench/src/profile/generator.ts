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
import { timeGeneration } from "../benchmarks/generator.js";
import { writeSyntheticCatalog } from "../fixtures/synthetic-catalog.js";

const size = Number(process.argv[2] ?? 200);
const dir = await mkdtemp(path.join(os.tmpdir(), "hookline-generator-profile-"));
try {
  await writeSyntheticCatalog(dir, size);
  const t = await timeGeneration(dir);
  const files = t.files.map((f) => `${f.path} ${Math.round(f.text.length / 1024)} KiB`).join(", ");
  console.log(
    `${size} event types: load ${Math.round(t.loadMs)} ms, sender ${Math.round(t.senderMs)} ms, receiver ${Math.round(t.receiverMs)} ms, total ${Math.round(t.totalMs)} ms (${files})`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
