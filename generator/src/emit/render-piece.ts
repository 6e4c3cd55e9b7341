/**
 * What emitters hand to `write/render.ts`: statements built with the TypeScript factory, which it
 * prints, or code spliced in verbatim.
 */

import type { ts } from "ts-morph";

/** Code spliced in verbatim: machine output (ajv) that is already stable and too large to rebuild as nodes. */
export interface Verbatim {
  readonly verbatim: string;
}

export type RenderPiece = ts.Statement | Verbatim;
