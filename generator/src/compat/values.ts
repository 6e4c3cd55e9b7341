/** Small value helpers shared by the schema walk and its keyword modules. */

import { compareCodeUnits } from "../schema/compare.js";
import { pointerJoin } from "../schema/json-pointer.js";

/** Where a keyword change is reported: in the new schema, or in the old one when the new one dropped the keyword. */
export function keywordPointer(n: Record<string, unknown>, oldPtr: string, newPtr: string, keyword: string): string {
  return pointerJoin(n[keyword] === undefined ? oldPtr : newPtr, keyword);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** JSON text with object keys sorted, so equal values compare equal whatever their key order. */
export function canonical(value: unknown): string {
  if (value === undefined) return "undefined";
  return JSON.stringify(value, (_key, v: unknown) =>
    isObject(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort(compareCodeUnits)
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}

export function short(value: unknown): string {
  const text = canonical(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
