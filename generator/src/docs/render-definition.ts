/** One page per shared definition: description, properties (or union branches), examples, and the events and definitions that use it. */

import type { CatalogModel, DefinitionModel } from "../model/catalog-model.js";
import { definitionPath, escapeHtml, eventPath, jsonBlock, richText } from "./html.js";
import { propertyRows, propertyTable, SchemaLinks, constraints, typeLabel } from "./schema-table.js";

/** Keywords whose values are data, not schemas: a `$ref` key inside them is not a reference. */
const DATA_KEYWORDS = new Set(["examples", "const", "enum", "default"]);

/** Every `$ref` string in a schema, with nothing resolved. */
function refsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refsIn(item, out);
  else if (typeof value === "object" && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      if (key === "$ref" && typeof child === "string") out.push(child);
      else if (!DATA_KEYWORDS.has(key)) refsIn(child, out);
    }
  }
  return out;
}

/** Which pages link to each definition: "order.shipped v2" and definition names, by definition URI. */
export function definitionUsers(model: CatalogModel): Map<string, { events: Set<string>; definitions: Set<string> }> {
  const links = new SchemaLinks(model, "");
  const users = new Map(model.definitions.map((d) => [d.uri, { events: new Set<string>(), definitions: new Set<string>() }]));
  for (const event of model.events) {
    for (const ref of refsIn(event.schema)) {
      const target = links.definition(ref, event.id);
      if (target !== undefined) users.get(target.uri)?.events.add(event.type);
    }
  }
  for (const definition of model.definitions) {
    const base = definition.uri.slice(0, definition.uri.indexOf("#"));
    const schema = links.target(definition.uri, base)?.schema;
    // A file's root schema would list its own `$defs` entries as users: only references outside `$defs` count.
    const own = typeof schema === "object" && schema !== null ? { ...schema, $defs: undefined } : schema;
    for (const ref of refsIn(own)) {
      const target = links.definition(ref, base);
      if (target !== undefined && target !== definition) users.get(target.uri)?.definitions.add(definition.typeName);
    }
  }
  return users;
}

export function definitionPageBody(
  model: CatalogModel,
  definition: DefinitionModel,
  users: { events: ReadonlySet<string>; definitions: ReadonlySet<string> } | undefined,
): string {
  const links = new SchemaLinks(model, "../");
  const base = definition.uri.slice(0, definition.uri.indexOf("#"));
  const found = links.target(definition.uri, base);
  const schema = (found?.schema ?? {}) as Record<string, unknown>;
  const union = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : undefined;
  const rows = propertyRows(schema, base, links);
  const shape =
    union !== undefined
      ? `<p>One of:</p><ul>${union.map((branch) => `<li>${typeLabel(branch, base, links)}</li>`).join("")}</ul>`
      : rows.length > 0
        ? propertyTable(rows, `Properties of ${definition.typeName}`)
        : `<p>Type: ${typeLabel(schema, base, links)}</p>${constraintList(schema)}`;
  const examples =
    Array.isArray(schema.examples) && schema.examples.length > 0
      ? schema.examples.map((e) => jsonBlock(e)).join("\n")
      : `<p class="muted">No examples.</p>`;
  const eventUsers = [...(users?.events ?? [])].sort();
  const definitionUsersList = [...(users?.definitions ?? [])].sort();
  const usedBy =
    eventUsers.length + definitionUsersList.length === 0
      ? `<p class="muted">Not referenced by any event or definition.</p>`
      : `<ul>${eventUsers.map((t) => `<li><a href="../${escapeHtml(eventPath(t))}"><code>${escapeHtml(t)}</code></a></li>`).join("")}${definitionUsersList
          .map((n) => `<li><a href="../${escapeHtml(definitionPath(n))}">${escapeHtml(n)}</a></li>`)
          .join("")}</ul>`;
  return `<p class="muted"><a href="../index.html#definitions">Shared definitions</a></p>
<h1>${escapeHtml(definition.typeName)}${schema.deprecated === true ? ` <span class="badge badge-deprecated">deprecated</span>` : ""}</h1>
<ul class="meta"><li>Defined in <code>${escapeHtml(definition.file)}</code></li></ul>
<p class="lead">${richText(definition.description ?? "")}</p>
<h2 id="shape">Shape</h2>
${shape}
<h2 id="examples">Examples</h2>
${examples}
<h2 id="used-by">Used by</h2>
${usedBy}`;
}

function constraintList(schema: unknown): string {
  const items = constraints(schema);
  return items.length === 0 ? "" : `<ul class="constraints">${items.map((c) => `<li>${c}</li>`).join("")}</ul>`;
}
