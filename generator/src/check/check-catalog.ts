/**
 * `checkCatalog`: compares a catalog with an earlier one (a directory or a git ref) and classifies
 * every change of every event type, version and shared definition under the three compatibility
 * modes. Event files pair by (type, version), definitions by `$id`; cross-file `$ref`s are inlined
 * first, so a change in a definition is reported under each event version that reaches it (and
 * under the definition). A version that exists in the earlier catalog is released: a change that
 * breaks it under the chosen mode is an error telling to add a new version and a converter instead.
 */

import path from "node:path";
import { compareSchemas } from "../compat/diff.js";
import { CATALOG_RULES, type CatalogRuleName, type ModeVerdicts, type RuleName } from "../compat/rules.js";
import { compareCodeUnits } from "../schema/compare.js";
import { materializeAgainst } from "./against.js";
import { type CatalogSide, type SideDocument, type SideEvent, readSide } from "./catalog-side.js";
import { CheckError } from "./check-error.js";
import { selfContained, sourceOf } from "./inline-refs.js";
import { type SubscriberLookup, type Subscribers, serverLookup } from "./subscribers.js";

export const MODES = ["backward", "forward", "full"] as const;
export type CompatibilityMode = (typeof MODES)[number];
/** Webhook receivers validate with the schema they were generated from, so `forward` is what breaks them. */
export const DEFAULT_MODE: CompatibilityMode = "forward";

export type CheckSubject =
  | { readonly kind: "event"; readonly type: string; readonly version: number; readonly file: string }
  | { readonly kind: "definition"; readonly id: string; readonly file: string };

export interface CheckChange {
  /** The event version or definition the change is reported under. */
  readonly subject: CheckSubject;
  /** Catalog-relative file the pointer is in (a shared definition's file for a change reached through `$ref`). */
  readonly file: string;
  readonly pointer: string;
  readonly rule: RuleName | CatalogRuleName;
  readonly detail: string;
  readonly verdict: ModeVerdicts;
  /** Whether the verdict under the chosen mode is `breaking`. */
  readonly breaking: boolean;
  /** With a server: the endpoints pinned to this event version (breaking changes of event versions only). */
  readonly subscribers?: Subscribers;
}

export interface CheckNotice {
  readonly subject: CheckSubject;
  readonly message: string;
  readonly fix: string;
  readonly subscribers?: Subscribers;
}

export interface CheckReport {
  readonly catalog: string;
  readonly against: string;
  readonly mode: CompatibilityMode;
  readonly server?: string;
  readonly changes: readonly CheckChange[];
  /** Released versions edited in a breaking way. */
  readonly errors: readonly CheckNotice[];
  /** Deprecations, and deprecated versions removed while (or perhaps while) endpoints are pinned to them. */
  readonly warnings: readonly CheckNotice[];
  /** A change breaks under the chosen mode (the CLI exits 1). */
  readonly breaking: boolean;
}

export interface CheckOptions {
  /** Catalog folder; default `./catalog`. */
  readonly catalog?: string | undefined;
  /** The earlier catalog: a directory, or a git ref of the repository holding `catalog`. */
  readonly against: string;
  /** Which verdict counts as breaking; default `forward`. */
  readonly mode?: CompatibilityMode | undefined;
  /** A running Hookline server to ask which endpoints a breaking change reaches. */
  readonly server?: string | undefined;
  /** Default: the `HOOKLINE_API_KEY` environment variable. */
  readonly apiKey?: string | undefined;
  readonly fetch?: typeof fetch | undefined;
}

export async function checkCatalog(options: CheckOptions): Promise<CheckReport> {
  const catalog = path.resolve(options.catalog ?? "catalog");
  const mode = options.mode ?? DEFAULT_MODE;
  if (!MODES.includes(mode)) throw new CheckError(`Unknown mode ${JSON.stringify(mode)}: use one of ${MODES.join(", ")}.`);
  const lookup =
    options.server === undefined ? undefined : serverLookup({ url: options.server, apiKey: apiKeyFor(options), fetch: options.fetch });
  const against = await materializeAgainst(catalog, options.against);
  try {
    const oldSide = await readSide(against.dir, "earlier");
    const newSide = await readSide(catalog, "current");
    const result = await compareSides(oldSide, newSide, { mode, lookup, againstLabel: against.label });
    return {
      catalog,
      against: against.label,
      mode,
      ...(options.server === undefined ? {} : { server: options.server }),
      ...result,
      breaking: result.errors.length > 0 || result.changes.some((c) => c.breaking),
    };
  } finally {
    await against.cleanup();
  }
}

function apiKeyFor(options: CheckOptions): string {
  const key = options.apiKey ?? process.env.HOOKLINE_API_KEY;
  if (key === undefined || key === "")
    throw new CheckError("--server needs the server's API key: set HOOKLINE_API_KEY in the environment (it is never printed).");
  return key;
}

interface Context {
  readonly mode: CompatibilityMode;
  readonly lookup: SubscriberLookup | undefined;
  readonly againstLabel: string;
}

type Draft = Omit<CheckChange, "breaking" | "verdict" | "subscribers"> & { verdict: ModeVerdicts };

async function compareSides(
  oldSide: CatalogSide,
  newSide: CatalogSide,
  ctx: Context,
): Promise<Pick<CheckReport, "changes" | "errors" | "warnings">> {
  const drafts: Draft[] = [];
  const errors: CheckNotice[] = [];
  const warnings: CheckNotice[] = [];
  const sides = [newSide, oldSide];
  const isBreaking = (d: { verdict: ModeVerdicts }) => d.verdict[ctx.mode] === "breaking";
  const catalogChange = (subject: CheckSubject, rule: CatalogRuleName, detail: string, file = subject.file) =>
    drafts.push({ subject, file, pointer: "", rule, detail, verdict: CATALOG_RULES[rule] });

  for (const type of sortedTypes(oldSide, newSide)) {
    const olds = versionsOf(oldSide, type);
    const news = versionsOf(newSide, type);
    const newest = Math.max(0, ...news.map((e) => e.version), ...olds.map((e) => e.version));
    for (const event of news.filter((e) => !has(olds, e.version))) {
      const subject = eventSubject(event);
      if (olds.length === 0) catalogChange(subject, "event-type-added", `new event type ${type}, version ${event.version}`);
      else catalogChange(subject, "version-added", `${type} v${event.version} added`);
    }
    for (const before of olds) {
      const after = news.find((e) => e.version === before.version);
      if (after === undefined) {
        await removedVersion(before, news.length === 0, catalogChange, warnings, ctx);
        continue;
      }
      const subject = eventSubject(after);
      const found = schemaChanges(before, after, oldSide, newSide, sides, subject).filter(
        (d) => !(d.rule === "annotation-changed" && d.file === after.file && d.pointer === "/deprecated"),
      );
      drafts.push(...found);
      if (!before.deprecated && after.deprecated) {
        catalogChange(subject, "version-deprecated", `${type} v${after.version} is now deprecated`);
        warnings.push(await deprecationNotice(subject, type, after.version, newest, ctx));
      }
      const breaking = found.filter(isBreaking);
      if (breaking.length > 0) errors.push(releasedEditError(subject, after, breaking, newest + 1, ctx));
    }
  }

  for (const id of [...new Set([...oldSide.definitions.keys(), ...newSide.definitions.keys()])].sort(compareCodeUnits)) {
    const before = oldSide.definitions.get(id);
    const after = newSide.definitions.get(id);
    const doc = (after ?? before) as SideDocument;
    const subject: CheckSubject = { kind: "definition", id, file: doc.file };
    if (before === undefined) catalogChange(subject, "definition-added", `shared definition ${doc.file} added`);
    else if (after === undefined) catalogChange(subject, "definition-removed", `shared definition ${doc.file} removed`);
    else drafts.push(...schemaChanges(before, after, oldSide, newSide, sides, subject));
  }

  const changes: CheckChange[] = [];
  for (const draft of drafts.sort(bySubject)) {
    const breaking = isBreaking(draft);
    const subject = draft.subject;
    const subscribers =
      breaking && subject.kind === "event" && ctx.lookup !== undefined ? await ctx.lookup(subject.type, subject.version) : undefined;
    changes.push({ ...draft, breaking, ...(subscribers === undefined ? {} : { subscribers }) });
  }
  return { changes, errors, warnings };
}

function schemaChanges(
  before: SideDocument,
  after: SideDocument,
  oldSide: CatalogSide,
  newSide: CatalogSide,
  sides: readonly CatalogSide[],
  subject: CheckSubject,
): Draft[] {
  return compareSchemas(selfContained(before, oldSide), selfContained(after, newSide)).map((change) => ({
    subject,
    ...sourceOf(change.pointer, after, sides),
    rule: change.rule,
    detail: change.detail,
    verdict: change.verdict,
  }));
}

async function removedVersion(
  before: SideEvent,
  typeRemoved: boolean,
  catalogChange: (subject: CheckSubject, rule: CatalogRuleName, detail: string) => void,
  warnings: CheckNotice[],
  ctx: Context,
): Promise<void> {
  const subject = eventSubject(before);
  const { type, version } = before;
  if (!before.deprecated) {
    catalogChange(
      subject,
      typeRemoved ? "event-type-removed" : "version-removed",
      typeRemoved
        ? `event type ${type} removed (v${version} was not deprecated)`
        : `${type} v${version} removed without being deprecated first`,
    );
    return;
  }
  catalogChange(subject, "deprecated-version-removed", `deprecated ${type} v${version} removed`);
  if (ctx.lookup === undefined) {
    warnings.push({
      subject,
      message: `deprecated ${type} v${version} is removed; whether endpoints are still pinned to it is not known`,
      fix: "run hookline check with --server <url> to list them (the server refuses to load a catalog that removes a pinned version)",
    });
    return;
  }
  const subscribers = await ctx.lookup(type, version);
  if (subscribers.count > 0)
    warnings.push({
      subject,
      subscribers,
      message: `deprecated ${type} v${version} is removed, but ${endpoints(subscribers.count)} still pinned to it`,
      fix: `re-pin them to a newer version (PATCH /v1/endpoints/{id} with "pins": {"${type}": <version>}) before deploying this catalog; the server refuses to load a catalog that removes a pinned version`,
    });
}

async function deprecationNotice(subject: CheckSubject, type: string, version: number, newest: number, ctx: Context): Promise<CheckNotice> {
  const subscribers = ctx.lookup === undefined ? undefined : await ctx.lookup(type, version);
  const pinned = subscribers === undefined ? "" : `; ${endpoints(subscribers.count)} pinned to it`;
  return {
    subject,
    message: `${type} v${version} is now deprecated${pinned}`,
    fix:
      version < newest
        ? `move receivers to v${newest} (PATCH /v1/endpoints/{id} with "pins": {"${type}": ${newest}}) before removing ${subject.file}${subscribers === undefined ? "; --server <url> lists who is pinned" : ""}`
        : `add ${type}.v${version + 1}.json for receivers to move to before removing ${subject.file}`,
    ...(subscribers === undefined ? {} : { subscribers }),
  };
}

function releasedEditError(subject: CheckSubject, after: SideEvent, breaking: readonly Draft[], next: number, ctx: Context): CheckNotice {
  const dir = path.posix.dirname(after.file);
  const base = `${dir}/${after.type}.v${next}`;
  const shared = [...new Set(breaking.map((d) => d.file).filter((f) => f !== after.file))].sort(compareCodeUnits);
  const keep = [after.file, ...shared].join(" and ");
  return {
    subject,
    message: `${after.type} v${after.version} is released (it is in ${ctx.againstLabel}) and this edit breaks it under ${ctx.mode} compatibility (${breaking.length} breaking change${breaking.length === 1 ? "" : "s"})`,
    fix: `keep ${keep} as in ${ctx.againstLabel}; put the change in a new version file ${base}.json ("x-hookline": { "version": ${next} }) with a converter ${base}.convert.ts exporting down(payload) from v${next} to v${next - 1}${shared.length > 0 ? " (copy a changed shared definition to a new file for the new version)" : ""}`,
  };
}

/** Events before definitions, by type and version, then by file, pointer and rule (a stable sort keeps detail order). */
function bySubject(a: Draft, b: Draft): number {
  const rank = (d: Draft) => (d.subject.kind === "event" ? 0 : 1);
  const name = (d: Draft) => (d.subject.kind === "event" ? d.subject.type : d.subject.file);
  const version = (d: Draft) => (d.subject.kind === "event" ? d.subject.version : 0);
  return (
    rank(a) - rank(b) ||
    compareCodeUnits(name(a), name(b)) ||
    version(a) - version(b) ||
    compareCodeUnits(a.file, b.file) ||
    compareCodeUnits(a.pointer, b.pointer) ||
    compareCodeUnits(a.rule, b.rule)
  );
}

function eventSubject(event: SideEvent): CheckSubject {
  return { kind: "event", type: event.type, version: event.version, file: event.file };
}

function sortedTypes(a: CatalogSide, b: CatalogSide): string[] {
  return [...new Set([...a.events.values(), ...b.events.values()].map((e) => e.type))].sort(compareCodeUnits);
}

function versionsOf(side: CatalogSide, type: string): SideEvent[] {
  return [...side.events.values()].filter((e) => e.type === type).sort((x, y) => x.version - y.version);
}

function has(events: readonly SideEvent[], version: number): boolean {
  return events.some((e) => e.version === version);
}

function endpoints(count: number): string {
  return count === 1 ? "1 endpoint is" : `${count} endpoints are`;
}
