/**
 * The changelog between adjacent versions of an event type, computed from the schemas with
 * `compareSchemas` (the rule names of `compat/rules.ts`), on the bundled schemas so that a change in a
 * shared definition shows up under every event that uses it.
 */

import { type SchemaChange, compareSchemas } from "../compat/diff.js";
import type { EventModel } from "../model/catalog-model.js";
import { escapeHtml, richText } from "./html.js";

export interface VersionChanges {
  readonly from: number;
  readonly to: number;
  readonly changes: readonly SchemaChange[];
}

/** Annotations that differ between any two versions by construction: listing them says nothing. */
const ALWAYS_DIFFERENT = new Set(["/$id", "/title", "/examples"]);

/** For each version after the first: what changed since the one before. `versions` sorted ascending. */
export function versionChanges(versions: readonly EventModel[]): VersionChanges[] {
  const out: VersionChanges[] = [];
  for (let i = 1; i < versions.length; i++) {
    const before = versions[i - 1] as EventModel;
    const after = versions[i] as EventModel;
    out.push({
      from: before.version,
      to: after.version,
      changes: compareSchemas(before.bundledSchema, after.bundledSchema).filter(
        (c) => !(c.rule === "annotation-changed" && ALWAYS_DIFFERENT.has(c.pointer)),
      ),
    });
  }
  return out;
}

/** A table of the changes, with forward compatibility first: it is what receivers still on the old version care about. */
export function changelogHtml(entry: VersionChanges): string {
  if (entry.changes.length === 0) return `<p>No schema changes from version ${entry.from}.</p>`;
  const breaking = entry.changes.filter((c) => c.verdict.forward === "breaking").length;
  const summary = `<p>${entry.changes.length} change${entry.changes.length === 1 ? "" : "s"} from version ${entry.from}; ${breaking} break${breaking === 1 ? "s" : ""} receivers still validating with version ${entry.from}.</p>`;
  const rows = entry.changes
    .map(
      (c) =>
        `<tr><td><code>${escapeHtml(c.rule)}</code></td><td><code>${escapeHtml(c.pointer || "/")}</code></td><td>${richText(c.detail)}</td><td>${verdict(c.verdict.forward)}</td><td>${verdict(c.verdict.backward)}</td></tr>`,
    )
    .join("\n");
  return `${summary}<div class="table-wrap"><table class="changes"><caption>Changes from version ${entry.from} to ${entry.to}</caption><thead><tr><th scope="col">Rule</th><th scope="col">Where</th><th scope="col">Change</th><th scope="col">Forward</th><th scope="col">Backward</th></tr></thead><tbody>\n${rows}\n</tbody></table></div>`;
}

function verdict(value: "compatible" | "breaking"): string {
  return `<span class="badge badge-${value}">${value}</span>`;
}
