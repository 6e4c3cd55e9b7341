import { expect, it } from "vitest";
import * as egress from "../../src/egress/index.js";

it("the egress module exports exactly its public surface", () => {
  expect(Object.keys(egress).sort()).toEqual([
    "Egress",
    "METADATA_ADDRESSES",
    "checkEndpointUrl",
    "classifyAddress",
    "isAllowed",
    "parseAllowList",
    "redactUrl",
  ]);
});
