/**
 * The `hookline` command line. Catalog commands (`validate`, `generate`, `pack`, `check`) are defined
 * here; the server loop (`trigger`, `fixtures`, `listen`) and management commands (`endpoints`,
 * `events`, `deliveries`, `replay`, `recover`) live in commands/; `docs` in docs/. Returns the exit code instead of exiting.
 */

import { readFileSync } from "node:fs";
import path from "node:path";
import { Command, CommanderError, Option } from "commander";
import { DEFAULT_MODE, MODES, type CompatibilityMode } from "./check/check-catalog.js";
import { runCheck } from "./check/run-check.js";
import { configuredCatalog, configuredCatalogAndRules } from "./commands/catalog-source.js";
import { registerEndpoints } from "./commands/endpoints.js";
import { registerEvents } from "./commands/events.js";
import { registerListen } from "./commands/listen.js";
import { CliError, EXIT, type Io, statusLine, useColour, useProgress } from "./commands/output.js";
import { registerTrigger } from "./commands/trigger.js";
import { ConfigError, loadConfig } from "./config.js";
import { DocsOutputError } from "./docs/build-docs.js";
import { registerDocsCommand } from "./docs/docs-command.js";
import { CatalogError, type CatalogIssue, formatIssue } from "./schema/issues.js";
import { FORMATS, type Format, FormatterError } from "./write/prettier.js";
import { PackError } from "./write/write-package.js";

const VERSION = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;

export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  let exitCode = 0;
  const helpWidth = () => (io.tty === true ? (process.stdout.columns ?? 80) : 100);
  const setExit = (code: number) => {
    exitCode = code;
  };
  // Problems of rules set to "warning": shown on stderr with the rule id, the command still succeeds.
  const printWarnings = (warnings: readonly CatalogIssue[]) => {
    if (warnings.length === 0) return;
    io.err(`${plural(warnings.length, "warning")} (rules set to "warning" in hookline.config.json "rules"; they do not fail):\n`);
    io.err(`${warnings.map(formatIssue).join("\n")}\n`);
  };
  const program = new Command("hookline")
    .description(
      "Validate a JSON Schema event catalog and generate typed Standard Webhooks SDKs from it; trigger events, forward deliveries to localhost and manage a Hookline server.",
    )
    .version(VERSION, "-V, --version", "print the hookline version")
    // Program options only before the command name, so `trigger --version 2` is trigger's own option.
    .enablePositionalOptions()
    .showSuggestionAfterError()
    // Usage errors exit 2 everywhere (1 is "the operation failed"); --help and --version exit 0.
    .exitOverride((error) => {
      throw error.exitCode === 0 ? error : new CommanderError(EXIT.usage, error.code, error.message);
    })
    // Help wraps at the terminal's width, and at a fixed one when piped (and in the help snapshot).
    .configureOutput({ writeOut: io.out, writeErr: io.err, getOutHelpWidth: helpWidth, getErrHelpWidth: helpWidth })
    .addHelpText(
      "after",
      `
Examples (the local loop, with the server running: npm start):
  $ hookline listen --forward-to http://localhost:3000/webhooks
  $ hookline trigger order.paid

Exit codes: 0 ok, 1 failed (the server refused, a delivery failed, listen lost its server), 2 bad input
(nothing sent), 3 server unreachable, 4 API key refused. HOOKLINE_URL and HOOKLINE_API_KEY set the server.`,
    );

  program
    .command("validate")
    .description("check every catalog file and report all problems at once")
    .option("--catalog <dir>", "catalog folder (default: from hookline.config.json, else ./catalog)")
    .option("--config <file>", "configuration file")
    .action(async (opts: { catalog?: string; config?: string }) => {
      const { dir, rules } = await configuredCatalogAndRules(opts.catalog, opts.config);
      const started = performance.now();
      // Loaded when run, like generate and pack: the converter type-check brings the TypeScript compiler.
      const { loadCatalogWithWarnings } = await import("./generate.js");
      const { model, warnings } = await loadCatalogWithWarnings(dir, rules);
      printWarnings(warnings);
      const latest = model.events.filter((e) => e.latest).length;
      io.out(
        `catalog ok: ${model.events.length} event schemas (${latest} event types), ${model.definitions.length} shared definitions, ${plural(model.converters?.length ?? 0, "converter")} — ${dir} (${Math.round(performance.now() - started)} ms)\n`,
      );
    })
    .addHelpText("after", "\nExample:\n  $ hookline validate --catalog ./catalog");

  program
    .command("generate")
    .description("validate the catalog and write the configured SDK sources")
    .option("--config <file>", "configuration file (default: ./hookline.config.json or package.json#hookline)")
    .addOption(
      new Option(
        "--format <format>",
        'layout of the generated files, overriding the configuration\'s "format": none (default: as the TypeScript printer writes them) or prettier (formatted by prettier, which must be installed)',
      ).choices(FORMATS),
    )
    .action(async (opts: { config?: string; format?: Format }) => {
      const started = performance.now();
      const config = await loadConfig(process.cwd(), opts.config);
      if (config.outputs.length === 0 && config.documents === undefined)
        throw new ConfigError(
          'The configuration has no "outputs" or "documents", which `hookline generate` writes; it has a "package" section: run `hookline pack` to build that.',
        );
      // Loaded on use: the emitters (ts-morph) take seconds to import, which the server commands should not pay.
      const { generate } = await import("./generate.js");
      const status = statusLine(io);
      let result: Awaited<ReturnType<typeof generate>>;
      try {
        result = await generate(opts.format === undefined ? config : { ...config, format: opts.format }, { onProgress: status.show });
      } finally {
        status.done();
      }
      printWarnings(result.warnings);
      for (const { output, report } of result.outputs) {
        const where = path.relative(process.cwd(), output.outDir) || ".";
        io.out(
          `${output.target} → ${where}: ${report.written.length} written, ${report.unchanged.length} unchanged, ${report.removed.length} removed\n`,
        );
      }
      for (const { output, report } of result.tests) {
        const where = path.relative(process.cwd(), output.tests ?? output.outDir) || ".";
        io.out(
          `converter tests → ${where}: ${report.written.length} written, ${report.unchanged.length} unchanged, ${report.removed.length} removed\n`,
        );
      }
      if (result.documents !== undefined) {
        const { outDir, report } = result.documents;
        const where = path.relative(process.cwd(), outDir) || ".";
        io.out(
          `documents → ${where}: ${report.written.length} written, ${report.unchanged.length} unchanged, ${report.removed.length} removed\n`,
        );
      }
      io.out(`generated from ${result.model.events.length} event schemas in ${Math.round(performance.now() - started)} ms\n`);
    })
    .addHelpText("after", "\nExample:\n  $ hookline generate --config hookline.config.json --format prettier");

  program
    .command("pack")
    .description("validate the catalog and write the configured npm package (package.json, JS, .d.ts, README), ready for npm publish")
    .option("--config <file>", "configuration file (default: ./hookline.config.json or package.json#hookline)")
    .action(async (opts: { config?: string }) => {
      const started = performance.now();
      const config = await loadConfig(process.cwd(), opts.config);
      const [{ pack }, { packageEntries }] = await Promise.all([import("./pack.js"), import("./emit/emit-package.js")]);
      const result = await pack(config);
      printWarnings(result.warnings);
      const where = path.relative(process.cwd(), result.package.outDir) || ".";
      const entries = packageEntries(result.package)
        .map((e) => e.subpath)
        .join(", ");
      io.out(
        `${result.package.name}@${result.package.version} → ${where}: ${result.files.length} files, entries ${entries}, ${result.model.events.filter((e) => e.latest).length} event types (${Math.round(performance.now() - started)} ms)\n`,
      );
      io.out(`publish it with: npm publish ${where}\n`);
    })
    .addHelpText("after", "\nExample:\n  $ hookline pack && npm publish dist/package");

  program
    .command("check")
    .description(
      "compare the catalog with an earlier one and classify every change as breaking or not under backward, forward and full compatibility",
    )
    .option("--catalog <dir>", "catalog folder (default: from hookline.config.json, else ./catalog)")
    .option("--config <file>", "configuration file")
    .requiredOption("--against <ref-or-dir>", "the earlier catalog: a git ref (main, HEAD~1, v1.2.0) or a directory")
    .addOption(
      new Option("--mode <mode>", "which verdict fails the check (exit 1): forward breaks receivers still on the old schema")
        .choices(MODES)
        .default(DEFAULT_MODE),
    )
    .option("--json", "print the report as JSON")
    .option(
      "--server <url>",
      "a running Hookline server to ask which endpoints each breaking change reaches (API key from HOOKLINE_API_KEY)",
    )
    // Usage errors of check exit 2, so that 1 always means "a breaking change".
    .exitOverride((error) => {
      throw error.exitCode === 0 ? error : new CommanderError(2, error.code, error.message);
    })
    .action(
      async (opts: { catalog?: string; config?: string; against: string; mode: CompatibilityMode; json?: boolean; server?: string }) => {
        let catalog: string;
        try {
          catalog = opts.catalog !== undefined ? path.resolve(opts.catalog) : await configuredCatalog(opts.config);
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          io.err(`${error.message}\n`);
          exitCode = 2;
          return;
        }
        exitCode = await runCheck({ catalog, against: opts.against, mode: opts.mode, json: opts.json, server: opts.server }, io);
      },
    )
    .addHelpText("after", "\nExample:\n  $ hookline check --against main --mode full --server http://127.0.0.1:8787");

  registerTrigger(program, io, setExit);
  registerListen(program, io, setExit);
  registerEndpoints(program, io);
  registerEvents(program, io);

  registerDocsCommand(program, io, async (opts) =>
    opts.catalog !== undefined ? path.resolve(opts.catalog) : await configuredCatalog(opts.config),
  );

  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    exitCode = report(error, io);
  }
  return exitCode;
}

function report(error: unknown, io: { err: (s: string) => void }): number {
  if (error instanceof CommanderError) return error.exitCode;
  if (error instanceof CliError) {
    io.err(`hookline: ${error.message}\n`);
    return error.exitCode;
  }
  if (
    error instanceof CatalogError ||
    error instanceof ConfigError ||
    // write-output.ts is loaded on use (see generate), so its error is known by name.
    (error instanceof Error && error.name === "OutputDirectoryError") ||
    error instanceof PackError ||
    error instanceof FormatterError ||
    error instanceof DocsOutputError
  ) {
    io.err(`${error.message}\n`);
    return 1;
  }
  io.err(`hookline: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 2;
}

const defaultIo: Io = {
  out: (s: string) => void process.stdout.write(s),
  err: (s: string) => void process.stderr.write(s),
  get color() {
    return useColour(process.stdout, process.env);
  },
  get tty() {
    return process.stdout.isTTY === true;
  },
  get progress() {
    return useProgress(process.stderr);
  },
};

/** `1 converter`, `2 converters`. */
function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
