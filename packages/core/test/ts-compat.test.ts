/**
 * Platform support as a user gets it: `@hookline/core` and the generated `@hookline/sender` and
 * `@hookline/receiver` are packed with `npm pack`, unpacked into a project outside the repository and
 * compiled with the oldest TypeScript the README promises (5.0) and the newest (the repository's), under
 * every supported `moduleResolution`, with `skipLibCheck` both ways. The programs in `test/ts-compat/`
 * mark the lines that must fail (`// error: <text>`); every other line must compile, so a correct
 * program compiles and a wrong payload is an error, never silently accepted. `commonjs.cts` is a
 * CommonJS consumer (typed through each package's `index.d.cts`), also emitted and run by Node, which
 * require()s the ES modules. Needs the built packages (`npx turbo run build`).
 */

import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const PROGRAMS = fileURLToPath(new URL("./ts-compat/", import.meta.url));
const PACKAGES = ["core", "sender", "receiver"] as const;
const require = createRequire(import.meta.url);

const TYPESCRIPTS = {
  "5.0": "typescript-5.0",
  newest: "typescript",
} as const;
type TypeScriptName = keyof typeof TYPESCRIPTS;

interface Cell {
  readonly name: string;
  readonly typescript: TypeScriptName;
  readonly compilerOptions: Record<string, unknown>;
  readonly files: readonly string[];
}

const COMMON_FILES = ["payload.ts", "send.ts", "receive.ts", "wrong-send.ts", "wrong-receive.ts"];
/** A Node project (with @types/node), or a Workers/Deno-style one: a bundler, Web APIs and no @types/node. */
const NODE = { lib: ["ES2022"], types: ["node"] };
const WEB = { lib: ["ES2022", "DOM"], types: [] };
const SETUPS = [
  { resolution: "nodenext", module: "nodenext", environment: NODE, extra: ["commonjs.cts"] },
  { resolution: "node16", module: "node16", environment: NODE, extra: ["commonjs.cts"] },
  { resolution: "bundler", module: "esnext", environment: WEB, extra: ["worker.ts"] },
  // TypeScript 7 removed node10; it resolves through the packages' top-level "types".
  { resolution: "node10", module: "commonjs", environment: NODE, extra: [], only: "5.0" },
] as const;

function cells(): Cell[] {
  const list: Cell[] = [];
  for (const typescript of Object.keys(TYPESCRIPTS) as TypeScriptName[]) {
    for (const skipLibCheck of [false, true]) {
      for (const setup of SETUPS) {
        if ("only" in setup && setup.only !== typescript) continue;
        const environment = setup.environment === WEB ? "Web-standard runtime without @types/node" : "Node with @types/node";
        list.push({
          name: `TypeScript ${typescript}, moduleResolution ${setup.resolution} (${environment}), skipLibCheck ${skipLibCheck}`,
          typescript,
          compilerOptions: { module: setup.module, moduleResolution: setup.resolution, skipLibCheck, ...setup.environment },
          files: [...COMMON_FILES, ...setup.extra],
        });
      }
    }
  }
  return list;
}

interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

/** The `// error: <text>` marks of the programs' lines. */
async function expectedDiagnostics(cell: Cell): Promise<Diagnostic[]> {
  const expected: Diagnostic[] = [];
  for (const file of cell.files) {
    const lines = (await readFile(path.join(PROGRAMS, file), "utf8")).split("\n");
    lines.forEach((line, index) => {
      const mark = /\/\/ error: (.+)$/.exec(line);
      if (mark?.[1]) expected.push({ file, line: index + 1, text: mark[1] });
    });
  }
  return expected;
}

function parseDiagnostics(output: string): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const line of output.split("\n")) {
    const match = /^(?:src\/)?([^(\s]+)\((\d+),\d+\): error (TS\d+: .*)$/.exec(line);
    if (match?.[1] && match[2] && match[3]) found.push({ file: match[1], line: Number(match[2]), text: match[3] });
    else if (line.startsWith("error ") || /^\S.*: error TS/.test(line)) found.push({ file: "", line: 0, text: line });
  }
  return found;
}

async function tsc(typescript: TypeScriptName, project: string, cwd: string): Promise<string> {
  const bin = path.join(path.dirname(require.resolve(`${TYPESCRIPTS[typescript]}/package.json`)), "bin", "tsc");
  try {
    await run(process.execPath, [bin, "-p", project], { cwd, maxBuffer: 16 * 1024 * 1024 });
    return "";
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    return `${stdout ?? ""}${stderr ?? ""}`;
  }
}

/** Runs `tasks` with at most `limit` at once: the machine's cores are shared. */
async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < tasks.length; index = next++) results[index] = await (tasks[index] as () => Promise<T>)();
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

interface Packed {
  readonly name: string;
  readonly filename: string;
  readonly files: readonly { readonly path: string }[];
}

let project = "";
let packed: Packed[] = [];
const outputs = new Map<string, string>();
let commonjsRun = { stdout: "", stderr: "" };
const CELLS = cells();

beforeAll(async () => {
  for (const name of PACKAGES) {
    if (!existsSync(path.join(ROOT, "packages", name, "dist", "index.d.ts"))) {
      throw new Error(`packages/${name}/dist is missing: run \`npx turbo run build\` from the repository root first.`);
    }
  }
  project = await mkdtemp(path.join(tmpdir(), "hookline-ts-compat-"));
  const packs = path.join(project, "packs");
  await mkdir(packs);
  const workspaces = PACKAGES.flatMap((name) => ["-w", `@hookline/${name}`]);
  const { stdout } = await run("npm", ["pack", ...workspaces, "--json", "--pack-destination", packs], { cwd: ROOT });
  packed = JSON.parse(stdout) as Packed[];
  const modules = path.join(project, "node_modules");
  for (const entry of packed) {
    const target = path.join(modules, entry.name);
    await mkdir(target, { recursive: true });
    await run("tar", ["xzf", path.join(packs, entry.filename), "-C", target, "--strip-components=1"]);
  }
  // Third-party run-time dependencies and @types/node come from the repository's install.
  const manifests = await Promise.all(
    PACKAGES.map(async (name) => JSON.parse(await readFile(path.join(modules, "@hookline", name, "package.json"), "utf8"))),
  );
  const external = new Set<string>(["@types/node", "undici-types"]);
  for (const manifest of manifests)
    for (const dependency of Object.keys(manifest.dependencies ?? {})) if (!dependency.startsWith("@hookline/")) external.add(dependency);
  for (const dependency of external) {
    await mkdir(path.dirname(path.join(modules, dependency)), { recursive: true });
    await symlink(path.join(ROOT, "node_modules", dependency), path.join(modules, dependency));
  }
  await mkdir(path.join(project, "src"));
  for (const file of await readdir(PROGRAMS))
    if (/\.c?ts$/.test(file)) await writeFile(path.join(project, "src", file), await readFile(path.join(PROGRAMS, file)));
  await writeFile(path.join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));

  const tasks = CELLS.map((cell, index) => async () => {
    const config = `tsconfig.${index}.json`;
    const compilerOptions = { strict: true, target: "ES2022", noEmit: true, ...cell.compilerOptions };
    await writeFile(path.join(project, config), JSON.stringify({ compilerOptions, files: cell.files.map((file) => `src/${file}`) }));
    outputs.set(cell.name, await tsc(cell.typescript, config, project));
  });
  tasks.push(async () => {
    // The CommonJS program, emitted by the newest TypeScript and run by this Node.
    const compilerOptions = {
      strict: true,
      target: "ES2022",
      module: "nodenext",
      moduleResolution: "nodenext",
      rootDir: "src",
      outDir: "out",
      types: ["node"],
    };
    await writeFile(path.join(project, "tsconfig.cjs.json"), JSON.stringify({ compilerOptions, files: ["src/commonjs.cts"] }));
    await tsc("newest", "tsconfig.cjs.json", project);
    commonjsRun = await run(process.execPath, [path.join(project, "out", "commonjs.cjs")], { cwd: project }).catch((error) => error);
  });
  await pool(tasks, 2);
}, 300_000);

afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
});

describe("consumer programs against the packed packages", () => {
  it.each(CELLS.map((cell) => [cell.name, cell] as const))("%s: exactly the marked lines fail", async (_name, cell) => {
    const actual = parseDiagnostics(outputs.get(cell.name) ?? "");
    const expected = await expectedDiagnostics(cell);
    const at = (diagnostic: Diagnostic) => `${diagnostic.file}:${diagnostic.line}`;
    expect(actual.map(at).sort(), outputs.get(cell.name)).toEqual([...new Set(expected.map(at))].sort());
    for (const mark of expected) {
      const messages = actual.filter((diagnostic) => at(diagnostic) === at(mark)).map((diagnostic) => diagnostic.text);
      expect(
        messages.some((message) => message.includes(mark.text)),
        `${at(mark)}: ${messages.join(" | ")}`,
      ).toBe(true);
    }
  });

  it("a CommonJS program require()s the ES module packages on Node >= 20.19 and verifies a signed event", () => {
    expect(commonjsRun.stdout.trim(), commonjsRun.stderr).toBe("200 ord_3kT9vQ2mNa");
  });
});

describe("packed files", () => {
  it("every sourceMappingURL in a packed file names a packed file", async () => {
    expect(packed.map((entry) => entry.name).sort()).toEqual(PACKAGES.map((name) => `@hookline/${name}`).sort());
    for (const entry of packed) {
      const base = path.join(project, "node_modules", entry.name);
      const files = new Set(entry.files.map((file) => file.path));
      for (const file of files) {
        if (!/\.(js|d\.ts)$/.test(file)) continue;
        const text = await readFile(path.join(base, file), "utf8");
        for (const [, url] of text.matchAll(/[#@] sourceMappingURL=(\S+)/g)) {
          const target = path.posix.join(path.posix.dirname(file), url as string);
          expect(files.has(target), `${entry.name}/${file} points at ${target}, which is not in the package`).toBe(true);
        }
      }
    }
  });
});
