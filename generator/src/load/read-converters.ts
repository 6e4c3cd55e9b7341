/**
 * Reads the converter modules next to the event schemas (`events/<domain>/<type>.v<n>.convert.ts`)
 * and pairs them with the catalog's versions: every adjacent pair of versions of a type needs one,
 * and every module must belong to such a pair. Each module's own rules are in `converter-module.ts`;
 * its types are checked against both versions later, once the model exists (`verify/`).
 */

import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { ConverterModel } from "../model/catalog-model.js";
import { compareCodeUnits } from "../schema/compare.js";
import { CONVERTER_FILE_PATTERN, converterFileName, typesImportSpecifier, versionedTypeName } from "../schema/converters.js";
import type { CatalogIssue } from "../schema/issues.js";
import { checkConverterModule } from "./converter-module.js";

/** What pairing needs to know of one event file. */
export interface EventVersionRef {
  readonly type: string;
  readonly version: number;
  readonly title: string;
  /** Catalog-relative path of the schema file. */
  readonly file: string;
}

interface Pair {
  readonly type: string;
  readonly lower: EventVersionRef;
  readonly higher: EventVersionRef;
  /** Where the converter must be: next to the higher version's schema. */
  readonly file: string;
}

export async function readConverters(
  catalogDir: string,
  events: readonly EventVersionRef[],
  issues: CatalogIssue[],
): Promise<ConverterModel[]> {
  const pairs = adjacentPairs(events);
  const byFile = new Map(pairs.map((pair) => [pair.file, pair]));
  const found = new Set<string>();
  const converters: ConverterModel[] = [];
  for (const file of await listTypeScriptFiles(catalogDir)) {
    const name = file.slice(file.lastIndexOf("/") + 1);
    const pair = byFile.get(file);
    if (pair === undefined) {
      issues.push(strayModule(file, name, pairs));
      continue;
    }
    found.add(file);
    const text = await readFile(path.join(catalogDir, file), "utf8");
    const names = {
      lower: versionedTypeName(pair.lower.title, pair.lower.version),
      higher: versionedTypeName(pair.higher.title, pair.higher.version),
    };
    const shape = checkConverterModule(file, text, names, issues);
    converters.push({ type: pair.type, version: pair.higher.version, from: pair.lower.version, file, text, hasUp: shape.exportsUp });
  }
  for (const pair of pairs) {
    if (found.has(pair.file)) continue;
    const lower = versionedTypeName(pair.lower.title, pair.lower.version);
    const higher = versionedTypeName(pair.higher.title, pair.higher.version);
    issues.push({
      file: pair.file,
      pointer: "",
      message: `is missing: ${pair.type} has versions ${pair.lower.version} and ${pair.higher.version}, and every adjacent pair of versions needs a converter`,
      fix: `create ${pair.file} with \`import type { ${higher}, ${lower} } from "${typesImportSpecifier(pair.file)}";\`, exporting \`down(payload: ${higher}): ${lower}\` and, if the conversion can be done without inventing data, \`up(payload: ${lower}): ${higher}\`; then run npm run generate`,
    });
  }
  return converters.sort((a, b) => compareCodeUnits(a.type, b.type) || a.version - b.version);
}

/** For each event type, each version and the one before it, in ascending order. */
function adjacentPairs(events: readonly EventVersionRef[]): Pair[] {
  const byType = new Map<string, EventVersionRef[]>();
  for (const event of events) byType.set(event.type, [...(byType.get(event.type) ?? []), event]);
  const pairs: Pair[] = [];
  for (const [type, versions] of byType) {
    // A version defined twice is its own catalog error; it needs no converter to itself.
    const sorted = [...versions].sort((a, b) => a.version - b.version).filter((v, i, all) => i === 0 || all[i - 1]?.version !== v.version);
    for (let i = 1; i < sorted.length; i++) {
      const lower = sorted[i - 1] as EventVersionRef;
      const higher = sorted[i] as EventVersionRef;
      const folder = higher.file.slice(0, higher.file.lastIndexOf("/") + 1);
      pairs.push({ type, lower, higher, file: `${folder}${converterFileName(type, higher.version)}` });
    }
  }
  return pairs;
}

/** A TypeScript file under events/ that is not the converter of an adjacent pair: say what it should be. */
function strayModule(file: string, name: string, pairs: readonly Pair[]): CatalogIssue {
  const match = CONVERTER_FILE_PATTERN.exec(name);
  if (match === null)
    return {
      file,
      pointer: "",
      message: "is not a converter module: the only TypeScript files under events/ are <type>.v<n>.convert.ts",
      fix: "rename it to <type>.v<n>.convert.ts (the converter between versions n-1 and n of <type>) or move it out of the catalog",
    };
  const expected = pairs.find((p) => p.type === match.groups?.type && String(p.higher.version) === match.groups?.version);
  if (expected !== undefined)
    return {
      file,
      pointer: "",
      message: `is in the wrong folder: the converter sits next to ${expected.higher.file}`,
      fix: `move it to ${expected.file}`,
    };
  return {
    file,
    pointer: "",
    message: `converts to version ${match.groups?.version} of ${match.groups?.type}, but the catalog has no such version with a version before it`,
    fix: "delete it, or add the schema files of both versions; a converter v<n> converts between versions n-1 and n",
  };
}

/** Catalog-relative paths of the `.ts` files under `events/`, sorted; `.d.ts` files are not modules to check. */
async function listTypeScriptFiles(catalogDir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(path.join(catalogDir, "events"), { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return entries
    .filter((entry) => entry.endsWith(".ts") && !entry.endsWith(".d.ts"))
    .map((entry) => `events/${entry.split(path.sep).join("/")}`)
    .sort(compareCodeUnits);
}
