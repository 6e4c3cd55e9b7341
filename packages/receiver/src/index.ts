/**
 * @hookline/receiver — verify, validate and handle typed webhooks from the Hookline event catalog.
 *
 * The event types, payload types, validators and `createReceiver` binding are generated from the
 * catalog (src/generated, do not edit); verification, dispatch and the framework adapters come
 * from @hookline/core.
 */
export * from "./generated/index.js";
export {
  captureRawBody,
  expressHandler,
  fastifyWebhookPlugin,
  MalformedPayloadError,
  MemoryDedupeStore,
  PayloadValidationError,
  toNodeListener,
  toWebHandler,
  UnknownEventTypeError,
  UnknownEventVersionError,
  WebhookVerificationError,
} from "@hookline/core";
export type {
  DedupeStore,
  EventHandler,
  HandlerContext,
  HeadersLike,
  RawBody,
  Receiver,
  ReceiverOptions,
  ReceiverResponse,
  ReceiverWarning,
  ValidationIssue,
  WebhookEnvelope,
} from "@hookline/core";
