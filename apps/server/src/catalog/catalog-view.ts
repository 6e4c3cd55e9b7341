/**
 * The server's one view of the event catalog: which types and versions exist, their validators,
 * schemas and metadata, and conversion between versions. Routes, fan-out and the delivery worker
 * ask this view, never the generated catalog value, so a catalog reload swaps one object.
 *
 * It reads the generated `catalog` and `schemas` values of an SDK (by default `@hookline/sender`).
 * Catalogs generated before versions were first-class carry only the newest version of each type
 * (`eventTypes`/`validators`); the view then reports that one version.
 */
import type { CompiledValidator, EventTypeInfo, EventTypeSchema } from "@hookline/core";
import { issuesOf } from "@hookline/core/internal";

/** One step's functions of a converter module `<type>.v<n>.convert.ts`, keyed by `n`. */
export interface ConverterModule {
  /** Version `n` payload → version `n - 1`. */
  readonly down: (payload: never) => unknown;
  /** Version `n - 1` payload → version `n`, when the module provides it. */
  readonly up?: ((payload: never) => unknown) | undefined;
}

/** One carried version of one event type. */
export interface CarriedVersion {
  readonly info: EventTypeInfo;
  readonly validator: CompiledValidator;
}

/** The generated values the view reads, typed loosely: shapes differ between generator versions. */
export interface GeneratedCatalog {
  readonly eventTypes: { readonly [type: string]: EventTypeInfo };
  readonly validators: { readonly [type: string]: CompiledValidator };
  /** Every carried version, by type then version number. */
  readonly versions?: { readonly [type: string]: { readonly [version: string]: CarriedVersion } };
  /** Converter modules, by type then the higher version of the pair. */
  readonly converters?: { readonly [type: string]: { readonly [version: string]: ConverterModule } };
}

export interface GeneratedSchemas {
  readonly [type: string]: EventTypeSchema;
}

/** Per-version documents, when the generated `schemas` carries them (`versions[type][version]`). */
interface VersionedSchemas {
  readonly versions?: { readonly [type: string]: { readonly [version: string]: EventTypeSchema } };
}

export type ConversionResult =
  | { readonly ok: true; readonly payload: unknown }
  | {
      readonly ok: false;
      /** One line for the attempt record: which step failed and why. */
      readonly reason: string;
    };

export interface CatalogView {
  /** Every event type, sorted. */
  readonly types: readonly string[];
  has(type: string): boolean;
  /** The carried versions of `type`, ascending; empty for an unknown type. */
  versions(type: string): readonly number[];
  /** The newest carried version of `type`. */
  latest(type: string): number | undefined;
  info(type: string, version?: number): EventTypeInfo | undefined;
  validator(type: string, version?: number): CompiledValidator | undefined;
  schema(type: string, version?: number): EventTypeSchema | undefined;
  /**
   * Converts a payload of `type` from version `from` to version `to`, one adjacent step at a time
   * (`down` of `<type>.v<n>.convert.ts` for n → n-1, `up` for n-1 → n), and validates the result
   * against the target version's schema. Never throws: a missing converter, a converter that throws
   * and an invalid result are all a `reason`.
   */
  convert(type: string, from: number, to: number, payload: unknown): ConversionResult;
}

/** Builds the view over generated `catalog` and `schemas` values. */
export function catalogView(catalog: GeneratedCatalog, schemas: GeneratedSchemas): CatalogView {
  const versionsByType = new Map<string, Map<number, CarriedVersion>>();
  for (const type of Object.keys(catalog.eventTypes)) {
    const carried = new Map<number, CarriedVersion>();
    const listed = catalog.versions?.[type];
    if (listed !== undefined) {
      for (const [key, entry] of Object.entries(listed)) carried.set(Number(key), entry);
    } else {
      const info = catalog.eventTypes[type];
      const validator = catalog.validators[type];
      if (info !== undefined && validator !== undefined) carried.set(info.version, { info, validator });
    }
    versionsByType.set(type, new Map([...carried].sort((a, b) => a[0] - b[0])));
  }
  const types = [...versionsByType.keys()].sort();
  const versionedSchemas = (schemas as VersionedSchemas).versions;

  const versions = (type: string): readonly number[] => [...(versionsByType.get(type)?.keys() ?? [])];
  const latest = (type: string): number | undefined => versions(type).at(-1);
  const entry = (type: string, version?: number): CarriedVersion | undefined => {
    const byVersion = versionsByType.get(type);
    const wanted = version ?? latest(type);
    return wanted === undefined ? undefined : byVersion?.get(wanted);
  };

  return {
    types,
    has: (type) => versionsByType.has(type),
    versions,
    latest,
    info: (type, version) => entry(type, version)?.info,
    validator: (type, version) => entry(type, version)?.validator,
    schema(type, version) {
      const wanted = version ?? latest(type);
      if (wanted === undefined) return undefined;
      const own = versionedSchemas?.[type]?.[String(wanted)];
      if (own !== undefined) return own;
      return wanted === latest(type) ? schemas[type] : undefined;
    },
    convert(type, from, to, payload) {
      const target = entry(type, to);
      if (target === undefined) return { ok: false, reason: `${type} has no version ${to} in the loaded catalog` };
      if (entry(type, from) === undefined) return { ok: false, reason: `${type} has no version ${from} in the loaded catalog` };
      let current = payload;
      for (let version = from; version !== to; ) {
        const next = to < version ? version - 1 : version + 1;
        const module = catalog.converters?.[type]?.[String(Math.max(version, next))];
        const step = to < version ? module?.down : module?.up;
        const file = `${type}.v${Math.max(version, next)}.convert.ts`;
        if (step === undefined) {
          const fn = to < version ? "down" : "up";
          return { ok: false, reason: `no converter from ${type} v${version} to v${next}: ${file} does not export ${fn}()` };
        }
        try {
          current = step(current as never);
        } catch (error) {
          return { ok: false, reason: `converter ${file} (v${version} → v${next}) threw: ${thrownText(error).slice(0, 500)}` };
        }
        version = next;
      }
      if (!target.validator(current)) {
        const issues = issuesOf(target.validator, current)
          .slice(0, 5)
          .map((issue) => `${issue.path || "/"} ${issue.message}`)
          .join("; ");
        return { ok: false, reason: `converting ${type} v${from} to v${to} gave a payload that v${to} rejects: ${issues}` };
      }
      return { ok: true, payload: current };
    },
  };
}

/** What a converter threw, as text, whatever it threw (an object without toString, a throwing getter). */
function thrownText(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return "a value that cannot be shown as text (throw an Error with a message)";
  }
}
