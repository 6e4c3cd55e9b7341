/** Outbound delivery with SSRF defence: the server's only outbound HTTP client. */
export { classifyAddress, METADATA_ADDRESSES, type AddressClass } from "./classify.js";
export { Egress, type AttemptOutcome, type AttemptRequest, type EgressOptions } from "./egress.js";
export type { FailureCode } from "./failure.js";
export { isAllowed, parseAllowList, type AllowDecision, type EgressPolicy } from "./policy.js";
export { checkEndpointUrl, redactUrl, type UrlCheck } from "./url.js";
