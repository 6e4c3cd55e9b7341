/**
 * @hookline/sender — produce signed, typed webhooks for the Hookline event catalog.
 *
 * The event types, payload types, validators and `createSender` binding are generated from the
 * catalog (src/generated, do not edit); signing and transport come from @hookline/core.
 */
export * from "./generated/index.js";
export {
  generateKeyPair,
  generateSecret,
  PayloadValidationError,
  UnknownEventTypeError,
  WebhookDeliveryError,
  WebhookSigner,
} from "@hookline/core";
export type { BuildOptions, DeliveryResult, Sender, SenderOptions, SignedWebhook, ValidationIssue, WebhookEnvelope } from "@hookline/core";
