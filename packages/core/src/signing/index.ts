export { type WebhookErrorCode, WebhookVerificationError } from "./errors.js";
export { generateKeyPair, generateSecret } from "./generate.js";
export { type HeadersLike, readWebhookHeaders } from "./headers.js";
export type { RawBody } from "./raw-body.js";
export { type SignInput, WebhookSigner } from "./signer.js";
export { type VerifiedWebhook, type VerifyOptions, WebhookVerifier } from "./verifier.js";
