/**
 * The rules of a catalog reload that depend on data, not on loading modules: what a new catalog
 * adds and removes compared with the one serving, and whether it removes a type or version that
 * endpoints are still pinned to (such a reload is refused, the previous catalog keeps serving).
 */

/** How many endpoints are pinned to one version of one type (the store's `pinnedVersionCounts`). */
export interface PinnedVersionCount {
  readonly type: string;
  readonly version: number;
  readonly endpoints: number;
}

/** The part of a catalog these rules read (`CatalogView` has it). */
export interface CarriedVersions {
  /** Every event type, sorted. */
  readonly types: readonly string[];
  /** The carried versions of `type`, ascending; empty for an unknown type. */
  versions(type: string): readonly number[];
}

export interface TypeVersion {
  readonly type: string;
  readonly version: number;
}

/**
 * One reason a catalog is refused. `code` is stable: `catalog_unreadable`, `module_failed`,
 * `bad_export`, `invalid_example`, `missing_schema`, `missing_converter`, `pinned_version_removed`.
 */
export interface CatalogProblem {
  readonly code: string;
  readonly message: string;
  /** The module file the problem is in, when it is about one. */
  readonly file?: string;
  readonly type?: string;
  readonly version?: number;
}

/** Every (type, version) the catalog carries, in type then version order. */
export function carriedVersions(catalog: CarriedVersions): TypeVersion[] {
  return catalog.types.flatMap((type) => catalog.versions(type).map((version) => ({ type, version })));
}

/** What `next` carries that `previous` does not (`added`), and the reverse (`removed`). */
export function catalogChanges(previous: CarriedVersions, next: CarriedVersions): { added: TypeVersion[]; removed: TypeVersion[] } {
  const key = (tv: TypeVersion): string => `${tv.type}\u0000${tv.version}`;
  const before = carriedVersions(previous);
  const after = carriedVersions(next);
  const beforeKeys = new Set(before.map(key));
  const afterKeys = new Set(after.map(key));
  return { added: after.filter((tv) => !beforeKeys.has(key(tv))), removed: before.filter((tv) => !afterKeys.has(key(tv))) };
}

/**
 * One problem per pinned (type, version) that `next` no longer carries. Counts of zero endpoints
 * are not pins. The message says how to get out: keep the version (deprecate it instead), or move
 * the endpoints to another version first.
 */
export function removedPinnedVersions(next: CarriedVersions, pins: readonly PinnedVersionCount[]): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const sorted = [...pins].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : a.version - b.version));
  for (const pin of sorted) {
    if (pin.endpoints <= 0) continue;
    const carried = next.versions(pin.type);
    if (carried.includes(pin.version)) continue;
    const endpoints = pin.endpoints === 1 ? "1 endpoint is" : `${pin.endpoints} endpoints are`;
    const gone =
      carried.length === 0 ? `the new catalog has no event type ${pin.type}` : `the new catalog carries ${pin.type} ${list(carried)} only`;
    const target = carried.at(-1);
    const repin =
      target === undefined
        ? `move them off ${pin.type} first (PATCH /v1/endpoints/{id} with other eventTypes)`
        : `re-pin them first (PATCH /v1/endpoints/{id} with {"pins": {"${pin.type}": ${target}}})`;
    problems.push({
      code: "pinned_version_removed",
      type: pin.type,
      version: pin.version,
      message:
        `${endpoints} pinned to ${pin.type} v${pin.version}, but ${gone}. Keep the version's schema file in the catalog ` +
        `(mark it deprecated instead of removing it), or ${repin}; ` +
        `GET /v1/event-types/${pin.type}/versions/${pin.version}/subscribers lists them.`,
    });
  }
  return problems;
}

function list(versions: readonly number[]): string {
  return versions.map((v) => `v${v}`).join(", ");
}
