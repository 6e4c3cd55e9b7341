/**
 * HTML text helpers for the docs site. Everything read from the catalog goes through `escapeHtml`
 * (or `richText`, which escapes first and only then turns `code` spans into <code>), so a
 * description containing markup is shown as text, never interpreted.
 */

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

/** Catalog prose: escaped, with `backtick spans` as <code>; nothing else is interpreted. */
export function richText(text: string): string {
  return text
    .split(/(`[^`\n]+`)/)
    .map((part) =>
      part.length > 2 && part.startsWith("`") && part.endsWith("`") ? `<code>${escapeHtml(part.slice(1, -1))}</code>` : escapeHtml(part),
    )
    .join("");
}

/** A file-name-safe slug: letters, digits, `.`, `_` and `-` kept, anything else becomes `-`. */
export function slug(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]/g, "-").replace(/^\.+/, "");
  return cleaned === "" ? "-" : cleaned;
}

/** The page of an event type and of a shared definition, relative to the site root. */
export function eventPath(type: string): string {
  return `events/${slug(type)}.html`;
}

export function definitionPath(typeName: string): string {
  return `definitions/${slug(typeName)}.html`;
}

/** Pretty-printed JSON, escaped for a <pre> block. */
export function jsonBlock(value: unknown): string {
  return `<pre class="code"><code>${escapeHtml(JSON.stringify(value, null, 2) ?? "undefined")}</code></pre>`;
}
