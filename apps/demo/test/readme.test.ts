/**
 * The READMEs' TypeScript samples are part of the contract: each ```ts block of the root README and
 * of the server's manual is compiled, as its own module, with tsc under the repository's strict
 * settings against the real packages.
 */

import { execFile } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";

const exec = promisify(execFile);
const require = createRequire(import.meta.url);
const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const root = path.resolve(appDir, "..", "..");
const work = path.join(appDir, ".tmp", "readme");
const tsc = path.join(path.dirname(require.resolve("typescript/package.json")), "bin", "tsc");

afterAll(() => rm(work, { recursive: true, force: true }));

it("every ```ts sample in README.md and apps/server/README.md compiles", async () => {
  const readmes = await Promise.all(["README.md", "apps/server/README.md"].map((file) => readFile(path.join(root, file), "utf8")));
  const samplesOf = (text: string): string[] => [...text.matchAll(/^ *```ts\n([\s\S]*?)^ *```$/gm)].map((m) => m[1] ?? "");
  expect(samplesOf(readmes[1] ?? "").length).toBeGreaterThanOrEqual(1);
  const samples = readmes.flatMap(samplesOf);
  expect(samples.length).toBeGreaterThanOrEqual(5);

  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  const files = samples.map((_, i) => `sample-${i + 1}.ts`);
  await Promise.all(samples.map((code, i) => writeFile(path.join(work, files[i] as string), code)));
  await writeFile(path.join(work, "package.json"), JSON.stringify({ type: "module", private: true }));
  await writeFile(
    path.join(work, "tsconfig.json"),
    JSON.stringify({ extends: path.join(root, "tsconfig.base.json"), compilerOptions: { noEmit: true, lib: ["ES2023", "DOM"] }, files }),
  );
  const result = await exec(process.execPath, [tsc, "-p", path.join(work, "tsconfig.json")], { cwd: work }).catch(
    (error: { stdout: string }) => error,
  );
  expect(result.stdout).toBe("");
}, 120_000);
