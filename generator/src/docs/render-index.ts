/** The index page (event types grouped by domain, shared definitions) and the JSON index the search box reads. */

import type { CatalogModel, EventModel } from "../model/catalog-model.js";
import { definitionPath, escapeHtml, eventPath, richText } from "./html.js";

/** Every event type's versions, ascending, keyed by type in type order. */
export function eventTypes(model: CatalogModel): Map<string, EventModel[]> {
  const byType = new Map<string, EventModel[]>();
  for (const event of model.events) byType.set(event.type, [...(byType.get(event.type) ?? []), event]);
  return byType;
}

const newestOf = (versions: readonly EventModel[]): EventModel => versions[versions.length - 1] as EventModel;

/** The first sentence, for one-line summaries. */
function firstSentence(text: string): string {
  // A full stop followed by a capital letter ends a sentence; "e.g. `x`" does not.
  const match = /^[\s\S]*?[.!?](?=\s+[A-Z]|\s*$)/.exec(text);
  return (match?.[0] ?? text).trim();
}

export function indexPageBody(model: CatalogModel, siteTitle: string): string {
  const types = eventTypes(model);
  const domains = new Map<string, EventModel[][]>();
  for (const versions of types.values()) {
    const domain = newestOf(versions).domain;
    domains.set(domain, [...(domains.get(domain) ?? []), versions]);
  }
  const domainSections = [...domains.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([domain, list]) => {
      const items = list
        .map((versions) => {
          const newest = newestOf(versions);
          const deprecated = newest.deprecated ? ` <span class="badge badge-deprecated">deprecated</span>` : "";
          const older = versions.filter((v) => v.deprecated && !v.latest).length;
          const note = older > 0 ? ` <span class="badge">${older} deprecated version${older === 1 ? "" : "s"}</span>` : "";
          return `<li><a href="${escapeHtml(eventPath(newest.type))}"><code>${escapeHtml(newest.type)}</code></a> <span class="muted">v${newest.version}</span>${deprecated}${note}<p>${richText(firstSentence(newest.description))}</p></li>`;
        })
        .join("\n");
      return `<section aria-labelledby="domain-${escapeHtml(domain)}"><h3 id="domain-${escapeHtml(domain)}">${escapeHtml(domain)}</h3><ul>\n${items}\n</ul></section>`;
    })
    .join("\n");
  const definitions = model.definitions
    .map(
      (d) =>
        `<li><a href="${escapeHtml(definitionPath(d.typeName))}">${escapeHtml(d.typeName)}</a><p>${richText(firstSentence(d.description ?? ""))}</p></li>`,
    )
    .join("\n");
  return `<h1>${escapeHtml(siteTitle)}</h1>
<p class="lead">${types.size} event types in ${domains.size} domains, ${model.events.length} schema versions, ${model.definitions.length} shared definitions. Every delivery is a signed Standard Webhooks envelope <code>{"type", "version", "timestamp", "data"}</code>; each page documents <code>data</code>.</p>
<h2 id="events">Event types</h2>
<div class="domains">
${domainSections}
</div>
<h2 id="definitions">Shared definitions</h2>
<ul class="definitions">
${definitions}
</ul>`;
}

export interface SearchEntry {
  readonly kind: "event" | "definition";
  readonly name: string;
  readonly summary: string;
  /** Relative to the site root. */
  readonly url: string;
  readonly deprecated: boolean;
  /** Lower-case text every query word is matched against. */
  readonly text: string;
}

export function searchIndex(model: CatalogModel): { entries: SearchEntry[] } {
  const entries: SearchEntry[] = [];
  for (const versions of eventTypes(model).values()) {
    const newest = newestOf(versions);
    const words = versions.flatMap((v) => [v.typeName, v.description, ...propertyNames(v.schema)]);
    entries.push({
      kind: "event",
      name: newest.type,
      summary: firstSentence(newest.description),
      url: eventPath(newest.type),
      deprecated: newest.deprecated,
      text: [newest.type, newest.domain, ...words].join(" ").toLowerCase(),
    });
  }
  for (const d of model.definitions) {
    entries.push({
      kind: "definition",
      name: d.typeName,
      summary: firstSentence(d.description ?? ""),
      url: definitionPath(d.typeName),
      deprecated: false,
      text: [d.typeName, d.description ?? ""].join(" ").toLowerCase(),
    });
  }
  return { entries };
}

/** Property names at any depth of inline objects. */
function propertyNames(schema: unknown): string[] {
  if (typeof schema !== "object" || schema === null) return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(schema)) {
    if (key === "examples" || key === "enum" || key === "const") continue;
    if (key === "properties" && typeof value === "object" && value !== null) out.push(...Object.keys(value));
    out.push(...propertyNames(value));
  }
  return out;
}
