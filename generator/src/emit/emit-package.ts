/**
 * The files of a publishable SDK package besides the shared types, validators and catalog modules:
 * the entry modules (`.` types and catalog metadata; `./sender` and `./receiver` bound to the
 * catalog and re-exporting what users of that side need from the runtime), `package.json` and the
 * README. One package per configuration, so the shared modules are shipped once.
 */

import type { ts } from "ts-morph";
import type { PackageConfig, Target } from "../config.js";
import type { CatalogModel } from "../model/catalog-model.js";
import { emitEntry } from "./emit-entry.js";
import { exportFrom } from "./statements.js";

/** What a user of each side imports from the runtime, re-exported so the SDK is the only import they need. */
const RUNTIME_EXPORTS: Readonly<Record<Target, { readonly values: readonly string[]; readonly types: readonly string[] }>> = {
  sender: {
    values: [
      "generateKeyPair",
      "generateSecret",
      "HooklineApiError",
      "PayloadValidationError",
      "UnknownEventTypeError",
      "UnknownEventVersionError",
      "WebhookDeliveryError",
      "WebhookSigner",
    ],
    types: [
      "AcceptedEvent",
      "BuildOptions",
      "ClientOptions",
      "DeliveryResult",
      "HooklineClient",
      "SendOptions",
      "Sender",
      "SenderOptions",
      "SignedWebhook",
      "ValidationIssue",
      "WebhookEnvelope",
    ],
  },
  receiver: {
    values: [
      "captureRawBody",
      "expressHandler",
      "fastifyWebhookPlugin",
      "MalformedPayloadError",
      "MemoryDedupeStore",
      "PayloadValidationError",
      "toNodeListener",
      "toWebHandler",
      "UnknownEventTypeError",
      "UnknownEventVersionError",
      "WebhookVerificationError",
    ],
    types: [
      "DedupeStore",
      "EventHandler",
      "HandlerContext",
      "HeadersLike",
      "RawBody",
      "Receiver",
      "ReceiverOptions",
      "ReceiverResponse",
      "ReceiverWarning",
      "ValidationIssue",
      "WebhookEnvelope",
    ],
  },
};

/** `sender.ts` / `receiver.ts`: the bound factory, the catalog's types, and the runtime's names for that side. */
export function emitPackageEntry(target: Target, runtime: string): ts.Statement[] {
  const { values, types } = RUNTIME_EXPORTS[target];
  return [...emitEntry(target, { runtime }), exportFrom(runtime, [...values, ...types.map((t) => `type ${t}`)])];
}

/** `index.ts` (the package's `.`): types and catalog metadata only, no runtime behaviour. */
export function emitPackageIndex(): ts.Statement[] {
  return [exportFrom("./types.js"), exportFrom("./catalog.js", ["catalog"])];
}

/**
 * The package's entry points: `.` always, one subpath per target, and `./schemas` (the JSON Schemas
 * and examples, which no other entry imports, so only code that asks for them loads them).
 */
export function packageEntries(pkg: PackageConfig): ReadonlyArray<{ readonly subpath: string; readonly module: string }> {
  return [
    { subpath: ".", module: "index" },
    ...pkg.targets.map((t) => ({ subpath: `./${t}`, module: t })),
    { subpath: "./schemas", module: "schemas" },
  ];
}

/**
 * `dist/<module>.d.cts`: the types of `require("<name>/<entry>")` from CommonJS, which the exports
 * map's `require` types condition points at. The package is an ES module that Node >= 20.19 loads
 * with require() (require(esm)); TypeScript models that only from 5.8 with `module: nodenext` and
 * otherwise reports TS1479 on a CommonJS file importing it, so this file re-exports the ES module's
 * own declarations and ignores that error here, once, instead of in every consumer's program.
 */
export function emitPackageCjsTypes(module: string, header: readonly string[]): string {
  return [
    ...header,
    `// The types of require() of this entry from CommonJS (require(esm), Node >= 20.19). TypeScript models`,
    "// that only from 5.8 with `module: nodenext` and reports TS1479 here otherwise; the types are the ES",
    "// module's own, so it is ignored.",
    "// @ts-ignore TS1479 (see above)",
    `export * from "./${module}.js";`,
    "",
  ].join("\n");
}

export function emitPackageJson(pkg: PackageConfig, dependencies: Readonly<Record<string, string>>): string {
  const exports: Record<string, unknown> = {};
  for (const { subpath, module } of packageEntries(pkg))
    exports[subpath] = {
      types: { require: `./dist/${module}.d.cts`, default: `./dist/${module}.d.ts` },
      default: `./dist/${module}.js`,
    };
  exports["./package.json"] = "./package.json";
  const manifest = {
    name: pkg.name,
    version: pkg.version,
    description: pkg.description,
    license: pkg.license,
    type: "module",
    engines: { node: "^20.19.0 || >=22.12.0" },
    sideEffects: false,
    types: "./dist/index.d.ts",
    exports,
    files: ["dist", "README.md"],
    dependencies,
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

export interface CatalogSource {
  /** How the configuration names the catalog, e.g. `./catalog` or `@acme/catalog`. */
  readonly name: string;
  /** The `version` of the catalog folder's package.json, if it has one. */
  readonly version: string | undefined;
  /** sha256 of the catalog's documents: identifies the exact schemas the package was built from. */
  readonly digest: string;
}

/** README.md: what the package is, how to install and use each side, and every event type it carries. */
export function emitPackageReadme(pkg: PackageConfig, model: CatalogModel, source: CatalogSource): string {
  const events = model.events.filter((e) => e.latest);
  const first = events[0];
  const catalogVersion = source.version === undefined ? "" : ` version ${source.version}`;
  const lines = [
    `# ${pkg.name}`,
    "",
    pkg.description,
    "",
    `Generated by Hookline from the event catalog \`${source.name}\`${catalogVersion} (sha256 \`${source.digest.slice(0, 16)}\`): ${events.length} event types. Do not edit: change the catalog and run \`hookline pack\`.`,
    "",
    "## Install",
    "",
    "```sh",
    `npm install ${pkg.name}`,
    "```",
    "",
    `Runs on Node.js ^20.19.0 or >= 22.12.0 as ESM (\`import\`) or CommonJS (\`require\`). It depends on the Standard Webhooks runtime \`${pkg.runtime.name}\` (\`${pkg.runtime.range}\`), installed with it.`,
    "",
    "| Entry | What it exports |",
    "| --- | --- |",
    `| \`${pkg.name}\` | \`EventMap\`, \`EventVersions\`, \`EventType\`, \`WebhookEvent\`, every payload type of every version, and \`catalog\` (metadata of every event type and version) |`,
    ...pkg.targets.map((t) =>
      t === "sender"
        ? `| \`${pkg.name}/sender\` | \`createSender\` and \`createClient\`, bound to this catalog, and the types and errors they use |`
        : `| \`${pkg.name}/receiver\` | \`createReceiver\` bound to this catalog, the framework adapters, and the types and errors they use |`,
    ),
    `| \`${pkg.name}/schemas\` | \`schemas\`: the JSON Schema (every \`$ref\` bundled) and the examples of every event type; a module of its own, loaded only by code that imports it |`,
    "",
  ];
  if (first !== undefined) {
    const example = JSON.stringify(first.examples[0] ?? {});
    if (pkg.targets.includes("sender"))
      lines.push(
        "## Send",
        "",
        "```ts",
        `import { createSender } from "${pkg.name}/sender";`,
        "",
        "const sender = createSender({ secret: process.env.WEBHOOK_SECRET! });",
        `await sender.send("https://example.com/webhooks", "${first.type}", ${example});`,
        "```",
        "",
      );
    if (pkg.targets.includes("receiver"))
      lines.push(
        "## Handle",
        "",
        "```ts",
        'import { createServer } from "node:http";',
        `import { createReceiver, toNodeListener } from "${pkg.name}/receiver";`,
        "",
        "const receiver = createReceiver({",
        "  secret: process.env.WEBHOOK_SECRET!,",
        `  handlers: { "${first.type}": async (event, { id }) => console.log(id, event.type, event.data) },`,
        "});",
        "createServer(toNodeListener(receiver)).listen(3000);",
        "```",
        "",
      );
  }
  lines.push("## Event types", "", "| Event type | Version | Payload type | Description |", "| --- | --- | --- | --- |");
  // Every version the package carries; the newest under its plain name (an alias of `<Title>V<n>`).
  for (const event of model.events) {
    const description = `${event.deprecated ? "**Deprecated.** " : ""}${event.description}`.replace(/\s+/g, " ").replace(/\|/g, "\\|");
    const typeName = event.latest ? event.plainName : event.typeName;
    lines.push(`| \`${event.type}\` | ${event.version} | \`${typeName}\` | ${description} |`);
  }
  return `${lines.join("\n")}\n`;
}
