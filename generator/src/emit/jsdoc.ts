/**
 * The one place JSDoc text is produced. Catalog descriptions are user text: `*\/` inside them would
 * end the comment early and turn the rest into code, so every comment goes through `escapeDocText`.
 */

import { type JSDocStructure, StructureKind, ts } from "ts-morph";
import type { DocInfo } from "../model/type-ir.js";

function escapeDocText(text: string): string {
  return text.replace(/\*\//g, "*\\/").replace(/\r\n?/g, "\n").trim();
}

interface DocParts {
  readonly description: string;
  readonly tags: ReadonlyArray<{ readonly tagName: string; readonly text?: string }>;
}

function partsOf(doc: DocInfo): DocParts | undefined {
  const tags: Array<{ tagName: string; text?: string }> = [];
  if (doc.format !== undefined) tags.push({ tagName: "format", text: escapeDocText(doc.format) });
  if (doc.source !== undefined) tags.push({ tagName: "see", text: escapeDocText(doc.source) });
  if (doc.deprecated === true) tags.push({ tagName: "deprecated" });
  const description = doc.description === undefined ? "" : escapeDocText(doc.description);
  if (description === "" && tags.length === 0) return undefined;
  return { description, tags };
}

/** For ts-morph declaration structures (`docs: jsDocs(...)`). */
export function jsDocs(doc: DocInfo): JSDocStructure[] {
  const parts = partsOf(doc);
  if (parts === undefined) return [];
  return [
    { kind: StructureKind.JSDoc, description: parts.description, tags: parts.tags.map((t) => ({ kind: StructureKind.JSDocTag, ...t })) },
  ];
}

/**
 * The lines prettier prints for a comment made by `jsDocs` (`"structure"`: one line when the text is
 * one line) or `withJsDoc` (`"synthetic"`: always the multi-line form), without indentation; `[]`
 * when there is no comment. Undefined where prettier would print anything but these lines (trailing
 * whitespace it keeps as a Markdown line break, a line separator, a tag text spanning lines): such
 * comments go through ts-morph and prettier instead.
 */
export function formattedJsDoc(doc: DocInfo, style: "structure" | "synthetic"): readonly string[] | undefined {
  const parts = partsOf(doc);
  if (parts === undefined) return [];
  if (LINE_SEPARATORS.test(parts.description)) return undefined;
  const lines = parts.description === "" ? [] : parts.description.split("\n");
  for (const tag of parts.tags) {
    if (tag.text === undefined || tag.text === "") lines.push(`@${tag.tagName}`);
    else if (tag.text.includes("\n") || LINE_SEPARATORS.test(tag.text)) return undefined;
    else lines.push(`@${tag.tagName} ${tag.text}`);
  }
  if (style === "structure" && lines.length === 1) {
    const line = lines[0] as string;
    return TRAILING_SPACE.test(line) ? undefined : [`/** ${line} */`];
  }
  const formatted = ["/**"];
  for (const line of lines) {
    if (!TRAILING_SPACE.test(line)) formatted.push(line === "" ? " *" : ` * ${line}`);
    // ts-morph keeps trailing whitespace that prettier then trims or keeps (two spaces); only blank lines are reproduced here.
    else if (style === "synthetic" || line.trim() === "") formatted.push(` ${`* ${line}`.trimEnd()}`);
    else return undefined;
  }
  formatted.push(" */");
  return formatted;
}

/** Whitespace as `trimEnd` removes it. */
const TRAILING_SPACE = /\s$/;

/** U+2028 and U+2029 end a line for TypeScript but not for prettier's comment printer. */
const LINE_SEPARATORS = /[\u2028\u2029]/;

/** For nodes built with the TypeScript factory (members of inline object types). */
export function withJsDoc<T extends ts.Node>(node: T, doc: DocInfo): T {
  const parts = partsOf(doc);
  if (parts === undefined) return node;
  const lines = [
    ...(parts.description === "" ? [] : parts.description.split("\n")),
    ...parts.tags.map((t) => (t.text === undefined ? `@${t.tagName}` : `@${t.tagName} ${t.text}`)),
  ];
  const text = `*\n${lines.map((line) => ` * ${line}`.trimEnd()).join("\n")}\n `;
  return ts.addSyntheticLeadingComment(node, ts.SyntaxKind.MultiLineCommentTrivia, text, true);
}
