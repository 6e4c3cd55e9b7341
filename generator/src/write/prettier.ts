/**
 * The optional prettier post-step (`"format": "prettier"`). prettier is an optional peer
 * dependency: it is imported on first use, so the generator runs without it when nobody asks for
 * it. The options are fixed (a project's own prettier configuration is not read), so the output
 * depends only on the catalog and the prettier version.
 */

import type { Options } from "prettier";

/** How generated files are laid out: the TypeScript printer's layout as is, or that text formatted by prettier. */
export type Format = "none" | "prettier";
export const FORMATS: readonly Format[] = ["none", "prettier"];

const OPTIONS: Options = { parser: "typescript", printWidth: 100, trailingComma: "all", endOfLine: "lf" };

/** prettier was asked for and cannot be loaded. */
export class FormatterError extends Error {
  override readonly name = "FormatterError";
}

let prettier: Promise<typeof import("prettier")> | undefined;

export async function formatWithPrettier(text: string): Promise<string> {
  prettier ??= import("prettier").catch((error: unknown) => {
    prettier = undefined;
    throw new FormatterError(
      `"format": "prettier" needs the prettier package, which could not be loaded (${error instanceof Error ? error.message : String(error)}). Install it where the generator runs (npm install --save-dev prettier), or set "format": "none".`,
    );
  });
  return (await prettier).format(text, OPTIONS);
}
