import { spawn } from "node:child_process";

export interface CommandResult {
  readonly code: number | null;
  readonly output: string;
  readonly elapsedMs: number;
}

/** Runs a command to completion, capturing stdout and stderr together, timing it from spawn to exit. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, output, elapsedMs: performance.now() - start }));
  });
}

/** Removes ANSI colour codes so tool output can be parsed. */
export function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "");
}
