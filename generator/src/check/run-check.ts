/** The `hookline check` command behind commander: runs the check, prints text or JSON, and maps the outcome to an exit status. */

import { type CheckOptions, checkCatalog } from "./check-catalog.js";
import { CheckError } from "./check-error.js";
import { formatCheckReport } from "./report-text.js";

export interface CheckIo {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  readonly color?: boolean;
}

/** Exit status: 0 when nothing breaks under the mode, 1 on a breaking change, 2 when the check could not run. */
export async function runCheck(options: CheckOptions & { readonly json?: boolean | undefined }, io: CheckIo): Promise<number> {
  try {
    const report = await checkCatalog(options);
    io.out(options.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatCheckReport(report, { color: io.color === true }));
    return report.breaking ? 1 : 0;
  } catch (error) {
    if (!(error instanceof CheckError)) throw error;
    io.err(`hookline check: ${error.message}\n`);
    return 2;
  }
}

/** Colour only for a terminal, and never when NO_COLOR is set to anything (https://no-color.org). */
export function useColour(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && (env.NO_COLOR ?? "") === "";
}
