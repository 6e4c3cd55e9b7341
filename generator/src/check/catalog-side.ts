/**
 * One side of a comparison: the catalog's event files keyed by (type, version) and its shared
 * definitions keyed by `$id`, read as plain JSON. Only what pairing needs is checked here (each
 * event names its type and version); the rest is `hookline validate`'s job, so a catalog from an
 * older commit, written under older conventions, can still be compared.
 */

import { readCatalog } from "../load/read-catalog.js";
import { formatIssue } from "../schema/issues.js";
import { CheckError } from "./check-error.js";

export interface SideDocument {
  /** Catalog-relative path, `/`-separated. */
  readonly file: string;
  /** The `$id` that `$ref`s resolve against (a stand-in URI when the file has none). */
  readonly id: string;
  readonly schema: Record<string, unknown>;
}

export interface SideEvent extends SideDocument {
  readonly type: string;
  readonly version: number;
  readonly deprecated: boolean;
}

export interface CatalogSide {
  readonly dir: string;
  /** Keyed by `eventKey(type, version)`. */
  readonly events: ReadonlyMap<string, SideEvent>;
  /** Shared definitions (files under `defs/`), keyed by `$id`. */
  readonly definitions: ReadonlyMap<string, SideDocument>;
  /** Every document, keyed by `$id`. */
  readonly documents: ReadonlyMap<string, SideDocument>;
}

export const eventKey = (type: string, version: number): string => `${type}@${version}`;

const FILE_NAME = /(?:^|\/)([^/]+)\.v(\d+)\.json$/;

export async function readSide(dir: string, role: string): Promise<CatalogSide> {
  const read = await readCatalog(dir);
  const problems = read.issues.map(formatIssue);
  const events = new Map<string, SideEvent>();
  const definitions = new Map<string, SideDocument>();
  const documents = new Map<string, SideDocument>();
  for (const { file, json } of read.files) {
    if (typeof json !== "object" || json === null || Array.isArray(json)) {
      problems.push(`- ${file}: is not a JSON object`);
      continue;
    }
    const schema = json as Record<string, unknown>;
    const id = typeof schema.$id === "string" && URL.canParse(schema.$id) ? schema.$id : `hookline-catalog:/${file}`;
    const doc: SideDocument = { file, id, schema };
    documents.set(id, doc);
    if (file.startsWith("defs/")) {
      definitions.set(id, doc);
      continue;
    }
    const named = eventName(file, schema);
    if (named === undefined) {
      problems.push(`- ${file}: names no event type and version (x-hookline, or a <type>.v<N>.json file name)`);
      continue;
    }
    const key = eventKey(named.type, named.version);
    const first = events.get(key);
    if (first !== undefined) problems.push(`- ${file}: defines ${named.type} v${named.version} again (also ${first.file})`);
    else events.set(key, { ...doc, ...named, deprecated: schema.deprecated === true });
  }
  if (problems.length > 0)
    throw new CheckError(
      `The ${role} catalog at ${dir} cannot be compared:\n${problems.join("\n")}\nfix: run hookline validate --catalog ${dir}`,
    );
  return { dir, events, definitions, documents };
}

/** The event's type and version from `x-hookline`, else from the file name. */
function eventName(file: string, schema: Record<string, unknown>): { type: string; version: number } | undefined {
  const annotation = schema["x-hookline"] as { type?: unknown; version?: unknown } | undefined;
  if (typeof annotation?.type === "string" && Number.isInteger(annotation.version))
    return { type: annotation.type, version: annotation.version as number };
  const match = FILE_NAME.exec(file);
  return match === null ? undefined : { type: match[1] as string, version: Number(match[2]) };
}
