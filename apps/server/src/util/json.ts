/**
 * Raw JSON helpers for the ingest path: the payload is stored as the exact text the client sent,
 * sliced out of the request body, so numbers beyond 2^53, escapes and spacing survive unchanged on
 * every attempt. Only ever called on text that JSON.parse already accepted.
 */

/** The exact source text of the top-level member `name` (the last one, as JSON.parse keeps), or undefined. */
export function rawTopLevelMember(text: string, name: string): string | undefined {
  let i = skipSpace(text, 0);
  if (text[i] !== "{") return undefined;
  let found: string | undefined;
  i = skipSpace(text, i + 1);
  if (text[i] === "}") return undefined;
  for (;;) {
    const keyEnd = skipString(text, i);
    const key: unknown = JSON.parse(text.slice(i, keyEnd));
    const valueStart = skipSpace(text, skipSpace(text, keyEnd) + 1);
    const valueEnd = skipValue(text, valueStart);
    if (key === name) found = text.slice(valueStart, valueEnd);
    i = skipSpace(text, valueEnd);
    if (text[i] !== ",") return found;
    i = skipSpace(text, i + 1);
  }
}

function skipSpace(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    i++;
  }
  return i;
}

/** `i` at the opening quote → index after the closing quote. */
function skipString(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === 0x5c) j += 2;
    else if (c === 0x22) return j + 1;
    else j++;
  }
  throw new Error("unterminated JSON string");
}

function skipValue(text: string, i: number): number {
  const first = text[i];
  if (first === '"') return skipString(text, i);
  if (first === "{" || first === "[") {
    let depth = 0;
    let j = i;
    while (j < text.length) {
      const c = text[j];
      if (c === '"') {
        j = skipString(text, j);
        continue;
      }
      if (c === "{" || c === "[") depth++;
      else if (c === "}" || c === "]") {
        depth--;
        if (depth === 0) return j + 1;
      }
      j++;
    }
    throw new Error("unterminated JSON container");
  }
  let j = i;
  while (j < text.length && !",}] \t\n\r".includes(text[j] ?? "")) j++;
  return j;
}

/** JSON with object keys sorted at every level: equal values give equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  // One growing string rather than map + join per level: this runs on every ingest (the idempotency hash).
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i === 0 ? "" : ",") + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = "{";
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    out += `${i === 0 ? "" : ","}${JSON.stringify(key)}:${canonicalJson(record[key])}`;
  }
  return `${out}}`;
}
