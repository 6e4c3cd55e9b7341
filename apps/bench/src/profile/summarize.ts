/**
 * Summarises a V8 `.cpuprofile`: self time by function (with file and line) and by file, as a
 * percentage of all samples, so a bottleneck can be named with a number.
 *
 *   node dist/profile/summarize.js <file.cpuprofile> [top=25] [url-filter]
 *
 * With a URL filter (e.g. `generator/dist`), it also prints inclusive time (the share of samples
 * with that function anywhere on the stack) for functions whose file matches the filter.
 */

import { readFile } from "node:fs/promises";

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface SelfTimeRow {
  readonly name: string;
  readonly percent: number;
}

/** Self time per key (function or file) as a percentage of the profile's sampled time. */
export function selfTime(profile: CpuProfile, key: (node: ProfileNode) => string): SelfTimeRow[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const delta = profile.timeDeltas[i] ?? 0;
    if (node === undefined) return;
    all += delta;
    const name = key(node);
    totals.set(name, (totals.get(name) ?? 0) + delta);
  });
  return [...totals].map(([name, time]) => ({ name, percent: (100 * time) / all })).sort((a, b) => b.percent - a.percent);
}

/** Inclusive time per function of files whose URL contains `filter`; each sample counts once per function. */
export function inclusiveTime(profile: CpuProfile, filter: string): SelfTimeRow[] {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    all += delta;
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const node = byId.get(current);
      if (node === undefined || !node.callFrame.url.includes(filter)) continue;
      seen.add(`${node.callFrame.functionName || "(anonymous)"}  ${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`);
    }
    for (const name of seen) totals.set(name, (totals.get(name) ?? 0) + delta);
  });
  return [...totals].map(([name, time]) => ({ name, percent: (100 * time) / all })).sort((a, b) => b.percent - a.percent);
}

const shortUrl = (url: string) =>
  url
    .replace(/^file:\/\//, "")
    .replace(/^.*node_modules\//, "node_modules/")
    .replace(/^\/work\/main\//, "") || "(native)";

export function describeProfile(profile: CpuProfile, top: number, filter?: string): string {
  const byFunction = selfTime(
    profile,
    (n) =>
      `${n.callFrame.functionName || "(anonymous)"}  ${shortUrl(n.callFrame.url)}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ""}`,
  );
  const byFile = selfTime(profile, (n) => shortUrl(n.callFrame.url));
  const format = (rows: SelfTimeRow[]) =>
    rows
      .slice(0, top)
      .map((r) => `${r.percent.toFixed(1).padStart(5)} %  ${r.name}`)
      .join("\n");
  const inclusive =
    filter === undefined ? "" : `\n\nInclusive time, functions in files matching "${filter}":\n${format(inclusiveTime(profile, filter))}`;
  return `Self time by function:\n${format(byFunction)}\n\nSelf time by file:\n${format(byFile)}${inclusive}`;
}

const [file, top = "25", filter] = process.argv.slice(2);
if (file !== undefined) {
  const profile = JSON.parse(await readFile(file, "utf8")) as CpuProfile;
  console.log(describeProfile(profile, Number(top), filter));
}
