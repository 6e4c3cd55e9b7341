/**
 * What emitters hand to `write/render.ts`: statement structures for ts-morph to print and prettier
 * to format, code spliced in verbatim, or declarations already in their final form.
 */

import type { StatementStructures } from "ts-morph";

/** prettier's line width for generated files; format-types.ts lays out lines for the same width. */
export const PRINT_WIDTH = 100;

/** Code spliced in verbatim: machine output (ajv) or data too large to route through the code writer. */
export interface Verbatim {
  readonly verbatim: string;
}

/** A statement printed exactly as prettier would format it (see emit/format-types.ts). */
export interface Formatted {
  readonly formatted: string;
}

export type RenderPiece = StatementStructures | Verbatim | Formatted;
