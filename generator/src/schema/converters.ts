/** Naming rules of converter modules and of the per-version payload types they are written against. */

/** The catalog's generated types module (`<catalog>/types.ts`), which converters import their types from. */
export const CATALOG_TYPES_FILE = "types.ts";

/** `<type>.v<n>.convert.ts`: the converter between versions n-1 and n of `<type>`. */
export const CONVERTER_FILE_PATTERN = /^(?<type>[a-zA-Z0-9_]+(?:\.[a-zA-Z0-9_]+)*)\.v(?<version>[1-9][0-9]*)\.convert\.ts$/;

export function converterFileName(type: string, version: number): string {
  return `${type}.v${version}.convert.ts`;
}

/**
 * The type name of one version's payload: the title with a `V<n>` suffix (`OrderShippedV2`). A
 * title that already ends in its own version's suffix (`OrderShippedV1` for v1) is not suffixed twice.
 */
export function versionedTypeName(title: string, version: number): string {
  const suffix = `V${version}`;
  const base =
    title.endsWith(suffix) && !/[0-9]/.test(title.charAt(title.length - suffix.length - 1)) ? title.slice(0, -suffix.length) : title;
  return `${base}${suffix}`;
}

/** The specifier a converter at `file` (catalog-relative) uses to import the catalog's types module. */
export function typesImportSpecifier(file: string): string {
  const depth = file.split("/").length - 1;
  return `${"../".repeat(depth)}types.js`;
}
