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
  HooklineApiError,
  PayloadValidationError,
  UnknownEventTypeError,
  UnknownEventVersionError,
  WebhookDeliveryError,
  WebhookSigner,
} from "@hookline/core";
export type {
  AcceptedEvent,
  Attempt,
  BuildOptions,
  ClientOptions,
  CreatedEndpoint,
  DeliveryResult,
  Endpoint,
  EndpointInput,
  HooklineClient,
  Page,
  SendOptions,
  Sender,
  SenderOptions,
  SignedWebhook,
  StoredEvent,
  ValidationIssue,
  WebhookEnvelope,
} from "@hookline/core";
