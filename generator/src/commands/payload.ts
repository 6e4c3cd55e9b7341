/**
 * A valid payload for an event: the catalog's example, or one generated from the schema by
 * json-schema-faker (formats, patterns, enums, oneOf branches; recursion bounded by depth), then
 * `--set` overrides, then validation against the event's own schema. Nothing is sent unless it passes.
 */

import { readFile } from "node:fs/promises";
import { PayloadValidationError, validatePayload } from "@hookline/core";
import { generate, type JsonSchema } from "json-schema-faker";
import type { EventModel } from "../model/catalog-model.js";
import type { LocalCatalog } from "./catalog-source.js";
import { CliError, EXIT } from "./output.js";
import { applySet } from "./set-path.js";

export interface PayloadOptions {
  /** Generate from the schema even when the catalog has an example. */
  readonly generate?: boolean | undefined;
  readonly seed?: number | undefined;
  /** `path=value` overrides: JSON pointers (`/amount/value=5`) or dotted paths (`amount.value=5`). */
  readonly set?: readonly string[] | undefined;
  /** A JSON file holding the whole payload (overrides still apply). */
  readonly file?: string | undefined;
}

/** How many seeds to try before giving up: generators miss rare combinations (pattern and length). */
const ATTEMPTS = 20;
/** How often a `$ref` may recur inside itself (a tree of categories, a linked list). */
const REF_DEPTH = 3;
/** Nesting bound for any schema: past it json-schema-faker writes placeholder values, so keep it above real catalogs' depth. */
const MAX_DEPTH = 16;

/** Generates a value for `schema` that `isValid` accepts; deterministic for a seed. */
export async function generateValid(
  schema: unknown,
  isValid: (value: unknown) => boolean,
  seed = 1,
): Promise<{ value: unknown; seed: number } | undefined> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const value = await generate(schema as JsonSchema, {
      seed: seed + attempt,
      maxDepth: MAX_DEPTH,
      refDepthMax: REF_DEPTH,
      alwaysFakeOptionals: attempt === 0,
      optionalsProbability: 0.5,
      maxDefaultItems: 2,
      useExamplesValue: true,
      failOnInvalidTypes: false,
    }).catch(() => undefined);
    if (value !== undefined && isValid(value)) return { value, seed: seed + attempt };
  }
  return undefined;
}

/** The payload `trigger` sends and `fixtures` prints, already validated. */
export async function payloadFor(catalog: LocalCatalog, event: EventModel, options: PayloadOptions): Promise<unknown> {
  let payload = await basePayload(catalog, event, options);
  for (const assignment of options.set ?? []) payload = applySet(payload, assignment);
  checkPayload(catalog, event, payload, options);
  return payload;
}

async function basePayload(catalog: LocalCatalog, event: EventModel, options: PayloadOptions): Promise<unknown> {
  if (options.file !== undefined) return readPayloadFile(options.file);
  if (options.generate !== true && event.examples.length > 0) return structuredClone(event.examples[0]);
  const validate = catalog.validator(event);
  const generated = await generateValid(event.bundledSchema, (v) => validate(v), options.seed ?? 1);
  if (generated === undefined)
    throw new CliError(
      `Could not generate a valid ${event.type} v${event.version} payload from ${event.file} in ${ATTEMPTS} tries; add an "examples" entry to the schema, or pass --file payload.json.`,
      EXIT.failed,
    );
  return generated.value;
}

async function readPayloadFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new CliError(`Cannot read --file ${file} (${(error as NodeJS.ErrnoException).code ?? "error"}); pass a JSON file.`, EXIT.usage);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(`--file ${file} is not JSON (${(error as Error).message}); fix the file.`, EXIT.usage);
  }
}

/** Validates against the event's own schema; a failure lists the schema's errors and nothing is sent. */
export function checkPayload(catalog: LocalCatalog, event: EventModel, payload: unknown, options: PayloadOptions = {}): void {
  try {
    validatePayload(catalog.runtime([event]), event.type, payload);
  } catch (error) {
    if (!(error instanceof PayloadValidationError)) throw error;
    const source = options.file !== undefined ? "the --file" : (options.set?.length ?? 0) > 0 ? "the --set values" : "the payload";
    throw new CliError(
      `${error.message} (schema ${event.file}). Nothing was sent: fix ${source}, or see a valid payload with \`hookline fixtures ${event.type}\`.`,
      EXIT.usage,
    );
  }
}
