/**
 * Conversion of a payload between versions of its event type, through the converter modules the
 * catalog holds next to its schemas (`<type>.v<n>.convert.ts`: `down` turns a version-n payload into
 * version n-1, the optional `up` the reverse). The generated catalog value carries those modules;
 * this function is generic over any catalog shaped like `ConvertibleCatalog`.
 */

import type { CompiledValidator, EventConverter } from "./catalog.js";
import { issuesOf } from "./validation.js";

/** Converter modules by event type, then by the higher version of the pair they convert between. */
export type CatalogConverters = { readonly [type: string]: { readonly [version: string]: EventConverter } };

/**
 * What `convertPayload` reads from a generated catalog value: its converters, and a validator for
 * the target version (`versions[type][version].validator`, or `validators[type]` when the target is
 * the version `eventTypes[type]` describes).
 */
export interface ConvertibleCatalog {
  readonly eventTypes: { readonly [type: string]: { readonly version: number } };
  readonly validators: { readonly [type: string]: CompiledValidator };
  readonly versions?: { readonly [type: string]: { readonly [version: string]: { readonly validator: CompiledValidator } } };
  readonly converters?: CatalogConverters;
}

/** A conversion that could not be done: which one, which step (converter file) failed, and why. */
export class ConversionError extends Error {
  override readonly name = "ConversionError";
  readonly code = "conversion_failed";
  readonly eventType: string;
  readonly from: number;
  readonly to: number;
  /** The converter module of the failing step, e.g. `order.shipped.v2.convert.ts`; undefined when no step failed. */
  readonly file: string | undefined;

  constructor(eventType: string, from: number, to: number, file: string | undefined, message: string, cause?: unknown) {
    super(`Cannot convert ${eventType} v${from} to v${to}: ${message}`, cause === undefined ? undefined : { cause });
    this.eventType = eventType;
    this.from = from;
    this.to = to;
    this.file = file;
  }
}

/** The converter module file name of the step between `higher - 1` and `higher`. */
export function converterFile(type: string, higher: number): string {
  return `${type}.v${higher}.convert.ts`;
}

/**
 * Converts `payload` of `type` from version `from` to version `to`, one adjacent step at a time
 * (`down` of `<type>.v<n>.convert.ts` for n → n-1, `up` for n-1 → n), then validates the result
 * with the target version's validator. Same semantics as the Hookline server's conversion.
 * @throws ConversionError naming the failing step's file: no converter for a step, a converter that
 * throws (its error is the `cause`), no validator for the target version, or a result it rejects.
 */
export function convertPayload(catalog: ConvertibleCatalog, type: string, from: number, to: number, payload: unknown): unknown {
  const validator = targetValidator(catalog, type, to);
  if (validator === undefined)
    throw new ConversionError(
      type,
      from,
      to,
      undefined,
      `the catalog carries no validator for ${type} v${to}; regenerate the SDK from a catalog that has that version`,
    );
  let current = payload;
  let lastFile: string | undefined;
  for (let version = from; version !== to; ) {
    const next = to < version ? version - 1 : version + 1;
    const higher = Math.max(version, next);
    const file = converterFile(type, higher);
    const direction = to < version ? "down" : "up";
    const step = catalog.converters?.[type]?.[String(higher)]?.[direction];
    if (step === undefined)
      throw new ConversionError(type, from, to, file, `no step from v${version} to v${next}: ${file} does not provide ${direction}()`);
    try {
      current = step(current as never);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConversionError(type, from, to, file, `${file} ${direction}() (v${version} → v${next}) threw: ${reason}`, error);
    }
    lastFile = file;
    version = next;
  }
  if (!validator(current)) {
    const issues = issuesOf(validator, current);
    const list = issues
      .slice(0, 5)
      .map((issue) => `${issue.path || "/"} ${issue.message}`)
      .join("; ");
    throw new ConversionError(type, from, to, lastFile, `the result is not a valid ${type} v${to} payload: ${list}`, issues);
  }
  return current;
}

function targetValidator(catalog: ConvertibleCatalog, type: string, version: number): CompiledValidator | undefined {
  const carried = catalog.versions?.[type]?.[String(version)]?.validator;
  if (carried !== undefined) return carried;
  return catalog.eventTypes[type]?.version === version ? catalog.validators[type] : undefined;
}
