/**
 * The error reports of ajv's standalone code, shortened: `const errN = {…}; if (vErrors === null) …;
 * errors++;` becomes one call of `addError`, which builds the same object. See compact-validators.ts.
 */

import { ts } from "ts-morph";
import { compareCodeUnits } from "../schema/compare.js";

/** Name of the helper every error report calls. */
const REPORT = "addError";

/**
 * ajv's message of a keyword, as literal text and parameter names. A report whose message is
 * exactly this template applied to its (literal) parameters leaves the message out and the helper
 * rebuilds it; any other report keeps its message. Checked per report here, so a template that
 * does not match ajv's wording only costs bytes, never changes a message.
 */
type Template = ReadonlyArray<string | { readonly param: string }>;

const COMPARISON: Template = ["must be ", { param: "comparison" }, " ", { param: "limit" }];
const MESSAGE_TEMPLATES: Readonly<Record<string, Template>> = {
  type: ["must be ", { param: "type" }],
  required: ["must have required property '", { param: "missingProperty" }, "'"],
  additionalProperties: ["must NOT have additional properties"],
  enum: ["must be equal to one of the allowed values"],
  const: ["must be equal to constant"],
  maxLength: ["must NOT have more than ", { param: "limit" }, " characters"],
  minLength: ["must NOT have fewer than ", { param: "limit" }, " characters"],
  maxItems: ["must NOT have more than ", { param: "limit" }, " items"],
  minItems: ["must NOT have fewer than ", { param: "limit" }, " items"],
  maxProperties: ["must NOT have more than ", { param: "limit" }, " properties"],
  minProperties: ["must NOT have fewer than ", { param: "limit" }, " properties"],
  minimum: COMPARISON,
  maximum: COMPARISON,
  exclusiveMinimum: COMPARISON,
  exclusiveMaximum: COMPARISON,
  multipleOf: ["must be multiple of ", { param: "multipleOf" }],
  pattern: ['must match pattern "', { param: "pattern" }, '"'],
  format: ['must match format "', { param: "format" }, '"'],
  anyOf: ["must match a schema in anyOf"],
  oneOf: ["must match exactly one schema in oneOf"],
};

/** The helper, with the templates of the keywords whose messages it rebuilds. */
export function reportFunction(keywords: ReadonlySet<string>): string {
  const templates = [...keywords].sort(compareCodeUnits).map((keyword) => {
    const template = MESSAGE_TEMPLATES[keyword] ?? [];
    const body = template.map((part) => (typeof part === "string" ? JSON.stringify(part) : `params.${part.param}`)).join(" + ");
    const uses = template.some((part) => typeof part !== "string");
    return `  ${keyword}: (${uses ? "params" : ""}) => ${body},`;
  });
  return [
    "/** ajv's message for each keyword below, from the error's params. */",
    "const messages = {",
    ...templates,
    "};",
    "",
    "/** Appends one error as ajv builds it; the keyword is the last segment of schemaPath unless given. */",
    `function ${REPORT}(vErrors, instancePath, schemaPath, params, message, keyword = schemaPath.slice(schemaPath.lastIndexOf("/") + 1)) {`,
    "  const error = {instancePath, schemaPath, keyword, params, message: message === undefined ? messages[keyword](params) : message};",
    "  if (vErrors === null) return [error];",
    "  vErrors.push(error);",
    "  return vErrors;",
    "}",
  ].join("\n");
}
export interface ErrorReport {
  readonly properties: ReadonlyMap<string, ts.Expression | undefined>;
}

const ERROR_KEYS = ["instancePath", "schemaPath", "keyword", "params", "message"];

/**
 * `const errN = {instancePath, schemaPath, keyword, params, message};`
 * `if(vErrors === null){ vErrors = [errN]; } else { vErrors.push(errN); }`
 * `errors++;`
 */
export function errorReport(
  file: ts.SourceFile,
  declaration: ts.Statement | undefined,
  push: ts.Statement | undefined,
  count: ts.Statement | undefined,
) {
  if (declaration === undefined || push === undefined || count === undefined) return undefined;
  if (!ts.isVariableStatement(declaration) || (declaration.declarationList.flags & ts.NodeFlags.BlockScoped) !== ts.NodeFlags.Const)
    return undefined;
  const [variable, ...more] = declaration.declarationList.declarations;
  if (variable === undefined || more.length > 0 || !ts.isIdentifier(variable.name) || !/^err\d+$/.test(variable.name.text))
    return undefined;
  const literal = variable.initializer;
  if (literal === undefined || !ts.isObjectLiteralExpression(literal)) return undefined;
  const properties = new Map<string, ts.Expression | undefined>();
  for (const property of literal.properties) {
    if (ts.isShorthandPropertyAssignment(property)) properties.set(property.name.text, undefined);
    else if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name)) properties.set(property.name.text, property.initializer);
    else return undefined;
  }
  if ([...properties.keys()].join() !== ERROR_KEYS.join()) return undefined;
  const shorthandOnlyFirst = [...properties.entries()].every(([key, value]) => value !== undefined || key === "instancePath");
  if (!shorthandOnlyFirst) return undefined;
  const name = variable.name.text;
  const expectedPush = `if(vErrors === null){\nvErrors = [${name}];\n}\nelse {\nvErrors.push(${name});\n}`;
  if (push.getText(file) !== expectedPush || count.getText(file) !== "errors++;") return undefined;
  return { properties } satisfies ErrorReport;
}

/** A piece of an edit's new text: literal text, or a range of the code (copied with the edits inside it). */
export type Piece = string | { readonly start: number; readonly end: number };

/**
 * `vErrors = addError(vErrors, instancePath, schemaPath, params[, message[, keyword]]);` leaving
 * out the message when the template of its keyword rebuilds it, and the keyword when it is the last
 * segment of schemaPath (`keywords` collects the templates used). `rangeOf` gives a node's place in the code.
 */
export function reportCall(report: ErrorReport, rangeOf: (node: ts.Node) => Piece, keywords: Set<string>): Piece[] {
  const text = (key: string): Piece => {
    const value = report.properties.get(key);
    return value === undefined ? key : rangeOf(value);
  };
  const schemaPath = stringValue(report.properties.get("schemaPath"));
  const keyword = stringValue(report.properties.get("keyword"));
  const messageNode = report.properties.get("message");
  const message = messageNode === undefined ? undefined : foldedString(messageNode);
  const params = report.properties.get("params");
  const keywordImplied = keyword !== undefined && schemaPath?.slice(schemaPath.lastIndexOf("/") + 1) === keyword;
  const template = keyword !== undefined && Object.hasOwn(MESSAGE_TEMPLATES, keyword) ? MESSAGE_TEMPLATES[keyword] : undefined;
  const messageImplied =
    template !== undefined &&
    params !== undefined &&
    messageNode !== undefined &&
    sameText(applyTemplate(template, params), concatenation(messageNode));
  if (messageImplied && keyword !== undefined) keywords.add(keyword);
  const messageText = message === undefined ? text("message") : JSON.stringify(message);
  const args = ["vErrors", text("instancePath"), text("schemaPath"), text("params")];
  if (!keywordImplied) args.push(messageImplied ? "undefined" : messageText, text("keyword"));
  else if (!messageImplied) args.push(messageText);
  return [`vErrors = ${REPORT}(`, ...args.flatMap((arg, i) => (i === 0 ? [arg] : [", ", arg])), ");\nerrors++;"];
}

function stringValue(node: ts.Expression | undefined): string | undefined {
  return node !== undefined && ts.isStringLiteral(node) ? node.text : undefined;
}

/**
 * A string built by `+`, as parts: literal text, or the name of a variable whose value is
 * concatenated (ajv's required-property loop: `"…'" + prop0 + "'"`).
 */
type Parts = ReadonlyArray<{ readonly text: string } | { readonly variable: string }>;

/** The template applied to an object literal's values; undefined when a value it needs is neither a literal nor a variable. */
function applyTemplate(template: Template, params: ts.Expression): Parts | undefined {
  if (!ts.isObjectLiteralExpression(params)) return undefined;
  const values = new Map<string, Parts[number]>();
  for (const property of params.properties) {
    if (!ts.isPropertyAssignment(property) || !(ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) continue;
    const value = property.initializer;
    const text = literalText(value);
    if (text !== undefined) values.set(property.name.text, { text });
    else if (ts.isIdentifier(value)) values.set(property.name.text, { variable: value.text });
  }
  const parts: Parts[number][] = [];
  for (const part of template) {
    const value = typeof part === "string" ? { text: part } : values.get(part.param);
    if (value === undefined) return undefined;
    parts.push(value);
  }
  return parts;
}

/** `"a" + x + "b"` as parts; undefined for anything else. */
function concatenation(expression: ts.Expression): Parts | undefined {
  if (ts.isStringLiteral(expression)) return [{ text: expression.text }];
  if (ts.isIdentifier(expression)) return [{ variable: expression.text }];
  if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== ts.SyntaxKind.PlusToken) return undefined;
  const left = concatenation(expression.left);
  const right = concatenation(expression.right);
  // A variable on the left of the first + would add numbers, not concatenate: only text may start.
  return left === undefined || right === undefined || !("text" in (left[0] ?? {})) ? undefined : [...left, ...right];
}

/** Whether two part lists build the same string (adjacent texts joined, empty texts dropped). */
function sameText(a: Parts | undefined, b: Parts | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  return JSON.stringify(normalized(a)) === JSON.stringify(normalized(b));
}

function normalized(parts: Parts): Parts {
  const out: Array<{ text: string } | { variable: string }> = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if ("text" in part && last !== undefined && "text" in last) last.text += part.text;
    else if (!("text" in part) || part.text !== "") out.push({ ...part });
  }
  return out;
}

/** What `"" + value` gives for a string or number literal (possibly negative). */
function literalText(node: ts.Expression): string | undefined {
  if (ts.isStringLiteral(node)) return node.text;
  if (ts.isNumericLiteral(node)) return String(Number(node.text));
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(node.operand)) {
    return String(-Number(node.operand.text));
  }
  return undefined;
}

/** The value of `"a" + "b" + …` when every operand is a string literal. */
function foldedString(expression: ts.Expression): string | undefined {
  const parts: string[] = [];
  const collect = (node: ts.Expression): boolean => {
    if (ts.isStringLiteral(node)) {
      parts.push(node.text);
      return true;
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken)
      return collect(node.left) && collect(node.right);
    return false;
  };
  return collect(expression) ? parts.join("") : undefined;
}
