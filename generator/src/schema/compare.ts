/**
 * The one ordering of strings in the generator: by UTF-16 code unit, as `<` compares them. Unlike
 * `localeCompare` it never depends on the machine's locale or ICU version, so sorted output is the
 * same everywhere.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
