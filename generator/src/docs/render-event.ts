/** One page per event type: description, every version (newest first) with its properties, examples and changelog, and the SDK calls. */

import type { CatalogModel, EventModel } from "../model/catalog-model.js";
import { changelogHtml, type VersionChanges, versionChanges } from "./changelog.js";
import { escapeHtml, jsonBlock, richText } from "./html.js";
import { propertyRows, propertyTable, SchemaLinks } from "./schema-table.js";
import { receiverSnippet, type SdkModules, senderSnippet, snippetBlock } from "./sdk-snippets.js";

/** A fixed timestamp keeps the generated pages byte-for-byte reproducible. */
const EXAMPLE_TIMESTAMP = "2025-01-01T12:00:00Z";

/** `versions`: every version of one type, sorted ascending. Returns the body HTML of its page. */
export function eventPageBody(model: CatalogModel, versions: readonly EventModel[], modules: SdkModules): string {
  const newest = versions[versions.length - 1] as EventModel;
  const links = new SchemaLinks(model, "../");
  const changes = new Map(versionChanges(versions).map((c) => [c.to, c]));
  const newestFirst = [...versions].reverse();
  const versionNav = newestFirst
    .map(
      (v) =>
        `<li><a href="#v${v.version}">Version ${v.version}</a>${v.latest ? ` <span class="badge badge-latest">latest</span>` : ""}${v.deprecated ? ` <span class="badge badge-deprecated">deprecated</span>` : ""}</li>`,
    )
    .join("");
  const sections = newestFirst.map((v) => versionSection(v, changes.get(v.version), links)).join("\n");
  return `<p class="muted"><a href="../index.html#domain-${escapeHtml(newest.domain)}">${escapeHtml(newest.domain)}</a></p>
<h1><code>${escapeHtml(newest.type)}</code>${newest.deprecated ? ` <span class="badge badge-deprecated">deprecated</span>` : ""}</h1>
<ul class="meta"><li>Latest version ${newest.version}</li><li>${versions.length} version${versions.length === 1 ? "" : "s"}</li><li>Payload type <code>${escapeHtml(newest.plainName)}</code> (= <code>${escapeHtml(newest.typeName)}</code>)</li></ul>
<p class="lead">${richText(newest.description)}</p>
<nav class="versions" aria-label="Versions"><ul>${versionNav}</ul></nav>
<h2 id="sdk">Send and handle it</h2>
<p>Senders use <code>createSender(...).send(url, type, payload)</code>, which sends the latest version; an older one is sent with <code>{ version: n }</code>, typed by that version. Receivers register a handler by type; the SDKs carry every version, and each delivery says its version in the signed envelope.</p>
<h3 id="send">Send</h3>
${snippetBlock(senderSnippet(newest, modules, versions))}
<h3 id="receive">Receive</h3>
${snippetBlock(receiverSnippet(newest, modules, versions))}
${sections}`;
}

function versionSection(event: EventModel, changes: VersionChanges | undefined, links: SchemaLinks): string {
  const id = `v${event.version}`;
  const badges = `${event.latest ? ` <span class="badge badge-latest">latest</span>` : ""}${event.deprecated ? ` <span class="badge badge-deprecated">deprecated</span>` : ""}`;
  const deprecation = event.deprecated
    ? `<p class="deprecation" role="note"><strong>Deprecated.</strong> Version ${event.version} is still delivered to endpoints pinned to it, but will be removed; move receivers to the latest version.</p>`
    : "";
  const rows = propertyRows(event.schema, event.id, links);
  const examples =
    event.examples.length === 0
      ? `<p class="muted">This version has no examples.</p>`
      : event.examples.map((example, i) => `<h4>Example ${i + 1}: <code>data</code></h4>${jsonBlock(example)}`).join("\n");
  // `data` is the first example above; repeating it would only lengthen the page.
  const envelope = `{\n  "type": ${JSON.stringify(event.type)},\n  "version": ${event.version},\n  "timestamp": "${EXAMPLE_TIMESTAMP}",\n  "data": { … }\n}`;
  const changelog = changes === undefined ? `<p>First version of <code>${escapeHtml(event.type)}</code>.</p>` : changelogHtml(changes);
  return `<section id="${id}" aria-labelledby="${id}-title">
<h2 id="${id}-title">Version ${event.version}${badges}</h2>
${deprecation}<p>${richText(event.description)}</p>
<ul class="meta"><li>Payload type <code>${escapeHtml(event.typeName)}</code></li><li>Schema <code>${escapeHtml(event.file)}</code></li></ul>
<h3 id="${id}-properties">Properties</h3>
${propertyTable(rows, `Properties of ${event.type} version ${event.version} (the envelope's data)`)}
<h3 id="${id}-examples">Examples</h3>
${examples}
<h4>Delivered envelope (signed body; <code>data</code> as in the example)</h4>
<pre class="code"><code>${escapeHtml(envelope)}</code></pre>
<h3 id="${id}-changes">Changes</h3>
${changelog}
</section>`;
}
