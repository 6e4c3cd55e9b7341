/** The golden fixture cases, shared by the golden, typecheck and determinism tests. */

import type { Target } from "../../src/config.js";

/** Fixture cases with golden output under test/fixtures/<case>/expected/<target>/. */
export const GOLDEN_CASES = ["features", "minimal"] as const;
export const TARGETS: readonly Target[] = ["sender", "receiver"];
/** The banner's source: what a config file's `"catalog": "./catalog"` would show. */
export const GOLDEN_SOURCE = "./catalog";
export const RUNTIME = "@hookline/core";
