/**
 * Which versions of an event type a catalog value carries, and the validator of each. Generated
 * catalogs list every carried version under `versions`; a catalog value without it (written by hand,
 * or by a generator before versions were first-class) carries only its newest version.
 */

import type { CompiledValidator, EventCatalog, EventMapBase } from "./catalog.js";

/** A version that is not an integer, or that this SDK does not carry for the event type. */
export class UnknownEventVersionError extends Error {
  override readonly name = "UnknownEventVersionError";
  readonly code = "unknown_event_version";
  readonly eventType: string;
  /** The version asked for or received, as it came (it may not be a number at all). */
  readonly version: unknown;
  /** The versions of `eventType` this SDK carries, ascending. */
  readonly carriedVersions: readonly number[];

  constructor(eventType: string, version: unknown, carried: readonly number[]) {
    const type = JSON.stringify(eventType.length > 100 ? `${eventType.slice(0, 100)}…` : eventType);
    const list = carried.length === 0 ? "none" : carried.join(", ");
    const what = isVersionNumber(version)
      ? `Version ${version} of ${type} is not carried by this SDK`
      : `The version of ${type} must be a positive integer (got ${describe(version)})`;
    super(
      `${what}; it carries ${carried.length === 1 ? "version" : "versions"} ${list}. ` +
        'Use one of those, or regenerate the SDK so that it carries the version (hookline generate; see the output option "versions").',
    );
    this.eventType = eventType;
    this.version = version;
    this.carriedVersions = carried;
  }
}

/** Whether `value` can be a schema version: a positive safe integer. */
export function isVersionNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 1;
}

/** The versions of a known `type` the catalog carries, ascending. */
export function carriedVersions<M extends EventMapBase>(catalog: EventCatalog<M>, type: string): number[] {
  const listed = (catalog.versions as Partial<Record<string, object>> | undefined)?.[type];
  if (listed === undefined || !Object.hasOwn(catalog.versions, type)) {
    const info = (catalog.eventTypes as Partial<Record<string, { version: number }>>)[type];
    return info === undefined ? [] : [info.version];
  }
  return Object.keys(listed)
    .map(Number)
    .filter(isVersionNumber)
    .sort((a, b) => a - b);
}

/**
 * The version a message of a known `type` without a version is read as: the newest of the full
 * catalog the SDK was generated from (which a package generated for chosen versions may not carry).
 */
export function unversionedDefault<M extends EventMapBase>(catalog: EventCatalog<M>, type: string): number {
  const newest = (catalog.catalogNewest as Partial<Record<string, number>> | undefined)?.[type];
  if (newest !== undefined) return newest;
  return (catalog.eventTypes as Partial<Record<string, { version: number }>>)[type]?.version ?? 1;
}

/**
 * The validator of `version` of a known `type`.
 * @throws UnknownEventVersionError when `version` is not an integer or not carried.
 */
export function versionValidator<M extends EventMapBase>(catalog: EventCatalog<M>, type: string, version: unknown): CompiledValidator {
  if (isVersionNumber(version)) {
    const listed = (catalog.versions as Partial<Record<string, Partial<Record<string, { validator: CompiledValidator }>>>> | undefined)?.[
      type
    ];
    const entry = listed !== undefined && Object.hasOwn(listed, String(version)) ? listed[String(version)] : undefined;
    if (entry !== undefined) return entry.validator;
    // A catalog without `versions` carries its newest version only.
    const info = (catalog.eventTypes as Partial<Record<string, { version: number }>>)[type];
    const newest = (catalog.validators as Partial<Record<string, CompiledValidator>>)[type];
    if (listed === undefined && info?.version === version && newest !== undefined) return newest;
  }
  throw new UnknownEventVersionError(type, version, carriedVersions(catalog, type));
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
