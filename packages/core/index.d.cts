// The types of `require("@hookline/core")` from CommonJS: the package is an ES module, which Node
// >= 20.19 loads with require() (require(esm)). TypeScript models that only from 5.8 with `module:
// nodenext`, and reports TS1479 here otherwise; the types are the ES module's own, so it is ignored.
// @ts-ignore TS1479 (see above)
export * from "./dist/index.js";
