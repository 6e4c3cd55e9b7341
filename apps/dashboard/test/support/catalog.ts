import { schemas } from "@hookline/sender/schemas";

/** A valid payload for `type` (the catalog's first example), deep-copied. */
export function example(type: string): Record<string, unknown> {
  const info = (schemas as unknown as Record<string, { examples: readonly unknown[] } | undefined>)[type];
  const payload = info?.examples[0];
  if (payload === undefined) throw new Error(`no example for ${type}`);
  return structuredClone(payload) as Record<string, unknown>;
}
