/**
 * `--set path=value`: the path is a JSON pointer (`/items/0/sku`) or a dotted path (`items.0.sku`);
 * the value is JSON when it parses as JSON (`12`, `true`, `null`, `{"a":1}`, `"12"` for a string),
 * else the text itself. Missing parents are created as objects.
 */

import { CliError, EXIT } from "./output.js";

export function applySet(payload: unknown, assignment: string): unknown {
  const eq = assignment.indexOf("=");
  if (eq <= 0)
    throw new CliError(
      `--set ${assignment} is not path=value; write e.g. --set amount.value=1250 or --set /customer/email=a@b.co.`,
      EXIT.usage,
    );
  const segments = parsePath(assignment.slice(0, eq));
  const value = parseValue(assignment.slice(eq + 1));
  if (segments.length === 0) return value;
  const root = structuredClone(payload);
  let parent: unknown = root;
  for (const [i, segment] of segments.entries()) {
    const last = i === segments.length - 1;
    if (typeof parent !== "object" || parent === null)
      throw new CliError(
        `--set ${assignment}: ${segments.slice(0, i).join(".") || "the payload"} is not an object or array, so it has no "${segment}".`,
        EXIT.usage,
      );
    if (Array.isArray(parent)) {
      const index = segment === "-" ? parent.length : Number(segment);
      if (!Number.isInteger(index) || index < 0 || index > parent.length)
        throw new CliError(
          `--set ${assignment}: "${segment}" is not an index of the ${parent.length}-item array at ${segments.slice(0, i).join(".") || "the root"} (0…${parent.length}, or - to append).`,
          EXIT.usage,
        );
      if (last) parent[index] = value;
      else parent = parent[index] ??= {};
    } else {
      const record = parent as Record<string, unknown>;
      if (last) record[segment] = value;
      else {
        if (record[segment] === undefined) record[segment] = {};
        parent = record[segment];
      }
    }
  }
  return root;
}

function parsePath(path: string): string[] {
  if (path.startsWith("/"))
    return path
      .slice(1)
      .split("/")
      .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
  return path.split(".");
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
