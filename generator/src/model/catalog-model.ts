/**
 * The intermediate model: plain, readonly, sorted data that every emitter reads.
 *
 * Loading produces it from the catalog files once; emitters never touch the file system or the raw
 * catalog again. Order is fixed here (events by type then version, definitions by title) so that
 * output never depends on directory order.
 */

import type { SchemaObject } from "../schema/document.js";
import type { TypeNode } from "./type-ir.js";

/** One event type at one version: one file under `events/<domain>/`. */
export interface EventModel {
  /** Standard Webhooks event type, e.g. `order.created`. */
  readonly type: string;
  readonly version: number;
  /** Folder under `events/`, e.g. `orders`. */
  readonly domain: string;
  /** PascalCase name of this version's payload type: the schema's `title` plus `V<version>`, e.g. `OrderShippedV2`. */
  readonly typeName: string;
  /** The plain name, `OrderShipped`: for the newest version, an alias of `typeName`. */
  readonly plainName: string;
  readonly description: string;
  /** `deprecated: true` at the schema root. */
  readonly deprecated: boolean;
  /** True for the highest version of its type the model carries: the one in `EventMap`. */
  readonly latest: boolean;
  /** Catalog-relative path with `/` separators, e.g. `events/orders/order.created.v1.json`. */
  readonly file: string;
  readonly id: string;
  /** The schema as written, references unresolved. */
  readonly schema: SchemaObject;
  /** The schema made self-contained: every `$ref` points into its own `$defs`. */
  readonly bundledSchema: SchemaObject;
  readonly examples: readonly unknown[];
  /** The payload's TypeScript shape. */
  readonly payload: TypeNode;
}

/** A named shared type: a definitions file, or a `$defs` entry inside one. */
export interface DefinitionModel {
  readonly typeName: string;
  readonly description: string | undefined;
  /** Catalog-relative path of the file that holds it. */
  readonly file: string;
  /** Absolute URI (`$id` plus fragment) that `$ref`s resolve to. */
  readonly uri: string;
  readonly type: TypeNode;
}

/**
 * A converter module `events/<domain>/<type>.v<n>.convert.ts`, checked at load: it imports only
 * types from the catalog's types module and exports `down` (and maybe `up`), nothing else.
 */
export interface ConverterModel {
  readonly type: string;
  /** The higher version of the pair: `down` converts a payload of this version to `from`. */
  readonly version: number;
  /** The lower version of the pair (the previous version in the catalog). */
  readonly from: number;
  /** Catalog-relative path, e.g. `events/orders/order.shipped.v2.convert.ts`. */
  readonly file: string;
  /** The module's source text, as written. */
  readonly text: string;
  /** Whether the module exports `up` as well. */
  readonly hasUp: boolean;
}

export interface CatalogModel {
  /** Every event file, sorted by type then version. */
  readonly events: readonly EventModel[];
  /** Shared definitions, sorted by type name. */
  readonly definitions: readonly DefinitionModel[];
  /** Every catalog document by `$id`, for compiling validators. */
  readonly documents: ReadonlyMap<string, SchemaObject>;
  /** Converter modules, sorted by type then version; absent in a model built by hand without them. */
  readonly converters?: readonly ConverterModel[];
  /**
   * Set on a model narrowed to chosen versions (an output's `versions` option): event type → the
   * newest version of the full catalog, for the types whose newest version this model does not carry.
   */
  readonly catalogNewest?: Readonly<Record<string, number>>;
}
