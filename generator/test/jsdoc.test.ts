/**
 * JSDoc as the printer writes it: catalog text is user text, so whatever it holds, the comment
 * must stay one well-formed JSDoc block on the declaration it documents.
 */

import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { withJsDoc } from "../src/emit/jsdoc.js";
import type { DocInfo } from "../src/model/type-ir.js";
import { printNode } from "../src/write/render.js";

const f = ts.factory;

function documented(doc: DocInfo): string {
  const member = withJsDoc(f.createPropertySignature(undefined, "x", undefined, f.createKeywordTypeNode(ts.SyntaxKind.StringKeyword)), doc);
  return printNode(f.createTypeAliasDeclaration(undefined, "T", undefined, f.createTypeLiteralNode([member])));
}

describe("withJsDoc", () => {
  it.each([
    { name: "no docs", doc: {}, comment: [] },
    { name: "one line", doc: { description: "One line." }, comment: ["/** One line. */"] },
    { name: "comment end in the text", doc: { description: "Ends */ early." }, comment: ["/** Ends *\\/ early. */"] },
    { name: "two lines", doc: { description: "Two\nlines." }, comment: ["/**", " * Two", " * lines.", " */"] },
    { name: "CRLF line ends", doc: { description: "Two\r\nlines." }, comment: ["/**", " * Two", " * lines.", " */"] },
    { name: "line separator", doc: { description: "Line\u2028separator." }, comment: ["/**", " * Line", " * separator.", " */"] },
    { name: "blank line", doc: { description: "Blank\n\nline." }, comment: ["/**", " * Blank", " *", " * line.", " */"] },
    { name: "trailing spaces", doc: { description: "Trailing  \nspaces." }, comment: ["/**", " * Trailing", " * spaces.", " */"] },
    { name: "indented line", doc: { description: "Code:\n    x = 1" }, comment: ["/**", " * Code:", " *     x = 1", " */"] },
    {
      name: "tags",
      doc: { description: "Described.", format: "date-time", source: "defs/a.json", deprecated: true },
      comment: ["/**", " * Described.", " * @format date-time", " * @see defs/a.json", " * @deprecated", " */"],
    },
    { name: "a tag alone", doc: { deprecated: true }, comment: ["/** @deprecated */"] },
    { name: "a tag text with a line break", doc: { format: "two\nlines" }, comment: ["/**", " * @format two", " * lines", " */"] },
  ])("$name", ({ doc, comment }) => {
    const text = documented(doc);
    expect(text).toBe(["type T = {", ...comment.map((line) => `    ${line}`), "    x: string;", "};"].join("\n"));
    const parsed = ts.createSourceFile("t.ts", text, ts.ScriptTarget.ESNext, true, ts.ScriptKind.TS);
    const alias = parsed.statements[0] as ts.TypeAliasDeclaration;
    expect(parsed.statements).toHaveLength(1);
    expect((alias.type as ts.TypeLiteralNode).members).toHaveLength(1);
  });
});
