/** The `hookline` command line: `validate`, `generate`, `pack` and `check`. Returns the exit code instead of exiting. */

import path from "node:path";
import { Command, CommanderError, Option } from "commander";
import { DEFAULT_MODE, MODES, type CompatibilityMode } from "./check/check-catalog.js";
import { runCheck, useColour } from "./check/run-check.js";
import { ConfigError, loadConfig } from "./config.js";
import { generate, loadCatalog } from "./generate.js";
import { packageEntries } from "./emit/emit-package.js";
import { pack } from "./pack.js";
import { CatalogError } from "./schema/issues.js";
import { FORMATS, type Format, FormatterError } from "./write/prettier.js";
import { OutputDirectoryError } from "./write/write-output.js";
import { PackError } from "./write/write-package.js";

export async function main(
  argv: readonly string[],
  io: { out: (s: string) => void; err: (s: string) => void; color?: boolean } = defaultIo,
): Promise<number> {
  let exitCode = 0;
  const program = new Command("hookline")
    .description("Validate a JSON Schema event catalog and generate typed Standard Webhooks SDKs from it.")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  program
    .command("validate")
    .description("check every catalog file and report all problems at once")
    .option("--catalog <dir>", "catalog folder (default: from hookline.config.json, else ./catalog)")
    .option("--config <file>", "configuration file")
    .action(async (opts: { catalog?: string; config?: string }) => {
      const dir = opts.catalog !== undefined ? path.resolve(opts.catalog) : await configuredCatalog(opts.config);
      const started = performance.now();
      const model = await loadCatalog(dir);
      const latest = model.events.filter((e) => e.latest).length;
      io.out(
        `catalog ok: ${model.events.length} event schemas (${latest} event types), ${model.definitions.length} shared definitions — ${dir} (${Math.round(performance.now() - started)} ms)\n`,
      );
    });

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
      const result = await generate(opts.format === undefined ? config : { ...config, format: opts.format });
      for (const { output, report } of result.outputs) {
        const where = path.relative(process.cwd(), output.outDir) || ".";
        io.out(
          `${output.target} → ${where}: ${report.written.length} written, ${report.unchanged.length} unchanged, ${report.removed.length} removed\n`,
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
    });

  program
    .command("pack")
    .description("validate the catalog and write the configured npm package (package.json, JS, .d.ts, README), ready for npm publish")
    .option("--config <file>", "configuration file (default: ./hookline.config.json or package.json#hookline)")
    .action(async (opts: { config?: string }) => {
      const started = performance.now();
      const config = await loadConfig(process.cwd(), opts.config);
      const result = await pack(config);
      const where = path.relative(process.cwd(), result.package.outDir) || ".";
      const entries = packageEntries(result.package)
        .map((e) => e.subpath)
        .join(", ");
      io.out(
        `${result.package.name}@${result.package.version} → ${where}: ${result.files.length} files, entries ${entries}, ${result.model.events.filter((e) => e.latest).length} event types (${Math.round(performance.now() - started)} ms)\n`,
      );
      io.out(`publish it with: npm publish ${where}\n`);
    });

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
    );

  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    exitCode = report(error, io);
  }
  return exitCode;
}

async function configuredCatalog(configPath: string | undefined): Promise<string> {
  try {
    return (await loadConfig(process.cwd(), configPath)).catalogDir;
  } catch (error) {
    if (configPath === undefined && error instanceof ConfigError) return path.resolve("catalog");
    throw error;
  }
}

function report(error: unknown, io: { err: (s: string) => void }): number {
  if (error instanceof CommanderError) return error.exitCode;
  if (
    error instanceof CatalogError ||
    error instanceof ConfigError ||
    error instanceof OutputDirectoryError ||
    error instanceof PackError ||
    error instanceof FormatterError
  ) {
    io.err(`${error.message}\n`);
    return 1;
  }
  io.err(`hookline: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 2;
}

const defaultIo = {
  out: (s: string) => void process.stdout.write(s),
  err: (s: string) => void process.stderr.write(s),
  get color() {
    return useColour(process.stdout, process.env);
  },
};
