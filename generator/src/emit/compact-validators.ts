/**
 * Shrinks ajv's standalone code without changing what it does. ajv spells out every error report as
 * an object literal and a seven-line push (`const errN = {…}; if (vErrors === null) …; errors++;`),
 * and keeps each schema it reads a value from (an `enum`, the `properties` of an object) as a
 * constant holding the whole schema. Here, on the code parsed once (TypeScript's parser, not regexps):
 *
 * - each error report becomes one call of `addError` (defined once in the file), which builds the
 *   same object with the same keys in the same order and appends it the same way;
 * - a message made of string literals joined by `+` is folded into one literal;
 * - the three statements that reset a validator's `evaluated` record when its properties or items
 *   are dynamic go from validators whose record says they are not (it is never written elsewhere);
 * - a schema constant read only through property paths (`schema12.properties.kind.enum`) is replaced
 *   by one constant per path it is read through, holding just that value.
 *
 * A statement that does not have exactly ajv's shape is left as it is, so the result is always
 * correct code; `test/compact-validators.test.ts` checks that errors are identical to ajv's own.
 */

import { ts } from "ts-morph";
import { errorReport, reportCall, reportFunction } from "./compact-reports.js";

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export function compactValidators(code: string): string {
  // One parse: it is most of the cost on a large catalog (tens of megabytes of ajv code).
  const { code: text, merges } = lineRewrites(code);
  const file = parse(text);
  const schemaEdits = schemaConstantEdits(file).sort((a, b) => a.start - b.start);
  const keywords = new Set<string>();
  const reports = reportEdits(file, (node) => textWithEdits(text, node.getStart(file), node.getEnd(), schemaEdits), keywords);
  // Schema paths inside an error report are already replaced in its new text.
  const edits = [...reports, ...withoutCovered(schemaEdits, reports), ...staticEvaluatedEdits(file), ...unusedContextEdits(file)];
  const helpers = [...(reports.length === 0 ? [] : [reportFunction(keywords)]), ...(merges ? [MERGE_FUNCTION] : [])];
  if (helpers.length === 0) return applyEdits(text, edits);
  // The helpers go after the imports.
  const imports = file.statements.filter(ts.isImportDeclaration);
  const at = imports.length === 0 ? 0 : (imports[imports.length - 1] as ts.ImportDeclaration).getEnd();
  const separator = at === 0 ? "" : "\n";
  return applyEdits(text, [...edits, { start: at, end: at, text: `${separator}${helpers.join("\n\n")}\n${at === 0 ? "\n" : ""}` }]);
}

/** Each error report (three statements in a row) as one `addError` call; `keywords` collects the message templates used. */
function reportEdits(file: ts.SourceFile, textOf: (node: ts.Node) => string, keywords: Set<string>): Edit[] {
  const edits: Edit[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isBlock(node) || ts.isSourceFile(node)) {
      const statements = node.statements;
      for (let i = 0; i + 2 < statements.length; i++) {
        const report = errorReport(statements[i], statements[i + 1], statements[i + 2]);
        if (report === undefined) continue;
        const [first, last] = [statements[i] as ts.Statement, statements[i + 2] as ts.Statement];
        edits.push({ start: first.getStart(file), end: last.getEnd(), text: reportCall(report, textOf, keywords) });
        i += 2;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return edits;
}

/** `text[start, end)` with the edits inside that range applied (`edits` sorted by start). */
function textWithEdits(text: string, start: number, end: number, edits: readonly Edit[]): string {
  let low = 0;
  let high = edits.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((edits[middle] as Edit).start < start) low = middle + 1;
    else high = middle;
  }
  const inside: Edit[] = [];
  for (let i = low; i < edits.length && (edits[i] as Edit).end <= end; i++) inside.push(edits[i] as Edit);
  const shifted = inside.map((edit) => ({ ...edit, start: edit.start - start, end: edit.end - start }));
  return applyEdits(text.slice(start, end), shifted);
}

/** The edits not inside any of `covering`. */
function withoutCovered(edits: readonly Edit[], covering: readonly Edit[]): Edit[] {
  const ranges = [...covering].sort((a, b) => a.start - b.start);
  let r = 0;
  return edits.filter((edit) => {
    while (r < ranges.length && (ranges[r] as Edit).end <= edit.start) r++;
    const range = ranges[r];
    return range === undefined || !(range.start <= edit.start && edit.end <= range.end);
  });
}

/**
 * Whole lines (ajv writes one statement per line, and its string literals never span lines):
 * the `sourceURL` comment each function starts with (it names eval'd code; this is a module), and
 * the merge of a sub-validator's errors, which becomes a call of `mergeErrors`.
 */
function lineRewrites(code: string): { readonly code: string; readonly merges: boolean } {
  let merges = false;
  const lines = code.split("\n").flatMap((line) => {
    if (SOURCE_URL_LINE.test(line)) return [];
    const merge = MERGE_LINE.exec(line);
    if (merge === null) return [line];
    merges = true;
    return [`vErrors = mergeErrors(vErrors, ${merge[1]}.errors);`];
  });
  return { code: lines.join("\n"), merges };
}

const SOURCE_URL_LINE = /^\/\*# sourceURL="(?:[^"\\*]|\\.)*" \*\/;$/;
const MERGE_LINE = /^vErrors = vErrors === null \? (validate\d+|wrapper\d+\.validate)\.errors : vErrors\.concat\(\1\.errors\);$/;

const MERGE_FUNCTION = `/** Appends a sub-validator's errors as ajv does. */
function mergeErrors(vErrors, errors) {
  return vErrors === null ? errors : vErrors.concat(errors);
}`;

function parse(code: string): ts.SourceFile {
  return ts.createSourceFile("validators.js", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
}

/** Replaces each edit's range (edits do not overlap). */
function applyEdits(code: string, edits: readonly Edit[]): string {
  const parts: string[] = [];
  let copied = 0;
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    parts.push(code.slice(copied, edit.start), edit.text);
    copied = edit.end;
  }
  parts.push(code.slice(copied));
  return parts.join("");
}

/**
 * Top-level `const schemaN = <JSON>;` constants whose every use is a property path: each distinct
 * path gets a constant of its own holding that value, and the whole schema goes.
 */
function schemaConstantEdits(file: ts.SourceFile): Edit[] {
  const constants = new Map<string, { statement: ts.VariableStatement; value: unknown }>();
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const [variable, ...more] = statement.declarationList.declarations;
    if (variable === undefined || more.length > 0 || !ts.isIdentifier(variable.name) || !/^schema\d+$/.test(variable.name.text)) continue;
    const initializer = variable.initializer;
    if (initializer === undefined || !ts.isObjectLiteralExpression(initializer)) continue;
    try {
      constants.set(variable.name.text, { statement, value: JSON.parse(initializer.getText(file)) });
    } catch {
      // Not JSON: leave it.
    }
  }
  const uses = new Map<string, ts.Node[]>();
  const declarations = new Set([...constants.values()].map((c) => c.statement.declarationList.declarations[0]?.name));
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && constants.has(node.text) && !declarations.has(node)) {
      let outer: ts.Node = node;
      while (ts.isPropertyAccessExpression(outer.parent) && outer.parent.expression === outer) outer = outer.parent;
      const list = uses.get(node.text) ?? [];
      list.push(outer);
      uses.set(node.text, list);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  const edits: Edit[] = [];
  for (const [name, { statement, value }] of constants) {
    const found = uses.get(name) ?? [];
    if (found.some((use) => !ts.isPropertyAccessExpression(use))) continue;
    const paths = new Map<string, string>();
    for (const use of found) {
      const path = use.getText(file).slice(name.length + 1);
      let local = paths.get(path);
      if (local === undefined) {
        local = `${name}_${paths.size}`;
        paths.set(path, local);
      }
      edits.push({ start: use.getStart(file), end: use.getEnd(), text: local });
    }
    const declarationsText = [...paths].map(([path, local]) => `const ${local} = ${JSON.stringify(valueAt(value, path.split(".")))};`);
    // A schema nothing reads goes with its line.
    const start = paths.size === 0 ? statement.getFullStart() : statement.getStart(file);
    edits.push({ start, end: statement.getEnd(), text: declarationsText.join("\n") });
  }
  return edits;
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let at = value;
  for (const key of path) {
    if (at === null || typeof at !== "object" || !Object.hasOwn(at, key)) throw new Error(`compactValidators: ${path.join(".")} not found`);
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/**
 * `const evaluatedN = validateM.evaluated; if(evaluatedN.dynamicProps){…} if(evaluatedN.dynamicItems){…}`
 * at the top of `validateM` does nothing when the file sets `validateM.evaluated` to a record with
 * both flags false: those statements go.
 */
function staticEvaluatedEdits(file: ts.SourceFile): Edit[] {
  const staticRecords = new Map<string, ts.Statement>();
  for (const statement of file.statements) {
    const match = /^(validate\d+)\.evaluated = (\{.*\});$/.exec(statement.getText(file));
    if (match?.[1] === undefined || match[2] === undefined) continue;
    const record = JSON.parse(match[2]) as { dynamicProps?: unknown; dynamicItems?: unknown };
    if (record.dynamicProps === false && record.dynamicItems === false) staticRecords.set(match[1], statement);
  }
  const edits: Edit[] = [];
  const withoutPreamble = new Set<string>();
  for (const statement of file.statements) {
    if (!ts.isFunctionDeclaration(statement) || statement.name === undefined || statement.body === undefined) continue;
    const name = statement.name.text;
    if (!staticRecords.has(name)) continue;
    const body = statement.body.statements;
    for (let i = 0; i + 2 < body.length; i++) {
      const first = body[i] as ts.Statement;
      const match = /^const (evaluated\d+) = (validate\d+)\.evaluated;$/.exec(first.getText(file));
      if (match?.[2] !== name) continue;
      const local = match[1];
      const second = (body[i + 1] as ts.Statement).getText(file);
      const third = body[i + 2] as ts.Statement;
      if (
        second !== `if(${local}.dynamicProps){\n${local}.props = undefined;\n}` ||
        third.getText(file) !== `if(${local}.dynamicItems){\n${local}.items = undefined;\n}`
      ) {
        continue;
      }
      const usedLater = body.slice(i + 3).some((s) => new RegExp(`\\b${local}\\b`).test(s.getText(file)));
      if (!usedLater) {
        edits.push({ start: first.getFullStart(), end: third.getEnd(), text: "" });
        withoutPreamble.add(name);
      }
      break;
    }
  }
  // The record itself goes too when no caller reads it (only `unevaluated*` keywords do, as
  // `validateN.evaluated` or, for a validator that refers to itself, `wrapperN.validate.evaluated`).
  const text = file.getFullText();
  const selfReferences = text.includes(".validate.evaluated");
  const reads = new Map<string, number>();
  for (const match of text.matchAll(/\b(validate\d+)\.evaluated\b/g)) reads.set(match[1] ?? "", (reads.get(match[1] ?? "") ?? 0) + 1);
  for (const [name, statement] of staticRecords) {
    if (!selfReferences && reads.get(name) === 2 && withoutPreamble.has(name))
      edits.push({ start: statement.getFullStart(), end: statement.getEnd(), text: "" });
  }
  return edits;
}

/** Context ajv passes to every validator; most catalogs never read some of it. */
const CONTEXT = new Set(["parentData", "parentDataProperty", "rootData", "dynamicAnchors"]);

/**
 * Every validator takes `(data, {instancePath, parentData, parentDataProperty, rootData,
 * dynamicAnchors})` and passes them on to the validators it calls. A name that no code reads except
 * to pass it on (no `$data`, no `$dynamicRef`, no defaults) goes from every parameter list and call.
 */
function unusedContextEdits(file: ts.SourceFile): Edit[] {
  const patterns: ts.ObjectBindingPattern[] = [];
  const calls: ts.ObjectLiteralExpression[] = [];
  const used = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionDeclaration(node) && /^validate\d+$/.test(node.name?.text ?? "")) {
      const context = node.parameters[1]?.name;
      if (context !== undefined && ts.isObjectBindingPattern(context)) patterns.push(context);
    }
    if (ts.isCallExpression(node) && isValidatorCall(node)) {
      const context = node.arguments[1];
      if (context !== undefined && ts.isObjectLiteralExpression(context)) calls.push(context);
    }
    if (ts.isIdentifier(node) && CONTEXT.has(node.text) && !isPassedOn(node)) used.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  const unused = [...CONTEXT].filter((name) => !used.has(name));
  if (unused.length === 0) return [];
  const keep = (name: string | undefined) => name === undefined || !unused.includes(name);
  return [
    ...patterns.map((pattern) => ({
      start: pattern.getStart(file),
      end: pattern.getEnd(),
      text: `{${pattern.elements
        .filter((e) => keep(ts.isIdentifier(e.name) ? e.name.text : undefined))
        .map((e) => e.getText(file))
        .join(", ")}}`,
    })),
    ...calls.map((call) => ({
      start: call.getStart(file),
      end: call.getEnd(),
      text: `{${call.properties
        .filter((p) => keep(p.name !== undefined && ts.isIdentifier(p.name) ? p.name.text : undefined))
        .map((p) => p.getText(file))
        .join(",")}}`,
    })),
  ];
}

/** A context name in a validator's parameter list, or as a key (or shorthand) in the context it passes on. */
function isPassedOn(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (ts.isBindingElement(parent) && parent.name === identifier) return true;
  if ((ts.isShorthandPropertyAssignment(parent) || ts.isPropertyAssignment(parent)) && parent.name === identifier) {
    const call = parent.parent.parent;
    return ts.isCallExpression(call) && isValidatorCall(call);
  }
  return false;
}

/** `validateN(…)`, or `wrapperN.validate(…)` (how ajv calls a validator that refers to itself). */
function isValidatorCall(call: ts.CallExpression): boolean {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return /^validate\d+$/.test(callee.text);
  return (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    /^wrapper\d+$/.test(callee.expression.text) &&
    callee.name.text === "validate"
  );
}
