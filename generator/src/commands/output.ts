/**
 * What every `hookline` command shares for talking to the user: the streams, exit codes, a one-line
 * error type, colour (only on a terminal, never with NO_COLOR), tables for terminals vs JSON for scripts,
 * and progress lines on a terminal's stderr.
 */

export interface Io {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  /** Colour the output (decided by the caller: a TTY and no NO_COLOR). */
  readonly color?: boolean;
  /** stdout is a terminal: tables and the terminal's width for help; otherwise plain lines. */
  readonly tty?: boolean;
  /**
   * stderr is a terminal: progress of long runs is drawn there as one rewritten line. Never when
   * stderr is piped or redirected; NO_COLOR does not turn it off (it is about colour only).
   */
  readonly progress?: boolean;
}

/** Documented in generator/README.md ("Exit codes"); scripts rely on them. */
export const EXIT = {
  ok: 0,
  /** The server refused the request, a delivery failed, or `listen` lost its server. */
  failed: 1,
  /** Bad input: unknown option or event type, a payload that fails its schema (nothing sent). */
  usage: 2,
  /** No answer from the server (not running, wrong URL, timeout). */
  unreachable: 3,
  /** The server answered 401/403: missing or wrong API key. */
  auth: 4,
} as const;

/** A failure to report as one line (what, and how to fix it) with its exit code. */
export class CliError extends Error {
  override readonly name = "CliError";
  readonly exitCode: number;

  constructor(message: string, exitCode: number = EXIT.failed) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** Whether progress is drawn on `stream` (stderr): a terminal, whatever NO_COLOR says. */
export function useProgress(stream: { readonly isTTY?: boolean }): boolean {
  return stream.isTTY === true;
}

export function useColour(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && (env.NO_COLOR ?? "") === "";
}

type Paint = (s: string) => string;

export function palette(io: Io): { green: Paint; red: Paint; yellow: Paint; dim: Paint; bold: Paint } {
  const sgr =
    (open: number, close: number): Paint =>
    (s) =>
      io.color === true ? `\u001b[${open}m${s}\u001b[${close}m` : s;
  return { green: sgr(32, 39), red: sgr(31, 39), yellow: sgr(33, 39), dim: sgr(2, 22), bold: sgr(1, 22) };
}

export function printJson(io: Io, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}

/** Left-aligned columns separated by two spaces; `null`/absent cells print as `-`. */
export function printTable(io: Io, columns: readonly string[], rows: readonly (readonly unknown[])[]): void {
  const cells = rows.map((row) => columns.map((_, i) => cellText(row[i])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => (r[i] ?? "").length)));
  const line = (values: readonly string[]) =>
    `${values
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd()}\n`;
  io.out(`${palette(io).bold(line(columns.map((c) => c.toUpperCase())).trimEnd())}\n`);
  for (const row of cells) io.out(line(row));
  if (rows.length === 0) io.out(`${palette(io).dim("(none)")}\n`);
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return "-";
  if (Array.isArray(value)) return value.length === 0 ? "-" : value.join(",");
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Progress for long runs: a rewritten `[n/total] label` line on a terminal's stderr, nothing otherwise (the result lines stay). */
export function progress(io: Io, total: number): { tick(label: string): void; done(): void } {
  const line = statusLine(io);
  let count = 0;
  return {
    tick(label) {
      count++;
      line.show(`[${count}/${total}] ${label}`);
    },
    done: line.done,
  };
}

/** One status line on a terminal's stderr, rewritten in place by `show` and erased by `done`; silent otherwise. */
export function statusLine(io: Io): { show(text: string): void; done(): void } {
  let shown = false;
  return {
    show(text) {
      if (io.progress !== true) return;
      io.err(`\r\u001b[2K${text}`);
      shown = true;
    },
    done() {
      if (shown) io.err("\r\u001b[2K");
      shown = false;
    },
  };
}
