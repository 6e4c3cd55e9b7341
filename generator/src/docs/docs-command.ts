/** The `hookline docs` command: load and check the catalog, render the site, write it. */

import path from "node:path";
import type { Command } from "commander";
import { renderDocs, writeDocs } from "./build-docs.js";

export const DEFAULT_DOCS_OUT = "docs-site";

export function registerDocsCommand(
  program: Command,
  io: { out: (s: string) => void },
  catalogDir: (opts: { catalog?: string; config?: string }) => Promise<string>,
): void {
  program
    .command("docs")
    .description("build a static HTML site documenting every event type, version and shared definition of the catalog")
    .option("--catalog <dir>", "catalog folder (default: from hookline.config.json, else ./catalog)")
    .option("--config <file>", "configuration file")
    .option("--out <dir>", "folder to write the site to (replaced if it holds an earlier build)", DEFAULT_DOCS_OUT)
    .option("--title <text>", "site title", "Webhook events")
    .option("--sender-module <name>", "module the Send examples import createSender from", "@hookline/sender")
    .option("--receiver-module <name>", "module the Receive examples import createReceiver from", "@hookline/receiver")
    .action(
      async (opts: { catalog?: string; config?: string; out: string; title: string; senderModule: string; receiverModule: string }) => {
        const started = performance.now();
        const dir = await catalogDir(opts);
        // Loaded when run, like generate: the converter type-check brings the TypeScript compiler.
        const { loadCatalog } = await import("../generate.js");
        const model = await loadCatalog(dir);
        const files = renderDocs(model, { title: opts.title, sdk: { sender: opts.senderModule, receiver: opts.receiverModule } });
        const outDir = path.resolve(opts.out);
        await writeDocs(outDir, files);
        const pages = [...files.keys()].filter((f) => f.endsWith(".html")).length;
        io.out(
          `docs → ${path.relative(process.cwd(), outDir) || "."}: ${pages} pages, ${files.size} files (${Math.round(performance.now() - started)} ms)\n`,
        );
      },
    );
}
