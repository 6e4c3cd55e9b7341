/**
 * Issue 12, end to end through a real registry: `@hookline/core` and an SDK packed by `hookline pack`
 * from a fixture catalog are published with plain `npm publish` to a loopback verdaccio, then a fresh
 * project outside the repository installs `@acme/webhooks` by name and compiles, runs and upgrades it.
 * CommonJS consumers (`consumer/*.cts`) are compiled under node16 and nodenext, typed through the
 * package's generated `.d.cts` files, in the same programs as the ES module ones, and run by Node.
 *
 * `@types/node` for the fresh project comes from the repository's copy through `typeRoots` rather
 * than from the registry: it is a dev-time input of the consumer's programs (node:http), not part of
 * what is being installed, and publishing it (with undici-types) would only copy bytes around. The
 * compilers are the repository's: TypeScript 5.0.4 (the oldest the README promises, the
 * `typescript-5.0` alias) and the newest (`typescript`).
 */

import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RUNTIME_RANGE, main } from "../../src/index.js";
import { type Registry, run, runOk, startProgram, startRegistry } from "./registry.js";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const REPO = path.resolve(HERE, "../../..");
const CORE = path.join(REPO, "packages/core");
const COMPILERS = {
  newest: path.join(REPO, "node_modules/typescript/bin/tsc"),
  "5.0": path.join(REPO, "node_modules/typescript-5.0/bin/tsc"),
} as const;
type Compiler = keyof typeof COMPILERS;
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/** Each module resolution, with the consumer's files it compiles: CommonJS ones (`.cts`) where Node's resolution applies. */
const SETUPS = [
  { moduleResolution: "nodenext", module: "nodenext", commonjs: true },
  { moduleResolution: "node16", module: "node16", commonjs: true },
  { moduleResolution: "bundler", module: "esnext", commonjs: false },
] as const;
/** The consumer's files with lines marked `// WRONG`: ES module, and CommonJS typed through the package's `.d.cts`. */
const WRONG = { esm: "wrong.ts", commonjs: "wrong.cts" } as const;

let registry: Registry;
let work: string;
let producer: string;
let consumer: string;

beforeAll(async () => {
  await readFile(path.join(CORE, "dist/index.d.ts")).catch(() => {
    throw new Error("packages/core/dist is missing: run `npx turbo run build` first (npm test does)");
  });
  registry = await startRegistry();
  work = await mkdtempOutsideRepo();
  producer = path.join(work, "producer");
  consumer = path.join(work, "consumer");
});

afterAll(async () => {
  await registry?.stop();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

async function mkdtempOutsideRepo(): Promise<string> {
  const dir = path.join(os.tmpdir(), `hookline-install-${process.pid}-${Date.now()}`);
  await mkdir(dir, { recursive: true });
  expect(path.relative(REPO, dir).startsWith("..")).toBe(true);
  return dir;
}

const npm = (cwd: string, ...args: string[]) => runOk("npm", args, cwd, registry.env);

/** The producer's project: the catalog, hookline.config.json with a `package` section, core installed from the registry. */
async function packCatalog(catalog: "catalog-v1" | "catalog-v2", version: string): Promise<Record<string, unknown>> {
  await rm(path.join(producer, "catalog"), { recursive: true, force: true });
  await cp(path.join(HERE, "fixtures", catalog), path.join(producer, "catalog"), { recursive: true });
  const config = {
    catalog: "./catalog",
    package: { name: "@acme/webhooks", version, license: "MIT", description: "Acme's webhooks.", outDir: "dist/webhooks" },
  };
  await writeFile(path.join(producer, "hookline.config.json"), JSON.stringify(config));
  let err = "";
  const code = await main(["node", "hookline", "pack", "--config", path.join(producer, "hookline.config.json")], {
    out: () => {},
    err: (s) => {
      err += s;
    },
  });
  expect({ code, err }).toEqual({ code: 0, err: "" });
  await npm(producer, "publish", "./dist/webhooks");
  return JSON.parse(await readFile(path.join(producer, "dist/webhooks/package.json"), "utf8")) as Record<string, unknown>;
}

interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

async function typecheck(compiler: Compiler, name: string, options: Record<string, unknown>, files: string[]) {
  const tsconfig = {
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: "ES2022",
      lib: ["ES2022"],
      types: ["node"],
      typeRoots: [path.join(REPO, "node_modules/@types")],
      ...options,
    },
    files,
  };
  const file = `tsconfig.${name}.json`;
  await writeFile(path.join(consumer, file), JSON.stringify(tsconfig, null, 2));
  const result = await run(process.execPath, [COMPILERS[compiler], "-p", file, "--pretty", "false"], consumer, registry.env);
  const diagnostics: Diagnostic[] = [];
  for (const line of `${result.stdout}\n${result.stderr}`.split("\n")) {
    const match = /^(.+?)\((\d+),\d+\): error (.*)$/.exec(line.trim());
    if (match !== null) diagnostics.push({ file: match[1] as string, line: Number(match[2]), text: match[3] as string });
    else if (/error TS\d+/.test(line)) diagnostics.push({ file: "(global)", line: 0, text: line.trim() });
  }
  return { code: result.code, diagnostics, output: result.stdout + result.stderr };
}

/** `file:line` (1-based) of every line marked `// WRONG` in the given consumer files. */
async function wrongLines(files: readonly string[]): Promise<string[]> {
  const marked = await Promise.all(
    files.map(async (file) => {
      const text = await readFile(path.join(consumer, file), "utf8");
      return text.split("\n").flatMap((line, i) => (line.includes("// WRONG") ? [`${file}:${i + 1}`] : []));
    }),
  );
  return marked.flat();
}

/** Starts the receiver program, runs the sender program against it, returns what each printed. */
async function deliver(receiverArgs: string[], senderArgs: string[]): Promise<{ sent: unknown; received: unknown }> {
  const receiver = await startProgram([...receiverArgs, SECRET], consumer, registry.env);
  try {
    const { port } = receiver.first as { port: number };
    const out = await runOk(process.execPath, [...senderArgs, `http://127.0.0.1:${port}/webhooks`, SECRET], consumer, registry.env);
    return { sent: JSON.parse(out), received: await receiver.next() };
  } finally {
    receiver.stop();
  }
}

describe("an SDK packed by hookline pack, installed from a registry", { timeout: 240_000 }, () => {
  it("publishes core and the SDK, and a fresh project installs it by name", async () => {
    await npm(CORE, "publish");
    await mkdir(producer, { recursive: true });
    await writeFile(path.join(producer, "package.json"), JSON.stringify({ name: "acme-producer", private: true, type: "module" }));
    await npm(producer, "install", "--save-dev", `@hookline/core@${RUNTIME_RANGE}`);
    const manifest = await packCatalog("catalog-v1", "1.0.0");
    // The generated code imports nothing but the runtime: no third-party run-time dependency.
    expect(manifest.dependencies).toEqual({ "@hookline/core": RUNTIME_RANGE });

    await mkdir(consumer, { recursive: true });
    await writeFile(path.join(consumer, "package.json"), JSON.stringify({ name: "acme-consumer", private: true, type: "module" }));
    await npm(consumer, "install", "@acme/webhooks");
    await cp(path.join(HERE, "consumer"), consumer, { recursive: true });
    const installed = JSON.parse(await readFile(path.join(consumer, "node_modules/@acme/webhooks/package.json"), "utf8"));
    expect(installed.version).toBe("1.0.0");
    // Installed by name from the registry: no file: paths, no tarballs from disk.
    const lock = JSON.parse(await readFile(path.join(consumer, "package-lock.json"), "utf8")) as {
      packages: Record<string, { resolved?: string }>;
    };
    const sources = Object.entries(lock.packages).flatMap(([at, p]) => (at === "" ? [] : [p.resolved ?? "(none)"]));
    expect(sources.length).toBe(2);
    for (const source of sources) expect(source.startsWith(registry.url)).toBe(true);
  });

  it.each(Object.keys(COMPILERS) as Compiler[])(
    "on TypeScript %s, typed programs compile and wrong payloads do not, with every module resolution and skipLibCheck on and off; CommonJS ones too under node16 and nodenext",
    async (compiler) => {
      expect((await wrongLines([WRONG.esm])).length).toBe(5);
      expect((await wrongLines([WRONG.commonjs])).length).toBe(4);
      const cases = SETUPS.flatMap((setup) => [false, true].map((skipLibCheck) => ({ ...setup, skipLibCheck })));
      const results = await inPairs(cases, async ({ moduleResolution, module, commonjs, skipLibCheck }) => {
        const name = `${compiler}-${moduleResolution}-${skipLibCheck ? "skip" : "full"}`;
        const files = ["send.ts", "receive.ts", WRONG.esm, ...(commonjs ? ["commonjs.cts", WRONG.commonjs] : [])];
        const wrong = await wrongLines(files);
        const { diagnostics } = await typecheck(compiler, name, { module, moduleResolution, skipLibCheck }, files);
        const unexpected = diagnostics.filter((d) => !wrong.includes(`${d.file}:${d.line}`));
        const missed = wrong.filter((at) => !diagnostics.some((d) => `${d.file}:${d.line}` === at));
        return { name, unexpected, missed };
      });
      expect(results).toEqual(results.map(({ name }) => ({ name, unexpected: [], missed: [] })));
    },
  );

  it("delivers a signed event from the sender program to the receiver program, as ESM and as CommonJS; a CommonJS TypeScript program runs", async () => {
    await writeFile(
      path.join(consumer, "tsconfig.emit.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          target: "ES2022",
          module: "nodenext",
          outDir: "out",
          types: ["node"],
          typeRoots: [path.join(REPO, "node_modules/@types")],
        },
        files: ["send.ts", "receive.ts", "commonjs.cts"],
      }),
    );
    await runOk(process.execPath, [COMPILERS.newest, "-p", "tsconfig.emit.json"], consumer, registry.env);
    // The CommonJS TypeScript program, emitted as require() calls: Node require()s the ES-module package.
    expect(await readFile(path.join(consumer, "out/commonjs.cjs"), "utf8")).toContain('require("@acme/webhooks/sender")');
    expect(JSON.parse(await runOk(process.execPath, ["out/commonjs.cjs"], consumer, registry.env))).toEqual({
      verified: "order.created",
      schemas: 2,
    });
    expect(await deliver(["out/receive.js"], ["out/send.js"])).toEqual({
      sent: { sent: 200 },
      received: { received: "order.created", orderId: "ord_42", cents: 1250 },
    });
    // require() of ES modules: Node >= 20.19 and >= 22.12, which is what the package's engines field says.
    expect((process.features as { require_module?: boolean }).require_module).toBe(true);
    expect(await deliver(["receive.cjs"], ["send.cjs"])).toEqual({
      sent: { sent: 200 },
      received: { received: "order.created", orderId: "ord_43", cents: 99 },
    });
  });

  it("upgrades to the next catalog version with npm install @latest, and the added event type is usable", async () => {
    const manifest = await packCatalog("catalog-v2", "1.1.0");
    expect(manifest.version).toBe("1.1.0");
    await npm(consumer, "install", "@acme/webhooks@latest");
    const installed = JSON.parse(await readFile(path.join(consumer, "node_modules/@acme/webhooks/package.json"), "utf8"));
    expect(installed.version).toBe("1.1.0");
    const own = JSON.parse(await readFile(path.join(consumer, "package.json"), "utf8"));
    expect(own.dependencies).toEqual({ "@acme/webhooks": "^1.1.0" });
    const readme = await readFile(path.join(consumer, "node_modules/@acme/webhooks/README.md"), "utf8");
    expect(readme).toContain("| `order.shipped` | 1 | `OrderShipped` | An order left the warehouse. |");
    expect(readme).toContain("from the event catalog `./catalog` version 1.1.0");
    await writeFile(
      path.join(consumer, "tsconfig.upgrade.json"),
      JSON.stringify({ extends: "./tsconfig.emit.json", files: ["shipped.ts"] }),
    );
    await runOk(process.execPath, [COMPILERS.newest, "-p", "tsconfig.upgrade.json"], consumer, registry.env);
    expect(JSON.parse(await runOk(process.execPath, ["out/shipped.js"], consumer, registry.env))).toEqual({
      verified: "order.shipped",
      types: 3,
    });
    // The package README's snippets are programs too: they compile as written.
    const samples = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1] as string);
    expect(samples.length).toBe(2);
    await Promise.all(samples.map((code, i) => writeFile(path.join(consumer, `readme-${i}.ts`), code)));
    for (const compiler of Object.keys(COMPILERS) as Compiler[]) {
      const files = ["send.ts", "receive.ts", "shipped.ts", ...samples.map((_, i) => `readme-${i}.ts`)];
      const { diagnostics, output } = await typecheck(
        compiler,
        `upgrade-${compiler}`,
        { module: "nodenext", moduleResolution: "nodenext" },
        files,
      );
      expect({ compiler, diagnostics }, output).toEqual({ compiler, diagnostics: [] });
    }
  });

  it("npm ls --omit=dev in the fresh project lists only the SDK and the runtime", async () => {
    const tree = JSON.parse(await npm(consumer, "ls", "--omit=dev", "--all", "--json")) as Tree;
    const core = JSON.parse(await readFile(path.join(CORE, "package.json"), "utf8")) as { version: string };
    expect(names(tree).sort()).toEqual(["@acme/webhooks@1.1.0", `@hookline/core@${core.version}`]);
  });
});

interface Tree {
  readonly version?: string;
  readonly dependencies?: Record<string, Tree>;
}

function names(tree: Tree): string[] {
  return Object.entries(tree.dependencies ?? {}).flatMap(([name, sub]) => [`${name}@${sub.version}`, ...names(sub)]);
}

/** Runs `task` over `items` two at a time (the machine has two cores), keeping the order of results. */
async function inPairs<T, R>(items: readonly T[], task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let nextIndex = 0;
  const worker = async () => {
    for (let i = nextIndex++; i < items.length; i = nextIndex++) results[i] = await task(items[i] as T);
  };
  await Promise.all([worker(), worker()]);
  return results;
}
