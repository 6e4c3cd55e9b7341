/**
 * The property table of a schema: one row per property, nested inline objects expanded under
 * their parent (`parcels[].tracking`), `$ref`s to shared definitions shown as links to their page
 * instead of expanded (so a recursive definition cannot loop). Every cell is escaped HTML.
 */

import type { CatalogModel, DefinitionModel } from "../model/catalog-model.js";
import { pointerGet } from "../schema/json-pointer.js";
import { definitionPath, escapeHtml, richText } from "./html.js";

type Schema = { readonly [keyword: string]: unknown };

export interface PropertyRow {
  /** Dotted path from the table's root, `[]` for array items: `parcels[].parcelId`. */
  readonly path: string;
  readonly depth: number;
  readonly typeHtml: string;
  readonly required: boolean;
  readonly descriptionHtml: string;
  readonly constraintsHtml: readonly string[];
  readonly deprecated: boolean;
}

/** Resolves `$ref`s against the catalog and links shared definitions relative to the page (`root` is "" or "../"). */
export class SchemaLinks {
  private readonly byUri: ReadonlyMap<string, DefinitionModel>;
  constructor(
    private readonly model: CatalogModel,
    private readonly root: string,
  ) {
    this.byUri = new Map(model.definitions.map((d) => [d.uri, d]));
  }

  /** The definition a `$ref` names, if it is one of the catalog's shared definitions. */
  definition(ref: string, baseId: string): DefinitionModel | undefined {
    if (!URL.canParse(ref, baseId)) return undefined;
    const url = new URL(ref, baseId);
    const fragment = decodeURIComponent(url.hash.slice(1));
    url.hash = "";
    return this.byUri.get(`${url.href}#${fragment}`);
  }

  /** The schema a `$ref` points at (any catalog document), with the base its own `$ref`s resolve against. */
  target(ref: string, baseId: string): { schema: unknown; baseId: string } | undefined {
    if (!URL.canParse(ref, baseId)) return undefined;
    const url = new URL(ref, baseId);
    const fragment = decodeURIComponent(url.hash.slice(1));
    url.hash = "";
    const document = this.model.documents.get(url.href);
    if (document === undefined) return undefined;
    const schema = fragment === "" ? document : pointerGet(document, fragment);
    return schema === undefined ? undefined : { schema, baseId: url.href };
  }

  link(definition: DefinitionModel): string {
    return `<a href="${escapeHtml(this.root + definitionPath(definition.typeName))}">${escapeHtml(definition.typeName)}</a>`;
  }
}

function isSchema(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A short type label: `string`, `integer | null`, `array of LineItemRef`, `one of Card | Bank`. */
export function typeLabel(schema: unknown, baseId: string, links: SchemaLinks): string {
  if (schema === true) return "any";
  if (schema === false) return "never";
  if (!isSchema(schema)) return "any";
  if (typeof schema.$ref === "string") {
    const definition = links.definition(schema.$ref, baseId);
    if (definition !== undefined) return links.link(definition);
    return `<code>${escapeHtml(schema.$ref)}</code>`;
  }
  const union = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : undefined;
  if (union !== undefined) return `one of ${union.map((branch) => typeLabel(branch, baseId, links)).join(" | ")}`;
  if (Array.isArray(schema.allOf)) return `all of ${schema.allOf.map((part) => typeLabel(part, baseId, links)).join(" &amp; ")}`;
  const types = Array.isArray(schema.type) ? schema.type.map(String) : typeof schema.type === "string" ? [schema.type] : [];
  if (types.length === 0) {
    if (schema.const !== undefined) return "constant";
    if (Array.isArray(schema.enum)) return "enum";
    if (isSchema(schema.properties)) return "object";
    return "any";
  }
  return types.map((t) => (t === "array" ? arrayLabel(schema, baseId, links) : escapeHtml(t))).join(" | ");
}

function arrayLabel(schema: Schema, baseId: string, links: SchemaLinks): string {
  if (schema.items === undefined) return "array";
  return `array of ${typeLabel(schema.items, baseId, links)}`;
}

const code = (value: unknown): string => `<code>${escapeHtml(JSON.stringify(value) ?? "undefined")}</code>`;

const BOUNDS: ReadonlyArray<readonly [string, string]> = [
  ["minLength", "min length"],
  ["maxLength", "max length"],
  ["minimum", "≥"],
  ["exclusiveMinimum", "&gt;"],
  ["maximum", "≤"],
  ["exclusiveMaximum", "&lt;"],
  ["multipleOf", "multiple of"],
  ["minItems", "min items"],
  ["maxItems", "max items"],
  ["minProperties", "min properties"],
  ["maxProperties", "max properties"],
];

/** Format, allowed values, pattern, bounds and default, each as one short escaped fragment. */
export function constraints(schema: unknown): string[] {
  if (!isSchema(schema)) return [];
  const out: string[] = [];
  if (typeof schema.format === "string") out.push(`format <code>${escapeHtml(schema.format)}</code>`);
  if (schema.const !== undefined) out.push(`always ${code(schema.const)}`);
  if (Array.isArray(schema.enum)) out.push(`one of ${schema.enum.map(code).join(", ")}`);
  if (typeof schema.pattern === "string") out.push(`pattern <code>${escapeHtml(schema.pattern)}</code>`);
  for (const [keyword, label] of BOUNDS) {
    if (typeof schema[keyword] === "number") out.push(`${label} ${escapeHtml(String(schema[keyword]))}`);
  }
  if (schema.uniqueItems === true) out.push("unique items");
  if (schema.default !== undefined) out.push(`default ${code(schema.default)}`);
  if (isSchema(schema.items)) out.push(...constraints(schema.items).map((c) => `items: ${c}`));
  return out;
}

/** Rows for every property of `schema` (an object, an array of objects, or a union of them), nested ones included. */
export function propertyRows(schema: unknown, baseId: string, links: SchemaLinks, prefix = "", depth = 0): PropertyRow[] {
  if (!isSchema(schema) || depth > 12) return [];
  const rows: PropertyRow[] = [];
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  for (const [name, child] of Object.entries(properties)) {
    const path = `${prefix}${name}`;
    rows.push(row(path, depth, child, required.has(name), baseId, links));
    rows.push(...nestedRows(child, baseId, links, path, depth + 1));
  }
  return rows;
}

function row(path: string, depth: number, schema: unknown, required: boolean, baseId: string, links: SchemaLinks): PropertyRow {
  const own = isSchema(schema) ? schema : {};
  // A `$ref` with its own description (the usual way to say what a shared type means here) keeps it.
  let description = typeof own.description === "string" ? own.description : "";
  if (description === "" && typeof own.$ref === "string") {
    const target = links.target(own.$ref, baseId)?.schema;
    if (isSchema(target) && typeof target.description === "string") description = target.description;
  }
  return {
    path,
    depth,
    typeHtml: typeLabel(schema, baseId, links),
    required,
    descriptionHtml: richText(description),
    constraintsHtml: constraints(schema),
    deprecated: own.deprecated === true,
  };
}

/** Inline objects under a property (directly, as array items, or as union branches) are expanded; `$ref`s are not. */
function nestedRows(schema: unknown, baseId: string, links: SchemaLinks, path: string, depth: number): PropertyRow[] {
  if (!isSchema(schema) || typeof schema.$ref === "string") return [];
  if (isSchema(schema.properties)) return propertyRows(schema, baseId, links, `${path}.`, depth);
  if (isSchema(schema.items)) return nestedRows(schema.items, baseId, links, `${path}[]`, depth);
  const union = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : [];
  return union.flatMap((branch, index) => nestedRows(branch, baseId, links, `${path}<${index + 1}>`, depth));
}

/** The rows as an HTML table, or a sentence when the schema has no properties. */
export function propertyTable(rows: readonly PropertyRow[], caption: string): string {
  if (rows.length === 0) return `<p class="muted">No properties.</p>`;
  const body = rows
    .map((r) => {
      // Long nested paths break after a dot, never inside a name.
      const name = `<code class="prop-name">${escapeHtml(r.path).replace(/\./g, ".<wbr>")}</code>`;
      const badges = [
        r.required ? `<span class="badge badge-required">required</span>` : `<span class="badge badge-optional">optional</span>`,
        r.deprecated ? `<span class="badge badge-deprecated">deprecated</span>` : "",
      ].join("");
      const details =
        r.constraintsHtml.length === 0 ? "" : `<ul class="constraints">${r.constraintsHtml.map((c) => `<li>${c}</li>`).join("")}</ul>`;
      return `<tr class="depth-${Math.min(r.depth, 6)}"><th scope="row">${name}</th><td class="type">${r.typeHtml}</td><td>${badges}</td><td>${r.descriptionHtml}${details}</td></tr>`;
    })
    .join("\n");
  return `<div class="table-wrap"><table class="props"><caption>${escapeHtml(caption)}</caption><thead><tr><th scope="col">Property</th><th scope="col">Type</th><th scope="col">Presence</th><th scope="col">Description</th></tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}
