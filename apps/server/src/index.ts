/** The reference delivery server as a library: build one in-process (tests, embedding) or run the CLI. */
export { createHookline, resetApiKey, VERSION, type Hookline, type HooklineDeps } from "./app.js";
export {
  ConfigError,
  DEFAULT_RETRY_SCHEDULE,
  LEASE_MARGIN_MS,
  loadConfig,
  resolveConfig,
  type Config,
  type ConfigInput,
} from "./config.js";
export type { EgressClient } from "./delivery/worker.js";
export { SqliteStore, type SqliteStoreOptions } from "./store/sqlite/sqlite-store.js";
export type * from "./store/store.js";
