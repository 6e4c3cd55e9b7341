export { createSenderFor } from "./create-sender.js";
export { WebhookDeliveryError, type DeliveryErrorCode } from "./errors.js";
export { RESPONSE_BODY_LIMIT } from "./deliver.js";
export type { BuildOptions, DeliveryResult, Sender, SenderOptions, SignedWebhook } from "./types.js";
