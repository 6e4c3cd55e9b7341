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
import { forEachParsedRun, type ParsedRun, parseWhole, type Range } from "./compact-chunks.js";
import { errorReport, type Piece, reportCall, reportFunction } from "./compact-reports.js";

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * `options.runLength` (tests): how much code each parse takes at least (`Infinity`: all of it at once).
 * `options.bases`: where each sub-validator's schema is in the catalog, by function name; the merge of
 * its errors then makes their schema paths absolute (see `MERGE_WITH_BASE`).
 */
export function compactValidators(
  code: string,
  options: { readonly runLength?: number; readonly bases?: ReadonlyMap<string, string> } = {},
): string {
  const { code: text, merges } = lineRewrites(code, options.bases);
  // The code is parsed a run of top-level statements at a time and each tree walked once: one tree
  // of tens of megabytes of ajv code took longer to collect than to parse.
  let facts = new Facts();
  if (!forEachParsedRun(text, (run) => facts.collect(run), options.runLength)) {
    facts = new Facts();
    parseWhole(text, (run) => facts.collect(run));
  }
  const schemaEdits = schemaConstantEdits(facts).sort((a, b) => a.start - b.start);
  const textOf = (piece: Piece) => (typeof piece === "string" ? piece : textWithEdits(text, piece.start, piece.end, schemaEdits));
  const reports = facts.reports.map(({ start, end, pieces }) => ({ start, end, text: pieces.map(textOf).join("") }));
  // Schema paths inside an error report are already replaced in its new text.
  const edits = [...reports, ...withoutCovered(schemaEdits, reports), ...staticEvaluatedEdits(facts, text), ...unusedContextEdits(facts)];
  const helpers = [
    ...(reports.length === 0 ? [] : [reportFunction(facts.keywords)]),
    ...(merges ? [options.bases === undefined ? MERGE_FUNCTION : MERGE_WITH_BASE] : []),
  ];
  if (helpers.length === 0) return applyEdits(text, edits);
  // The helpers go after the imports.
  const at = facts.importsEnd;
  const separator = at === 0 ? "" : "\n";
  return applyEdits(text, [...edits, { start: at, end: at, text: `${separator}${helpers.join("\n\n")}\n${at === 0 ? "\n" : ""}` }]);
}

/** A node's text, and a property name or binding element with its name. */
interface Named {
  readonly name: string | undefined;
  readonly text: string;
}

/**
 * What the rewrites need from the syntax tree, collected run by run in code order (positions are
 * offsets in the whole code), so that no tree outlives its walk.
 */
class Facts {
  /** Error reports, their new text still referring to ranges of the code (schema paths in them are replaced later). */
  readonly reports: Array<{ readonly start: number; readonly end: number; readonly pieces: Piece[] }> = [];
  /** Message templates the reports use. */
  readonly keywords = new Set<string>();
  /** End of the last top-level import (0: none). */
  importsEnd = 0;
  /** Top-level `const schemaN = <JSON>;`, the last one of each name. */
  readonly schemas = new Map<string, SchemaConstant>();
  /** Every identifier `schemaN` but a declaration's name; `path` when it is read through a property path. */
  readonly schemaUses: Array<{ readonly name: string; readonly at: number; readonly path?: Edit }> = [];
  /** Top-level `validateN.evaluated = {…};` statements. */
  readonly evaluatedRecords: Array<{ readonly name: string; readonly text: string; readonly statement: Range }> = [];
  /** Each top-level function, with its `evaluated` preamble that can go if its record is static. */
  readonly preambles: Array<{ readonly name: string; readonly preamble: Range | undefined }> = [];
  /** Context parameter lists of validators and the contexts passed to them. */
  readonly contextPatterns: Array<Range & { readonly elements: Named[] }> = [];
  readonly contextCalls: Array<Range & { readonly elements: Named[] }> = [];
  /** Context names some code reads. */
  readonly usedContext = new Set<string>();

  collect({ start: offset, file }: ParsedRun): void {
    const range = (node: ts.Node): Range => ({ start: node.getStart(file) + offset, end: node.getEnd() + offset });
    for (const statement of file.statements) {
      if (ts.isImportDeclaration(statement)) this.importsEnd = statement.getEnd() + offset;
      this.topLevel(statement, file, offset);
    }
    // The trees have no parent pointers (setting them cost a second walk): the walk keeps the path to each node.
    const ancestors: ts.Node[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isBlock(node) || ts.isSourceFile(node)) this.reportsIn(node.statements, file, range);
      if (ts.isFunctionDeclaration(node) && /^validate\d+$/.test(node.name?.text ?? "")) {
        const context = node.parameters[1]?.name;
        if (context !== undefined && ts.isObjectBindingPattern(context))
          this.contextPatterns.push({ ...range(context), elements: context.elements.map((e) => named(e.name, e, file)) });
      }
      if (ts.isCallExpression(node) && isValidatorCall(node)) {
        const context = node.arguments[1];
        if (context !== undefined && ts.isObjectLiteralExpression(context))
          this.contextCalls.push({ ...range(context), elements: context.properties.map((p) => named(p.name, p, file)) });
      }
      if (ts.isIdentifier(node)) this.identifier(node, ancestors, file, offset);
      ancestors.push(node);
      ts.forEachChild(node, visit);
      ancestors.pop();
    };
    visit(file);
  }

  /** Each error report (three statements in a row) as one `addError` call. */
  private reportsIn(statements: ts.NodeArray<ts.Statement>, file: ts.SourceFile, range: (node: ts.Node) => Range): void {
    for (let i = 0; i + 2 < statements.length; i++) {
      const report = errorReport(file, statements[i], statements[i + 1], statements[i + 2]);
      if (report === undefined) continue;
      const [first, last] = [range(statements[i] as ts.Statement), range(statements[i + 2] as ts.Statement)];
      this.reports.push({ start: first.start, end: last.end, pieces: reportCall(report, range, this.keywords) });
      i += 2;
    }
  }

  private topLevel(statement: ts.Statement, file: ts.SourceFile, offset: number): void {
    const schema = schemaConstant(statement, file, offset);
    if (schema !== undefined) this.schemas.set(schema.name, schema);
    const record = /^(validate\d+)\.evaluated = (\{.*\});$/.exec(statement.getText(file));
    if (record?.[1] !== undefined && record[2] !== undefined)
      this.evaluatedRecords.push({
        name: record[1],
        text: record[2],
        statement: { start: statement.getFullStart() + offset, end: statement.getEnd() + offset },
      });
    if (ts.isFunctionDeclaration(statement) && statement.name !== undefined && statement.body !== undefined)
      this.preambles.push({ name: statement.name.text, preamble: staticPreamble(statement.name.text, statement.body, file, offset) });
  }

  /** `ancestors`: the nodes from the run's root to the identifier's parent. */
  private identifier(node: ts.Identifier, ancestors: readonly ts.Node[], file: ts.SourceFile, offset: number): void {
    if (CONTEXT.has(node.text) && !isPassedOn(node, ancestors)) this.usedContext.add(node.text);
    if (!/^schema\d+$/.test(node.text)) return;
    let outer: ts.Node = node;
    for (let i = ancestors.length - 1; i >= 0; i--) {
      const parent = ancestors[i] as ts.Node;
      if (!ts.isPropertyAccessExpression(parent) || parent.expression !== outer) break;
      outer = parent;
    }
    const at = node.getStart(file) + offset;
    if (!ts.isPropertyAccessExpression(outer)) this.schemaUses.push({ name: node.text, at });
    else {
      const path = outer.getText(file).slice(node.text.length + 1);
      this.schemaUses.push({
        name: node.text,
        at,
        path: { start: outer.getStart(file) + offset, end: outer.getEnd() + offset, text: path },
      });
    }
  }
}

interface SchemaConstant {
  readonly name: string;
  /** Where its name is (that identifier is not a use). */
  readonly nameAt: number;
  readonly value: unknown;
  readonly fullStart: number;
  readonly start: number;
  readonly end: number;
}

/** `const schemaN = <JSON object>;` at the top level. */
function schemaConstant(statement: ts.Statement, file: ts.SourceFile, offset: number): SchemaConstant | undefined {
  if (!ts.isVariableStatement(statement)) return undefined;
  const [variable, ...more] = statement.declarationList.declarations;
  if (variable === undefined || more.length > 0 || !ts.isIdentifier(variable.name) || !/^schema\d+$/.test(variable.name.text))
    return undefined;
  const initializer = variable.initializer;
  if (initializer === undefined || !ts.isObjectLiteralExpression(initializer)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(initializer.getText(file));
  } catch {
    // Not JSON: leave it.
    return undefined;
  }
  return {
    name: variable.name.text,
    nameAt: variable.name.getStart(file) + offset,
    value,
    fullStart: statement.getFullStart() + offset,
    start: statement.getStart(file) + offset,
    end: statement.getEnd() + offset,
  };
}

/** A property's or binding element's name (when an identifier) and its text. */
function named(name: ts.Node | undefined, node: ts.Node, file: ts.SourceFile): Named {
  return { name: name !== undefined && ts.isIdentifier(name) ? name.text : undefined, text: node.getText(file) };
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
function lineRewrites(code: string, bases: ReadonlyMap<string, string> | undefined): { readonly code: string; readonly merges: boolean } {
  let merges = false;
  // The code joined from its lines, each rewritten or left out; only lines holding the start of
  // either rewrite are looked at (the code can be tens of megabytes).
  const kept: string[] = [];
  let from = 0;
  CANDIDATE.lastIndex = 0;
  for (let found = CANDIDATE.exec(code); found !== null; found = CANDIDATE.exec(code)) {
    const lineStart = code.lastIndexOf("\n", found.index) + 1;
    const newline = code.indexOf("\n", found.index);
    const lineEnd = newline === -1 ? code.length : newline;
    CANDIDATE.lastIndex = lineEnd;
    const line = code.slice(lineStart, lineEnd);
    const merge = MERGE_LINE.exec(line);
    if (!SOURCE_URL_LINE.test(line) && merge === null) continue;
    if (lineStart > from) kept.push(code.slice(from, lineStart - 1));
    if (merge !== null) {
      merges = true;
      const base = merge[1] === undefined ? undefined : bases?.get(merge[1]);
      const baseArgument = base === undefined ? "" : `, ${JSON.stringify(base)}`;
      kept.push(`vErrors = mergeErrors(vErrors, ${merge[1]}.errors${baseArgument});`);
    }
    from = lineEnd + 1;
  }
  if (from <= code.length) kept.push(code.slice(from));
  return { code: kept.join("\n"), merges };
}

const SOURCE_URL_LINE = /^\/\*# sourceURL="(?:[^"\\*]|\\.)*" \*\/;$/;
const MERGE_LINE = /^vErrors = vErrors === null \? (validate\d+|wrapper\d+\.validate)\.errors : vErrors\.concat\(\1\.errors\);$/;
/** How each of the two lines starts. */
const CANDIDATE = /\/\*# sourceURL=|vErrors = vErrors === null \? /g;

const MERGE_FUNCTION = `/** Appends a sub-validator's errors as ajv does. */
function mergeErrors(vErrors, errors) {
  return vErrors === null ? errors : vErrors.concat(errors);
}`;

/**
 * The merge when bases are known: a sub-validator reports schema paths relative to its own schema
 * (\`#/properties/last4/pattern\`); prefixed with where that schema is, they say which branch of a
 * union an error came from. Runs only on failure, so valid payloads cost nothing more.
 */
const MERGE_WITH_BASE = `/** Appends a sub-validator's errors as ajv does, their schema paths made absolute with \`base\`. */
function mergeErrors(vErrors, errors, base) {
  if (base !== undefined) for (const error of errors) if (error.schemaPath[0] === "#") error.schemaPath = base + error.schemaPath.slice(1);
  return vErrors === null ? errors : vErrors.concat(errors);
}`;

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
function schemaConstantEdits(facts: Facts): Edit[] {
  const uses = new Map<string, Array<Edit | undefined>>();
  for (const use of facts.schemaUses) {
    const constant = facts.schemas.get(use.name);
    if (constant === undefined || constant.nameAt === use.at) continue;
    const list = uses.get(use.name) ?? [];
    list.push(use.path);
    uses.set(use.name, list);
  }
  const edits: Edit[] = [];
  for (const [name, constant] of facts.schemas) {
    const found = uses.get(name) ?? [];
    if (found.some((use) => use === undefined)) continue;
    const paths = new Map<string, string>();
    for (const use of found as Edit[]) {
      let local = paths.get(use.text);
      if (local === undefined) {
        local = `${name}_${paths.size}`;
        paths.set(use.text, local);
      }
      edits.push({ start: use.start, end: use.end, text: local });
    }
    const declarationsText = [...paths].map(
      ([path, local]) => `const ${local} = ${JSON.stringify(valueAt(constant.value, path.split(".")))};`,
    );
    // A schema nothing reads goes with its line.
    const start = paths.size === 0 ? constant.fullStart : constant.start;
    edits.push({ start, end: constant.end, text: declarationsText.join("\n") });
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
 * The preamble `const evaluatedN = validateM.evaluated; if(evaluatedN.dynamicProps){…}
 * if(evaluatedN.dynamicItems){…}` at the top of `validateM` when nothing after it reads
 * `evaluatedN`: it does nothing when `validateM.evaluated` is static (see `staticEvaluatedEdits`).
 */
function staticPreamble(name: string, body: ts.Block, file: ts.SourceFile, offset: number): Range | undefined {
  const statements = body.statements;
  for (let i = 0; i + 2 < statements.length; i++) {
    const first = statements[i] as ts.Statement;
    const match = /^const (evaluated\d+) = (validate\d+)\.evaluated;$/.exec(first.getText(file));
    if (match?.[2] !== name) continue;
    const local = match[1];
    const second = (statements[i + 1] as ts.Statement).getText(file);
    const third = statements[i + 2] as ts.Statement;
    if (
      second !== `if(${local}.dynamicProps){\n${local}.props = undefined;\n}` ||
      third.getText(file) !== `if(${local}.dynamicItems){\n${local}.items = undefined;\n}`
    ) {
      continue;
    }
    const usedLater = statements.slice(i + 3).some((s) => new RegExp(`\\b${local}\\b`).test(s.getText(file)));
    return usedLater ? undefined : { start: first.getFullStart() + offset, end: third.getEnd() + offset };
  }
  return undefined;
}

/**
 * `const evaluatedN = validateM.evaluated; if(evaluatedN.dynamicProps){…} if(evaluatedN.dynamicItems){…}`
 * at the top of `validateM` does nothing when the file sets `validateM.evaluated` to a record with
 * both flags false: those statements go.
 */
function staticEvaluatedEdits(facts: Facts, text: string): Edit[] {
  const staticRecords = new Map<string, Range>();
  for (const { name, text: recordText, statement } of facts.evaluatedRecords) {
    const record = JSON.parse(recordText) as { dynamicProps?: unknown; dynamicItems?: unknown };
    if (record.dynamicProps === false && record.dynamicItems === false) staticRecords.set(name, statement);
  }
  const edits: Edit[] = [];
  const withoutPreamble = new Set<string>();
  for (const { name, preamble } of facts.preambles) {
    if (!staticRecords.has(name) || preamble === undefined) continue;
    edits.push({ ...preamble, text: "" });
    withoutPreamble.add(name);
  }
  // The record itself goes too when no caller reads it (only `unevaluated*` keywords do, as
  // `validateN.evaluated` or, for a validator that refers to itself, `wrapperN.validate.evaluated`).
  const selfReferences = text.includes(".validate.evaluated");
  const reads = new Map<string, number>();
  for (const match of text.matchAll(/\b(validate\d+)\.evaluated\b/g)) reads.set(match[1] ?? "", (reads.get(match[1] ?? "") ?? 0) + 1);
  for (const [name, statement] of staticRecords) {
    if (!selfReferences && reads.get(name) === 2 && withoutPreamble.has(name)) edits.push({ ...statement, text: "" });
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
function unusedContextEdits(facts: Facts): Edit[] {
  const unused = [...CONTEXT].filter((name) => !facts.usedContext.has(name));
  if (unused.length === 0) return [];
  const keep = ({ name }: Named) => name === undefined || !unused.includes(name);
  // ajv separates parameters with ", " and the properties of the context it passes on with ",".
  const without =
    (separator: string) =>
    ({ start, end, elements }: Range & { readonly elements: readonly Named[] }) => ({
      start,
      end,
      text: `{${elements
        .filter(keep)
        .map((e) => e.text)
        .join(separator)}}`,
    });
  return [...facts.contextPatterns.map(without(", ")), ...facts.contextCalls.map(without(","))];
}

/** A context name in a validator's parameter list, or as a key (or shorthand) in the context it passes on. */
function isPassedOn(identifier: ts.Identifier, ancestors: readonly ts.Node[]): boolean {
  const parent = ancestors[ancestors.length - 1] as ts.Node;
  if (ts.isBindingElement(parent) && parent.name === identifier) return true;
  if ((ts.isShorthandPropertyAssignment(parent) || ts.isPropertyAssignment(parent)) && parent.name === identifier) {
    const call = ancestors[ancestors.length - 3];
    return call !== undefined && ts.isCallExpression(call) && isValidatorCall(call);
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
