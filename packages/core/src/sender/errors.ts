/** Why a delivery got no HTTP response. */
export type DeliveryErrorCode = "network_error" | "timeout";

/**
 * A delivery attempt that got no HTTP response (connection refused, TLS failure, reset, timeout).
 * Carries only the endpoint's origin: paths and query strings may hold tokens.
 */
export class WebhookDeliveryError extends Error {
  override readonly name = "WebhookDeliveryError";
  readonly code: DeliveryErrorCode;
  /** `webhook-id` of the message that was being delivered. */
  readonly webhookId: string;
  /** Scheme, host and port of the endpoint, e.g. `https://example.com`. */
  readonly origin: string;
  /** The system error code when one was reported, e.g. `ECONNREFUSED`. */
  readonly systemCode: string | undefined;

  constructor(code: DeliveryErrorCode, webhookId: string, origin: string, systemCode?: string) {
    const what = code === "timeout" ? "timed out" : `failed with a network error${systemCode ? ` (${systemCode})` : ""}`;
    super(`Webhook delivery of ${webhookId} to ${origin} ${what}.`);
    this.code = code;
    this.webhookId = webhookId;
    this.origin = origin;
    this.systemCode = systemCode;
  }
}
