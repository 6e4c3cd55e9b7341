/**
 * ajv's standalone code cut into runs of whole top-level statements, each parsed on its own, so
 * that `compactValidators` never holds the syntax tree of tens of megabytes of code: each run's
 * tree is walked once and dropped while it is still young (collecting one tree of the whole code
 * cost more than parsing it).
 */

import { ts } from "ts-morph";

/** A range `[start, end)` of the code. */
export interface Range {
  readonly start: number;
  readonly end: number;
}

/** A run of top-level statements, parsed: positions in `file` are offsets from `start` in the whole code. */
export interface ParsedRun {
  readonly start: number;
  readonly file: ts.SourceFile;
}

/** Runs are cut at the first statement boundary after this many characters: a tree small enough to die young. */
const RUN_LENGTH = 16 * 1024;

/**
 * Calls `visit` with each run of `code`, parsed, in order; returns false when a run does not parse
 * cleanly on its own (the cut was not a statement boundary after all), in which case the caller
 * starts over with `parseWhole`. A single run is the whole code. `runLength` (tests): at least this many characters per run.
 */
export function forEachParsedRun(code: string, visit: (run: ParsedRun) => void, runLength = RUN_LENGTH): boolean {
  const runs = topLevelRuns(code, runLength);
  for (const { start, end } of runs) {
    const file = parse(start === 0 && end === code.length ? code : code.slice(start, end));
    if (runs.length > 1 && !parsedCleanly(file)) return false;
    visit({ start, file });
  }
  return true;
}

/** The whole code as one run. */
export function parseWhole(code: string, visit: (run: ParsedRun) => void): void {
  visit({ start: 0, file: parse(code) });
}

/** Without parent pointers: setting them is a walk of its own; the one walk of each tree keeps its path instead. */
function parse(code: string): ts.SourceFile {
  return ts.createSourceFile("validators.js", code, ts.ScriptTarget.ES2022, false, ts.ScriptKind.JS);
}

/** Whether the parser reported no syntax error (`parseDiagnostics` is internal: without it, assume a bad cut). */
function parsedCleanly(file: ts.SourceFile): boolean {
  const diagnostics = (file as unknown as { readonly parseDiagnostics?: unknown }).parseDiagnostics;
  return Array.isArray(diagnostics) && diagnostics.length === 0;
}

/**
 * What may start a top-level statement of ajv's code and cannot continue the one before it:
 * a declaration, or an assignment to a name or property path (`validate12.evaluated = …`).
 */
const STATEMENT_START = /const |let |var |function |export |import |[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)* = /y;

/**
 * Cuts `code` after a `;` or `}` that ends a line at nesting depth 0 when the next line starts a
 * statement (`STATEMENT_START`), once a run is at least `minLength` long. A light lexer: string
 * and regular expression literals and comments are skipped; a template literal (ajv writes none) gives one run. A cut
 * this gets wrong leaves a run that does not parse, and the caller falls back to one run.
 */
export function topLevelRuns(code: string, minLength: number): Range[] {
  const runs: Range[] = [];
  const whole = [{ start: 0, end: code.length }];
  let depth = 0;
  let start = 0;
  let i = 0;
  /** The last character that is not white space, outside literals and comments (-1: none yet). */
  let previous = -1;
  while (i < code.length) {
    const c = code.charCodeAt(i);
    if (c === QUOTE || c === APOSTROPHE) {
      previous = i;
      i = stringEnd(code, i, c);
      continue;
    }
    if (c === BACKTICK) return whole;
    if (c === SLASH && code.charCodeAt(i + 1) === SLASH) {
      const newline = code.indexOf("\n", i);
      i = newline === -1 ? code.length : newline;
      continue;
    }
    if (c === SLASH && code.charCodeAt(i + 1) === STAR) {
      const close = code.indexOf("*/", i + 2);
      if (close === -1) return whole;
      i = close + 2;
      continue;
    }
    if (c === SLASH && REGEXP_BEFORE.includes(code[previous] ?? ";")) {
      i = regExpEnd(code, i);
      continue;
    }
    if (c !== SPACE && c !== NEWLINE) previous = i;
    if (c === OPEN_BRACE || c === OPEN_PAREN || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_PAREN || c === CLOSE_BRACKET) depth--;
    i++;
    if (depth === 0 && (c === SEMICOLON || c === CLOSE_BRACE) && code.charCodeAt(i) === NEWLINE && i - start >= minLength) {
      STATEMENT_START.lastIndex = i + 1;
      if (STATEMENT_START.test(code)) {
        runs.push({ start, end: i });
        start = i;
      }
    }
  }
  if (depth !== 0) return whole;
  runs.push({ start, end: code.length });
  return runs;
}

/** The index after the string literal opened by `quote` at `at` (or the end of the code). */
function stringEnd(code: string, at: number, quote: number): number {
  let i = at + 1;
  while (i < code.length) {
    const c = code.charCodeAt(i);
    if (c === quote) return i + 1;
    i += c === BACKSLASH ? 2 : 1;
  }
  return code.length;
}

/** After one of these, a `/` starts a regular expression literal (ajv writes format patterns as ones), else it divides. */
const REGEXP_BEFORE = "(,=:[!&|?{};";

/** The index after the regular expression literal (with its flags) that starts at `at`. */
function regExpEnd(code: string, at: number): number {
  let inClass = false;
  let i = at + 1;
  while (i < code.length) {
    const c = code.charCodeAt(i);
    if (c === BACKSLASH) i += 2;
    else if (c === NEWLINE) return i;
    else {
      if (c === OPEN_BRACKET) inClass = true;
      else if (c === CLOSE_BRACKET) inClass = false;
      else if (c === SLASH && !inClass) break;
      i++;
    }
  }
  i++;
  while (i < code.length && /[a-z]/.test(code[i] ?? "")) i++;
  return i;
}

const charCode = (c: string) => c.charCodeAt(0);
const SPACE = charCode(" ");
const [QUOTE, APOSTROPHE, BACKTICK, SLASH, STAR, BACKSLASH, NEWLINE, SEMICOLON] = [
  charCode('"'),
  charCode("'"),
  charCode("`"),
  charCode("/"),
  charCode("*"),
  charCode("\\"),
  charCode("\n"),
  charCode(";"),
];
const [OPEN_BRACE, OPEN_PAREN, OPEN_BRACKET, CLOSE_BRACE, CLOSE_PAREN, CLOSE_BRACKET] = [
  charCode("{"),
  charCode("("),
  charCode("["),
  charCode("}"),
  charCode(")"),
  charCode("]"),
];
