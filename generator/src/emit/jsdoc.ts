/**
 * The one place JSDoc text is produced. Catalog descriptions are user text: `*\/` inside them would
 * end the comment early and turn the rest into code, so every comment goes through `escapeDocText`.
 * A comment is attached to the node it documents as a synthetic leading comment and printed with it.
 */

import { ts } from "ts-morph";
import type { DocInfo } from "../model/type-ir.js";

/** Also turns U+2028 and U+2029 into line feeds: they end a line for TypeScript, and every comment line starts with ` * `. */
function escapeDocText(text: string): string {
  return text
    .replace(/\*\//g, "*\\/")
    .replace(/\r\n?|[\u2028\u2029]/g, "\n")
    .trim();
}

/** The comment's lines without the ` * ` prefix: description, then `@format`, `@see`, `@deprecated`. */
function docLines(doc: DocInfo): string[] {
  const tags: string[] = [];
  if (doc.format !== undefined) tags.push(`@format ${escapeDocText(doc.format)}`);
  if (doc.source !== undefined) tags.push(`@see ${escapeDocText(doc.source)}`);
  if (doc.deprecated === true) tags.push("@deprecated");
  const description = doc.description === undefined ? "" : escapeDocText(doc.description);
  return [...(description === "" ? [] : [description]), ...tags].flatMap((part) => part.split("\n")).map((line) => line.trimEnd());
}

/** `node` with its JSDoc: `/** text *\/` when the comment is one line, else one ` * ` line each. */
export function withJsDoc<T extends ts.Node>(node: T, doc: DocInfo): T {
  const lines = docLines(doc);
  if (lines.length === 0) return node;
  const text = lines.length === 1 ? `* ${lines[0]} ` : `*\n${lines.map((line) => ` * ${line}`.trimEnd()).join("\n")}\n `;
  return ts.addSyntheticLeadingComment(node, ts.SyntaxKind.MultiLineCommentTrivia, text, true);
}
