/** Naming and layout rules of a Hookline catalog, shared by the checks and their messages. */

/** Catalog-only annotation naming an event file's type and version. */
export const HOOKLINE_ANNOTATION = "x-hookline";

export const SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema";

/** Standard Webhooks event types: dot-separated segments of `[a-zA-Z0-9_]`. */
export const EVENT_TYPE_PATTERN = /^[a-zA-Z0-9_]+(\.[a-zA-Z0-9_]+)*$/;
export const DOMAIN_PATTERN = /^[a-z][a-z0-9_-]*$/;
export const TYPE_NAME_PATTERN = /^[A-Z][A-Za-z0-9]*$/;

/** Names the generated modules declare themselves; a catalog title may not take them. */
export const RESERVED_TYPE_NAMES = new Set([
  "EventMap",
  "EventType",
  "EventVersions",
  "WebhookEvent",
  // imported from the runtime by the generated modules
  "WebhookEnvelope",
  "CompiledValidator",
  "EventCatalog",
  "Sender",
  "SenderOptions",
  "Receiver",
  "ReceiverOptions",
  "HooklineClient",
  "ClientOptions",
]);

/**
 * Keywords whose meaning a TypeScript type cannot carry. Accepting them would produce a type that
 * admits payloads the validator rejects in ways users cannot see, or rejects valid ones.
 */
export const UNSUPPORTED_KEYWORDS: Readonly<Record<string, string>> = {
  not: "express the allowed shape positively (enum, oneOf of the allowed shapes)",
  if: "use oneOf with a const discriminator per branch instead of if/then/else",
  then: "use oneOf with a const discriminator per branch instead of if/then/else",
  else: "use oneOf with a const discriminator per branch instead of if/then/else",
  dependentSchemas: "model the variants as oneOf branches",
  unevaluatedProperties: "list the properties and use additionalProperties: false",
  unevaluatedItems: "use items / prefixItems",
  $dynamicRef: "use a plain $ref",
  $dynamicAnchor: "use a plain $ref to a $defs entry",
};

export function eventFileName(type: string, version: number): string {
  return `${type}.v${version}.json`;
}
