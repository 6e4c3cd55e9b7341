/**
 * A test catalog with several versions of `order.shipped`, built from the real one without changing
 * it: v1 is the catalog's own `order.shipped.v1.json` (compiled with ajv against the catalog's
 * shared definitions), v2 is the sender's generated validator and schema, and `withV3` adds a
 * made-up v3 (v2 plus a required `giftNote`). Converters between adjacent versions are written
 * here, as the catalog's converter modules will be, and count their calls. A v2 payload whose
 * `orderId` is `ord_Explodes` makes the v2 → v1 converter throw (until `behaviour.explode` is false).
 */
import { readFileSync } from "node:fs";
import type { CompiledValidator, EventTypeInfo, EventTypeSchema } from "@hookline/core";
import { catalog as senderCatalog } from "@hookline/sender";
import { schemas as senderSchemas } from "@hookline/sender/schemas";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { ConverterModule, GeneratedCatalog, GeneratedSchemas } from "../../src/catalog/catalog-view.js";

export const TYPE = "order.shipped";
export const EXPLODING_ORDER = "ord_Explodes";
export const CONVERTER_MESSAGE = "cannot flatten parcels of ord_Explodes";

const CATALOG_DIR = new URL("../../../../catalog/", import.meta.url);
const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(path, CATALOG_DIR), "utf8"));
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

export interface VersionedCatalog {
  readonly catalog: GeneratedCatalog;
  readonly schemas: GeneratedSchemas;
  /** Calls of each converter step so far, e.g. `"2.down"`. */
  readonly calls: Map<string, number>;
  /** The v1 validator (what a receiver pinned to v1 validates with). */
  readonly validateV1: CompiledValidator;
  /** `explode: false` stops the v2 → v1 converter throwing for EXPLODING_ORDER (the converter "fixed"). */
  readonly behaviour: { explode: boolean };
}

type Payload = Record<string, unknown>;
interface Parcel {
  parcelId: string;
  tracking: unknown;
  items: unknown[];
  weightGrams: number | null;
}

export function versionedCatalog(options: { withV3?: boolean } = {}): VersionedCatalog {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const name of ["tracking", "line-item-ref", "address"]) ajv.addSchema(readJson(`defs/${name}.json`));
  const v1Schema = readJson("events/orders/order.shipped.v1.json");
  const validateV1 = ajv.compile(v1Schema) as unknown as CompiledValidator;
  const v2Schema = senderSchemas[TYPE].schema as Payload;
  const v3Schema = {
    ...v2Schema,
    $id: "https://hookline.dev/catalog/events/orders/order.shipped.v3.json",
    title: "OrderShippedV3",
    required: [...(v2Schema["required"] as string[]), "giftNote"],
    properties: { ...(v2Schema["properties"] as Payload), giftNote: { type: ["string", "null"], description: "Gift message." } },
  };
  const validateV3 = ajv.compile(v3Schema) as unknown as CompiledValidator;

  const calls = new Map<string, number>();
  const behaviour = { explode: true };
  const counted =
    (name: string, step: (payload: Payload) => Payload) =>
    (payload: never): unknown => {
      calls.set(name, (calls.get(name) ?? 0) + 1);
      return step(payload as Payload);
    };
  const v2: ConverterModule = {
    down: counted("2.down", (p) => {
      if (behaviour.explode && p["orderId"] === EXPLODING_ORDER) throw new Error(CONVERTER_MESSAGE);
      const parcels = p["parcels"] as Parcel[];
      const { parcels: _parcels, isFinalShipment: _final, ...rest } = p;
      return { ...rest, tracking: parcels[0]?.tracking, items: parcels.flatMap((parcel) => parcel.items) };
    }),
    up: counted("2.up", (p) => {
      const { tracking, items, ...rest } = p;
      const parcelId = `pcl_${String(p["shipmentId"]).slice(4)}`;
      return { ...rest, parcels: [{ parcelId, tracking, items, weightGrams: null }], isFinalShipment: true };
    }),
  };
  const v3: ConverterModule = {
    down: counted("3.down", ({ giftNote: _note, ...rest }) => rest),
    up: counted("3.up", (p) => ({ ...p, giftNote: null })),
  };

  const v2Info = senderCatalog.eventTypes[TYPE] as EventTypeInfo;
  const v1Info: EventTypeInfo = { ...v2Info, version: 1, title: "OrderShippedV1", deprecated: true };
  const v3Info: EventTypeInfo = { ...v2Info, version: 3, title: "OrderShippedV3" };
  const newest =
    options.withV3 === true ? { info: v3Info, validator: validateV3 } : { info: v2Info, validator: senderCatalog.validators[TYPE] };
  const v3Example = { ...(senderSchemas[TYPE].examples[0] as Payload), giftNote: "Enjoy!" };

  const catalog: GeneratedCatalog = {
    eventTypes: { ...senderCatalog.eventTypes, [TYPE]: newest.info },
    validators: { ...senderCatalog.validators, [TYPE]: newest.validator as CompiledValidator },
    versions: {
      [TYPE]: {
        "1": { info: v1Info, validator: validateV1 },
        "2": { info: v2Info, validator: senderCatalog.validators[TYPE] as CompiledValidator },
        ...(options.withV3 === true ? { "3": { info: v3Info, validator: validateV3 } } : {}),
      },
    },
    converters: { [TYPE]: { "2": v2, ...(options.withV3 === true ? { "3": v3 } : {}) } },
  };
  // Types without an entry in `versions` carry their one version (catalog-view.ts reads eventTypes).
  const v1Document: EventTypeSchema = { schema: v1Schema, examples: v1Schema["examples"] as unknown[] } as EventTypeSchema;
  const v3Document: EventTypeSchema = { schema: v3Schema, examples: [v3Example] } as EventTypeSchema;
  const schemas = {
    ...(senderSchemas as unknown as Record<string, EventTypeSchema>),
    ...(options.withV3 === true ? { [TYPE]: v3Document } : {}),
    versions: {
      [TYPE]: {
        "1": v1Document,
        "2": senderSchemas[TYPE] as unknown as EventTypeSchema,
        ...(options.withV3 === true ? { "3": v3Document } : {}),
      },
    },
  } as unknown as GeneratedSchemas;
  return { catalog, schemas, calls, validateV1, behaviour };
}
