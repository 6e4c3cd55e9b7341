/**
 * A model narrowed to chosen versions (an output's `versions` option): a receiver for a customer
 * pinned to `order.shipped` v1 carries only v1's type and validator for that type. Types the
 * selection does not name keep every version. The newest carried version of each type becomes the
 * `latest` (the one in `EventMap`), and the full catalog's newest is kept in `catalogNewest` where it
 * is not carried, so a delivery without a version is still read as the catalog's newest.
 */

import type { CatalogModel, EventModel } from "./catalog-model.js";

/** Event type → the versions to carry. */
export type VersionSelection = Readonly<Record<string, readonly number[]>>;

const selected = new WeakMap<CatalogModel, Map<string, CatalogModel>>();

/**
 * The model with only the selected versions of the named types; the same object for the same
 * selection (so files shared between targets are rendered once).
 * `fail` is called (and must throw) with a message naming the versions that exist, for a type or
 * version the catalog lacks.
 */
export function selectVersions(model: CatalogModel, selection: VersionSelection, fail: (message: string) => never): CatalogModel {
  const key = JSON.stringify(Object.entries(selection).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  let byKey = selected.get(model);
  if (byKey === undefined) {
    byKey = new Map();
    selected.set(model, byKey);
  }
  const cached = byKey.get(key);
  if (cached !== undefined) return cached;

  const versionsByType = new Map<string, number[]>();
  for (const event of model.events) versionsByType.set(event.type, [...(versionsByType.get(event.type) ?? []), event.version]);
  for (const [type, versions] of Object.entries(selection)) {
    const existing = versionsByType.get(type);
    if (existing === undefined) {
      const known = [...versionsByType.keys()].join(", ") || "(none)";
      fail(`event type "${type}" is not in the catalog; known types: ${known}`);
    }
    const missing = versions.filter((v) => !existing.includes(v));
    if (missing.length > 0) {
      fail(
        `"${type}" has no version ${missing.join(", ")}; the catalog has ${existing.length === 1 ? "version" : "versions"} ${existing.join(", ")}`,
      );
    }
  }

  const carried = model.events.filter((e) => selection[e.type]?.includes(e.version) ?? true);
  const newestCarried = new Map<string, number>();
  for (const e of carried) newestCarried.set(e.type, Math.max(newestCarried.get(e.type) ?? 0, e.version));
  const catalogNewest: Record<string, number> = {};
  for (const e of model.events) {
    if (e.latest && newestCarried.get(e.type) !== e.version) catalogNewest[e.type] = e.version;
  }
  const events = carried.map((e): EventModel => ({ ...e, latest: newestCarried.get(e.type) === e.version }));
  // A converter stays only when both versions of its pair are carried.
  const isCarried = (type: string, version: number): boolean => carried.some((e) => e.type === type && e.version === version);
  const converters = model.converters?.filter((c) => isCarried(c.type, c.version) && isCarried(c.type, c.from));
  const narrowed: CatalogModel = {
    ...model,
    events,
    ...(converters === undefined ? {} : { converters }),
    ...(Object.keys(catalogNewest).length === 0 ? {} : { catalogNewest }),
  };
  byKey.set(key, narrowed);
  return narrowed;
}
