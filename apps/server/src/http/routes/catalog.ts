/** The live event catalog: which one is serving (`GET /v1/catalog`), and its reload. */
import type { FastifyInstance } from "fastify";
import { rfc3339 } from "../../util/time.js";
import type { HttpContext } from "../context.js";
import { ApiError } from "../errors.js";
import { errors } from "../schemas.js";

const typeVersion = {
  type: "object",
  required: ["type", "version"],
  properties: { type: { type: "string" }, version: { type: "integer" } },
} as const;

const catalogSchema = {
  type: "object",
  required: ["fingerprint", "loadedAt", "directory", "types"],
  properties: {
    fingerprint: { type: "string", description: "Hash of the catalog's module files (also the `hookline_catalog_info` metric's label)." },
    loadedAt: { type: "string", format: "date-time" },
    directory: {
      type: ["string", "null"],
      description: "Where it was loaded from (HOOKLINE_CATALOG_DIR); null for a catalog given in code.",
    },
    types: {
      type: "array",
      items: {
        type: "object",
        required: ["type", "versions", "latest"],
        properties: { type: { type: "string" }, versions: { type: "array", items: { type: "integer" } }, latest: { type: "integer" } },
      },
    },
  },
} as const;

const reloadSchema = {
  type: "object",
  required: ["applied", "unchanged", "fingerprint", "previousFingerprint", "loadedAt", "types", "versions", "added", "removed"],
  properties: {
    applied: { type: "boolean", const: true },
    unchanged: { type: "boolean", description: "The directory holds the catalog already serving: nothing was loaded." },
    fingerprint: { type: "string" },
    previousFingerprint: { type: "string" },
    loadedAt: { type: "string", format: "date-time" },
    types: { type: "integer", description: "Event types now served." },
    versions: { type: "integer", description: "Versions now served, all types together." },
    added: { type: "array", items: typeVersion },
    removed: { type: "array", items: typeVersion },
  },
} as const;

export function catalogRoutes(app: FastifyInstance, ctx: HttpContext): void {
  app.get(
    "/v1/catalog",
    {
      config: { access: "read" },
      schema: {
        tags: ["catalog"],
        summary: "The event catalog this process serves: fingerprint, load time, types and their versions",
        response: { 200: catalogSchema, ...errors(401) },
      },
    },
    async () => {
      const { view, fingerprint, loadedAt, directory } = ctx.catalogRegistry.loaded();
      return {
        fingerprint,
        loadedAt: rfc3339(loadedAt),
        directory: directory ?? null,
        types: view.types.map((type) => ({ type, versions: view.versions(type), latest: view.latest(type) })),
      };
    },
  );

  app.post(
    "/v1/catalog/reload",
    {
      // Swaps what every tenant is served: the admin API key only.
      config: { access: "admin" },
      schema: {
        tags: ["catalog"],
        summary: "Load the catalog directory again and serve it if it passes every check",
        description:
          "Loads HOOKLINE_CATALOG_DIR afresh, checks it (modules load and export the expected values, every example validates, every pair of " +
          "adjacent versions has a converter) and that it keeps every version endpoints are pinned to, then swaps it in: requests and deliveries " +
          "already running finish with the catalog they started with. Refused (422 invalid catalog, 409 pinned versions removed or no directory), " +
          "the previous catalog keeps serving and `error.details` lists every problem. Reloads this process only: with several instances, reload each.",
        response: { 200: reloadSchema, ...errors(401, 409, 422) },
      },
    },
    async () => {
      const result = await ctx.catalogRegistry.reload("api");
      if (result.applied) return { ...result, loadedAt: rfc3339(result.loadedAt) };
      const serving = ctx.catalogRegistry.loaded().fingerprint;
      const count = result.problems.length === 1 ? "1 problem" : `${result.problems.length} problems`;
      if (result.reason === "fixed") throw new ApiError(409, "catalog_fixed", result.problems[0]?.message ?? "No catalog directory.");
      const what = result.reason === "pinned" ? "it no longer carries versions that endpoints are pinned to" : "it failed its checks";
      throw new ApiError(
        result.reason === "pinned" ? 409 : 422,
        result.reason === "pinned" ? "catalog_drops_pinned_versions" : "catalog_invalid",
        `The catalog${result.fingerprint === undefined ? "" : ` ${result.fingerprint}`} was not loaded because ${what} (${count}, listed in details): ` +
          `${result.problems
            .slice(0, 3)
            .map((p) => p.message)
            .join(
              " ",
            )}${result.problems.length > 3 ? ` … and ${result.problems.length - 3} more.` : ""} The previous catalog (${serving}) keeps serving.`,
        result.problems,
      );
    },
  );
}
