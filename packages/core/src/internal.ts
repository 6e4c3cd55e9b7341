/**
 * `@hookline/core/internal`: the rules the Hookline server shares with this runtime, so each has one
 * home. Not a public API and not covered by semver; applications use the package entry (or the
 * generated `@hookline/sender` and `@hookline/receiver`), which does not re-export these.
 */
export { serializeEnvelope } from "./envelope.js";
export { isKnownEventType, issuesFromErrors, issuesOf, knownEventTypes } from "./validation.js";
export { carriedVersions, isVersionNumber, unversionedDefault, versionValidator } from "./versions.js";
export { asyncApiDocument } from "./documents/asyncapi.js";
export type { DocumentEvent, DocumentInfo } from "./documents/components.js";
export { mergeWebhooks, type OpenApiWebhooks, openApiWebhooks, openApiWebhooksDocument } from "./documents/openapi-webhooks.js";
