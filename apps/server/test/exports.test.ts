/** What @hookline/server exports as a library (embedding and tests), pinned: a change here is an API change. */

import { expect, it } from "vitest";
import * as server from "../src/index.js";

it("the package entry exports exactly these runtime values", () => {
  expect(Object.keys(server).sort()).toEqual([
    "ConfigError",
    "DEFAULT_RETRY_SCHEDULE",
    "LEASE_MARGIN_MS",
    "SqliteStore",
    "VERSION",
    "createHookline",
    "loadConfig",
    "resetApiKey",
    "resolveConfig",
  ]);
});
