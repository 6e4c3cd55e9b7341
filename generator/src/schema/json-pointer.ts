/** RFC 6901 JSON pointers: build them for messages and follow them for `$ref` fragments. */

export function pointerJoin(pointer: string, ...tokens: ReadonlyArray<string | number>): string {
  let joined = pointer;
  for (const token of tokens) {
    const text = String(token);
    // Most tokens need no escaping; pointers are built for every subschema a check visits.
    joined += `/${text.includes("~") || text.includes("/") ? text.replace(/~/g, "~0").replace(/\//g, "~1") : text}`;
  }
  return joined;
}

/** The value at `pointer` inside `root`, or `undefined` when the path does not exist. */
export function pointerGet(root: unknown, pointer: string): unknown {
  if (pointer === "") return root;
  if (!pointer.startsWith("/")) return undefined;
  let current: unknown = root;
  for (const raw of pointer.slice(1).split("/")) {
    const token = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (current === null || typeof current !== "object") return undefined;
    if (!Object.hasOwn(current, token)) return undefined;
    current = (current as Record<string, unknown>)[token];
  }
  return current;
}
