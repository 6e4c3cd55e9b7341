export type {
  CompiledValidator,
  DiscriminatedUnion,
  DefaultVersions,
  EnvelopeOf,
  EventCatalog,
  EventConverter,
  EventMapBase,
  EventSchemas,
  EventTypeInfo,
  EventTypeOf,
  EventTypeSchema,
  EventVersionEntry,
  EventVersionsBase,
  PayloadAt,
  ValidatorDiscriminators,
  ValidatorError,
  VersionOf,
  WebhookEnvelope,
} from "./catalog.js";
export {
  generateKeyPair,
  generateSecret,
  readWebhookHeaders,
  WebhookSigner,
  WebhookVerificationError,
  WebhookVerifier,
} from "./signing/index.js";
export type {
  HeadersLike,
  RawBody,
  SignInput,
  VerifiedWebhook,
  VerifyOptions,
  WebhookErrorCode,
} from "./signing/index.js";
// isKnownEventType, knownEventTypes and issuesFromErrors are the server's: see internal.ts.
export { PayloadValidationError, UnknownEventTypeError, validatePayload, type ValidationIssue } from "./validation.js";
export { UnknownEventVersionError } from "./versions.js";
export { createSenderFor, RESPONSE_BODY_LIMIT, WebhookDeliveryError } from "./sender/index.js";
export type { BuildOptions, DeliveryErrorCode, DeliveryResult, Sender, SenderOptions, SignedWebhook } from "./sender/index.js";
export {
  captureRawBody,
  createReceiverFor,
  expressHandler,
  fastifyWebhookPlugin,
  MalformedPayloadError,
  MemoryDedupeStore,
  toNodeListener,
  toWebHandler,
} from "./receiver/index.js";
export type {
  ClaimResult,
  DedupeStore,
  EventHandler,
  ExhaustiveHandlerMap,
  ExpressLikeHandler,
  ExpressLikeRequest,
  FastifyLikeInstance,
  FastifyLikeReply,
  FastifyLikeRequest,
  FastifyWebhookPluginOptions,
  HandlerContext,
  HandlerMap,
  HttpReceiver,
  MalformedPayloadCode,
  MemoryDedupeStoreOptions,
  NodeLikeRequest,
  NodeLikeResponse,
  Receiver,
  ReceiverOptions,
  ReceiverResponse,
  ReceiverWarning,
  ResponseDetail,
} from "./receiver/index.js";
export * from "./client/index.js";
export { ConversionError, convertPayload } from "./convert.js";
export type { CatalogConverters, ConvertibleCatalog } from "./convert.js";
