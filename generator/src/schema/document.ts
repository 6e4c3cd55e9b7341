/** The documents handed from `load` to `model`: catalog files that passed the per-file checks. */

/** A JSON Schema document as parsed from a catalog file. */
export type SchemaObject = { readonly [keyword: string]: unknown };

/** A catalog file that passed the per-file checks well enough to be loaded into ajv. */
export interface CheckedDocument {
  readonly file: string;
  readonly id: string;
  readonly title: string;
  readonly schema: Record<string, unknown>;
  /** Present for files under `events/`. */
  readonly event?: { readonly type: string; readonly version: number; readonly domain: string } | undefined;
}
