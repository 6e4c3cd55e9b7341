/**
 * `--against`: the earlier catalog, as a folder on disk. A directory is used as it is; anything else
 * is a git ref, whose catalog (the same path relative to the repository root as `--catalog`) is
 * read from git's object store with `git ls-tree` and one `git cat-file --batch`, and written to a
 * temp folder that `cleanup` removes. Every failure is one line saying what to do instead.
 */

import { spawn } from "node:child_process";
import { mkdir, mkdtemp, realpath, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { CheckError } from "./check-error.js";

export interface AgainstCatalog {
  /** Folder holding the earlier catalog (`events/`, `defs/`). */
  readonly dir: string;
  /** How reports name it: the directory as given, or `<ref> (<short commit>)`. */
  readonly label: string;
  readonly cleanup: () => Promise<void>;
}

export async function materializeAgainst(catalogDir: string, against: string): Promise<AgainstCatalog> {
  if (against === "")
    throw new CheckError("--against is empty: pass a git ref (main, HEAD~1, v1.2.0) or a directory holding the earlier catalog.");
  if (await isDirectory(against)) return { dir: path.resolve(against), label: against, cleanup: async () => {} };
  if (!(await isDirectory(catalogDir)))
    throw new CheckError(`The catalog ${catalogDir} is not a directory: pass --catalog <dir> (the folder with events/ and defs/).`);
  if (against.startsWith("-")) throw new CheckError(`--against ${against} is neither a directory nor a git ref name.`);

  const top = await topLevel(catalogDir, against);
  const commit = await git(top, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${against}^{commit}`]).catch(() => {
    throw new CheckError(
      `--against ${against}: there is no directory of that name and no git ref of that name in ${top}; pass a branch, tag or commit (see git branch -a, git log --oneline) or fetch it first (git fetch origin ${against}).`,
    );
  });
  const sha = commit.toString("utf8").trim();
  const label = `${against} (${sha.slice(0, 12)})`;
  const relative = path
    .relative(await realpath(top), await realpath(catalogDir))
    .split(path.sep)
    .join("/");
  const listed = (await git(top, ["ls-tree", "-r", "-z", "--name-only", sha, "--", relative === "" ? "." : `${relative}/`]))
    .toString("utf8")
    .split("\0")
    .filter((name) => name !== "");
  if (listed.length === 0)
    throw new CheckError(
      `The catalog folder ${relative || "."}/ does not exist at ${label}; pass a ref where it existed, or --against a directory holding the earlier catalog.`,
    );
  const prefix = relative === "" ? "" : `${relative}/`;
  const files = listed
    .map((name) => name.slice(prefix.length))
    .filter((file) => file.endsWith(".json") && (file.startsWith("events/") || file.startsWith("defs/")));

  const dir = await mkdtemp(path.join(os.tmpdir(), "hookline-check-"));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    const contents = await catFiles(
      top,
      files.map((file) => `${sha}:${prefix}${file}`),
    );
    for (const [i, file] of files.entries()) {
      const target = path.join(dir, ...file.split("/"));
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, contents[i] as Buffer);
    }
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { dir, label, cleanup };
}

async function isDirectory(target: string): Promise<boolean> {
  try {
    return (await stat(target)).isDirectory();
  } catch {
    return false;
  }
}

async function topLevel(catalogDir: string, against: string): Promise<string> {
  try {
    return (await git(catalogDir, ["rev-parse", "--show-toplevel"])).toString("utf8").trim();
  } catch (error) {
    if (error instanceof CheckError) throw error;
    throw new CheckError(
      `--against ${against}: there is no directory of that name, and ${catalogDir} is not inside a git repository to read a ref from; pass a directory holding the earlier catalog, or run check in a git checkout.`,
    );
  }
}

/** Runs git in `cwd`; resolves with stdout, rejects with its stderr (or a CheckError when git is missing). */
function git(cwd: string, args: readonly string[], input?: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, { cwd, stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "ENOENT"
          ? new CheckError("--against needs git to read a ref, and git is not installed (or not on PATH); install git or pass a directory.")
          : error,
      ),
    );
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`git ${args[0]} failed: ${Buffer.concat(err).toString("utf8").trim()}`));
    });
    if (input !== undefined) {
      // git exiting early (a bad object name) closes the pipe; its exit status reports that.
      child.stdin?.on("error", () => {});
      child.stdin?.end(input);
    }
  });
}

/** The contents of `<commit>:<path>` objects, in order, read by one `git cat-file --batch`. */
async function catFiles(cwd: string, objects: readonly string[]): Promise<Buffer[]> {
  if (objects.length === 0) return [];
  const output = await git(cwd, ["cat-file", "--batch"], objects.map((o) => `${o}\n`).join(""));
  const contents: Buffer[] = [];
  let at = 0;
  for (const object of objects) {
    const headerEnd = output.indexOf(10, at);
    const header = output.subarray(at, headerEnd).toString("utf8");
    const size = Number(/^\S+ blob (\d+)$/.exec(header)?.[1]);
    if (!Number.isInteger(size)) throw new Error(`git cat-file could not read ${object}: ${header}`);
    contents.push(output.subarray(headerEnd + 1, headerEnd + 1 + size));
    at = headerEnd + 1 + size + 1; // the content is followed by a newline
  }
  return contents;
}
