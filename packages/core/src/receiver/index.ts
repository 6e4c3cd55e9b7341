export { createReceiverFor } from "./create-receiver.js";
export { MemoryDedupeStore, type ClaimResult, type DedupeStore, type MemoryDedupeStoreOptions, type ReceiverWarning } from "./dedupe.js";
export { MalformedPayloadError, type MalformedPayloadCode } from "./errors.js";
export type {
  EventHandler,
  ExhaustiveHandlerMap,
  HandlerContext,
  HandlerMap,
  HttpReceiver,
  Receiver,
  ReceiverOptions,
  ReceiverResponse,
} from "./types.js";
export type { ResponseDetail } from "./responses.js";
export { toNodeListener } from "./adapters/node.js";
export type { NodeLikeRequest, NodeLikeResponse } from "./adapters/node-types.js";
export { captureRawBody, expressHandler, type ExpressLikeHandler, type ExpressLikeRequest } from "./adapters/express.js";
export {
  fastifyWebhookPlugin,
  type FastifyLikeInstance,
  type FastifyLikeReply,
  type FastifyLikeRequest,
  type FastifyWebhookPluginOptions,
} from "./adapters/fastify.js";
export { toWebHandler } from "./adapters/web.js";
