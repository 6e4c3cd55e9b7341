/**
 * @hookline/sender/schemas — the JSON Schema and the examples of every event type, keyed by type.
 *
 * A subpath of its own: the main entry (types, validators, metadata) does not load these documents,
 * which are most of the catalog's bytes. Import it where you show or serve schemas, or need examples.
 */
export { schemas } from "./generated/schemas.js";
export type { EventSchemas, EventTypeSchema } from "@hookline/core";
