/**
 * The one place JSDoc text is produced. Catalog descriptions are user text: `*\/` inside them would
 * end the comment early and turn the rest into code, so every comment goes through `escape`.
 */

import { type JSDocStructure, StructureKind, ts } from "ts-morph";
import type { DocInfo } from "../model/type-ir.js";

function escape(text: string): string {
  return text.replace(/\*\//g, "*\\/").replace(/\r\n?/g, "\n").trim();
}

interface DocParts {
  readonly description: string;
  readonly tags: ReadonlyArray<{ readonly tagName: string; readonly text?: string }>;
}

function partsOf(doc: DocInfo): DocParts | undefined {
  const tags: Array<{ tagName: string; text?: string }> = [];
  if (doc.format !== undefined) tags.push({ tagName: "format", text: escape(doc.format) });
  if (doc.source !== undefined) tags.push({ tagName: "see", text: escape(doc.source) });
  if (doc.deprecated === true) tags.push({ tagName: "deprecated" });
  const description = doc.description === undefined ? "" : escape(doc.description);
  if (description === "" && tags.length === 0) return undefined;
  return { description, tags };
}

/** For ts-morph declaration structures (`docs: jsDocs(...)`). */
export function jsDocs(doc: DocInfo): JSDocStructure[] {
  const parts = partsOf(doc);
  if (parts === undefined) return [];
  return [{ kind: StructureKind.JSDoc, description: parts.description, tags: parts.tags.map((t) => ({ kind: StructureKind.JSDocTag, ...t })) }];
}

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
