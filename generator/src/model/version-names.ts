/**
 * The TypeScript names of an event type's versions. Each version's payload type is its schema
 * `title` plus `V<n>` (`OrderShipped` v2 → `OrderShippedV2`); a title that already ends in its own
 * `V<n>` (the catalog convention for older versions, `OrderShippedV1`) is not suffixed twice. The
 * plain name (`OrderShipped`) is the newest version's title without that suffix, declared as an
 * alias of the newest version.
 */

/** The title without a trailing `V<version>`. */
export function plainTypeName(title: string, version: number): string {
  const suffix = `V${version}`;
  return title.endsWith(suffix) && title.length > suffix.length ? title.slice(0, -suffix.length) : title;
}

/** The payload type name of one version: its plain name plus `V<version>`. */
export function versionTypeName(title: string, version: number): string {
  return `${plainTypeName(title, version)}V${version}`;
}
