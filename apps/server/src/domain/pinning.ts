/**
 * Version pinning, the same on every backend: which version of each event type an endpoint
 * receives, how pins start and how they follow the catalog, and which version a delivery is sent in.
 *
 * - An endpoint holds one pin per event type of the catalog. A new endpoint is pinned to the newest
 *   version of every type at that time (or to the versions it asked for), so a later version never
 *   changes what an existing endpoint receives.
 * - On every catalog load (start, reload) each endpoint gets a pin at the newest version for every
 *   type it has none for (a type added to the catalog, or endpoints from before pinning existed).
 *   Existing pins never move on their own.
 * - A delivery is sent in its endpoint's pin for the event's type; an event stored before versions
 *   were recorded was sent in the newest version of its type at the time (`backfillVersion`).
 */

/** What the rules need to know about the catalog (the server's CatalogView satisfies it). */
export interface CatalogVersions {
  /** Every event type. */
  readonly types: readonly string[];
  /** The carried versions of `type`, ascending. */
  versions(type: string): readonly number[];
}

export type Pins = Readonly<Record<string, number>>;

/** Each type's newest carried version: the pins a new endpoint starts with, and those a catalog load adds where missing. */
export function newestPins(catalog: CatalogVersions): Pins {
  const pins: Record<string, number> = {};
  for (const type of catalog.types) {
    const newest = catalog.versions(type).at(-1);
    if (newest !== undefined) pins[type] = newest;
  }
  return pins;
}

/** A new endpoint's pins: every type at its newest version, except those it asked for. */
export function initialPins(catalog: CatalogVersions, requested: Pins | undefined): Pins {
  return { ...newestPins(catalog), ...requested };
}

/** The pins a catalog load adds to an endpoint that already holds `existing`: the newest of each type it lacks. */
export function missingPins(existing: Pins, catalog: CatalogVersions): Pins {
  return Object.fromEntries(Object.entries(newestPins(catalog)).filter(([type]) => existing[type] === undefined));
}

export interface PinProblem {
  /** JSON pointer of the pin in the request body (`/pins/order.shipped`). */
  readonly path: string;
  readonly message: string;
  /** The versions of the type that exist (empty for an unknown type). */
  readonly versions: readonly number[];
}

/** Requested pins naming a type or a version the catalog does not carry, each with the versions that exist. */
export function pinProblems(requested: Pins, catalog: CatalogVersions): PinProblem[] {
  const problems: PinProblem[] = [];
  for (const [type, version] of Object.entries(requested)) {
    const path = `/pins/${type.replaceAll("~", "~0").replaceAll("/", "~1")}`;
    const versions = catalog.types.includes(type) ? catalog.versions(type) : [];
    if (versions.length === 0) {
      problems.push({ path, versions, message: `"${type}" is not a catalog event type (see GET /v1/event-types)` });
    } else if (!versions.includes(version)) {
      problems.push({ path, versions, message: `${type} has no version ${version}; versions that exist: ${versions.join(", ")}` });
    }
  }
  return problems;
}

/**
 * The version a delivery is sent in: the endpoint's pin for the event's type, else (a type the
 * catalog loaded at start did not have) the version the event was sent in.
 */
export function deliveryVersion(pin: number | null | undefined, eventVersion: number | null): number | null {
  return pin ?? eventVersion;
}

/**
 * The version of an event, or a delivery, stored before versions were recorded: the newest version
 * of its type, which is the only one the server carried then. Undefined for a type no longer in
 * the catalog (the row keeps no version, and is sent as stored).
 */
export function backfillVersion(type: string, catalog: CatalogVersions): number | undefined {
  return catalog.versions(type).at(-1);
}

/**
 * Whether a delivery must be converted before it is sent: only when both versions are known and
 * differ. An endpoint pinned to the event's own version receives the stored bytes unchanged.
 */
export function needsConversion(eventVersion: number | null, deliveryVersion: number | null): boolean {
  return eventVersion !== null && deliveryVersion !== null && eventVersion !== deliveryVersion;
}
