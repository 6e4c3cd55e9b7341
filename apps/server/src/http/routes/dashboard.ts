/**
 * The operator dashboard and the consumer portal (apps/dashboard) under `/ui/`, and `GET /` sending
 * browsers there. The files are public (they hold no data: every API call they make carries a key or
 * token); they are sent with a strict Content-Security-Policy (own scripts and styles only, no inline
 * code, API calls to this origin only). `/ui/portal` is the portal's entry (a link's one-time code
 * travels in the fragment, which never reaches the server) and answers the same index.html.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { FastifyInstance } from "fastify";
import type { HttpContext } from "../context.js";
import { errorBody } from "../errors.js";
import { resolveFile, sendFile } from "../static-files.js";

/** The workspace's build output, when this server runs from the repository. */
export function defaultDashboardDirectory(): string | undefined {
  try {
    return join(dirname(createRequire(import.meta.url).resolve("@hookline/dashboard/package.json")), "dist");
  } catch {
    return undefined;
  }
}

export function dashboardPolicy(frameAncestors: string): string {
  return (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    `form-action 'self'; base-uri 'none'; frame-ancestors ${frameAncestors}`
  );
}

/** Paths the page itself routes (the portal entry): they answer index.html. */
const PAGE_ROUTES = new Set(["portal", "portal/"]);

export function dashboardRoutes(app: FastifyInstance, ctx: HttpContext): void {
  const configured = ctx.config.dashboardDir ?? defaultDashboardDirectory();
  const csp = dashboardPolicy(ctx.config.portalFrameAncestors);
  const options = { config: { public: true }, schema: { hide: true } };

  app.get("/", options, async (_request, reply) => reply.redirect("/ui/", 302));
  app.get("/ui", options, async (_request, reply) => reply.redirect("/ui/", 301));
  app.get("/ui/*", options, async (request, reply) => {
    const wildcard = (request.params as { "*"?: string })["*"] ?? "";
    const name = PAGE_ROUTES.has(wildcard) ? "" : wildcard;
    const file = configured === undefined ? undefined : await resolveFile(configured, name);
    if (file !== undefined) return sendFile(reply, file, request.headers["if-none-match"], csp);
    const message =
      configured === undefined
        ? "The dashboard is not installed: build apps/dashboard (npm run build) and set HOOKLINE_DASHBOARD_DIR to its dist folder."
        : `No dashboard file at ${(request.url.split("?")[0] ?? "").slice(0, 200)}. The dashboard starts at GET /ui/; if that is missing too, build it (npm run build) into ${configured}.`;
    return reply.code(404).send(errorBody(configured === undefined ? "dashboard_not_configured" : "not_found", message));
  });
}
