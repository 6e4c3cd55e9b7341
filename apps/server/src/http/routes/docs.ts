/**
 * The catalog docs site (`hookline docs`, built by `npm run docs-site`) under `/docs/`: public and
 * read-only, since it is what the receivers of the webhooks read (the same event types, schemas and
 * examples the SDKs ship). Files are resolved inside the site folder only (static-files.ts). The routes
 * are left out of /openapi.json: they are not part of the API.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { HttpContext } from "../context.js";
import { errorBody } from "../errors.js";
import { resolveFile, sendFile } from "../static-files.js";

declare module "fastify" {
  interface FastifySchema {
    /** Left out of /openapi.json (the same option as @fastify/swagger's). */
    hide?: boolean;
  }
}

/** The policy the pages also carry in a <meta> tag: their own script, stylesheet and search index only. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The site `npm run docs-site` builds from the repository catalog, when this server runs from the repository. */
export function defaultDocsDirectory(): string | undefined {
  try {
    return join(dirname(createRequire(import.meta.url).resolve("@hookline/catalog/package.json")), "dist", "docs");
  } catch {
    return undefined;
  }
}

export function docsRoutes(app: FastifyInstance, ctx: HttpContext): void {
  const configured = ctx.config.docsDir ?? defaultDocsDirectory();
  // `hide` keeps them out of the API description (and @fastify/swagger honours it too).
  const options = { config: { public: true }, schema: { hide: true } };

  app.get("/docs", options, async (_request, reply) => reply.redirect("/docs/", 301));
  app.get("/docs/*", options, async (request, reply) => {
    const wildcard = (request.params as { "*"?: string })["*"] ?? "";
    const file = configured === undefined ? undefined : await resolveFile(configured, wildcard);
    if (file === undefined) return notFound(request, reply, configured);
    return sendFile(reply, file, request.headers["if-none-match"], CONTENT_SECURITY_POLICY);
  });
}

function notFound(request: FastifyRequest, reply: FastifyReply, root: string | undefined): FastifyReply {
  const where = (request.url.split("?")[0] ?? "").slice(0, 200);
  const message =
    root === undefined
      ? "The catalog docs site is not configured: build it with `hookline docs --out <dir>` and set HOOKLINE_DOCS_DIR to that folder."
      : `No docs page at ${where}. The site's index is GET /docs/; if it is missing, build the site (npm run docs-site, or hookline docs --out ${root}).`;
  return reply.code(404).send(errorBody(root === undefined ? "docs_not_configured" : "not_found", message));
}
