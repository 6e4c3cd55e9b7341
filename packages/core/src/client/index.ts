export { createClientFor } from "./create-client.js";
export type {
  ClientOptions,
  DeliveryListOptions,
  EndpointListOptions,
  EventListOptions,
  HooklineClient,
  SendOptions,
} from "./create-client.js";
export { HooklineApiError } from "./errors.js";
export { parseRetryAfter } from "./retry.js";
export type * from "./types.js";
